// SPDX-License-Identifier: MIT
#pragma once
#include <string_view>

#include "core/render/conn_record.hpp"
#include "core/render/out_buffer.hpp"
#include "core/render/render.hpp"
#include "core/tcp/event_sink.hpp"

namespace tcpinspect::core {

namespace render {
/// The report page's script and style (core/render/report/*.js, *.css), embedded at build
/// time (cmake/embed_text.cmake).
extern const std::string_view kReportJs;
extern const std::string_view kReportCss;
}  // namespace render

/// One self-contained HTML page: the connection index, and per connection the ladder and
/// the time-sequence graph of each direction, drawn by the page's own script from compact
/// data (one line per connection, written when it ends) when the connection is opened. No
/// network fetches: every script and style is inline. docs/report.md describes the data.
class HtmlRenderer final : public EventSink {
 public:
  static constexpr size_t kMaxRecords = 2000;  // per connection kept for the diagrams
  /// Connections whose story (--format explain) the page carries: the first to end. The
  /// story is about as large as the diagrams' data, so a big capture keeps the file small
  /// and the page points to --format explain --conn N for the others.
  static constexpr size_t kMaxStories = 1000;

  HtmlRenderer(const RenderOptions& options, WriteFn write);
  void on_segment(const SegmentEvent& ev) override;
  void on_timer(const TimerEvent& ev) override;
  void on_icmp(const IcmpEvent& ev) override;
  void on_revision(const RevisionEvent& ev) override;
  void on_connection_end(const ConnectionSummary& c) override;
  void on_finish(const InspectorStats& stats) override;
  void flush() override { out_.flush(); }

 private:
  void put_head();

  RenderOptions options_;
  OutBuffer out_;
  render::ConnRecorder recorder_{kMaxRecords};
  OutBuffer story_;  // scratch: one connection's story before it is escaped into out_
  size_t stories_ = 0;
};

}  // namespace tcpinspect::core
