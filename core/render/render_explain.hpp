// SPDX-License-Identifier: MIT
#pragma once
#include "core/render/conn_record.hpp"
#include "core/render/glyphs.hpp"
#include "core/render/out_buffer.hpp"
#include "core/render/render.hpp"
#include "core/tcp/event_sink.hpp"

namespace tcpinspect::core {

/// Tells one connection's story (what --format explain prints for it) into `out`.
void tell_connection(OutBuffer& out, const ConnectionSummary& c, const render::ConnRecord& r,
                     Lang lang, const Glyphs& g = kUnicodeGlyphs);

/// The story of each connection in plain sentences, in English or Chinese (--lang): who
/// sent what, what the arithmetic shows, how each side's state changed and what the socket
/// calls saw. Runs of ordinary data segments are told as one sentence. Told when the
/// connection ends, from the same records as the svg and html pictures.
class ExplainRenderer final : public EventSink {
 public:
  static constexpr size_t kMaxRecords = 2000;  // per connection; the rest is counted

  ExplainRenderer(const RenderOptions& options, WriteFn write);
  void on_segment(const SegmentEvent& ev) override;
  void on_timer(const TimerEvent& ev) override;
  void on_icmp(const IcmpEvent& ev) override;
  void on_revision(const RevisionEvent& ev) override;
  void on_connection_end(const ConnectionSummary& c) override;
  void on_finish(const InspectorStats& stats) override;
  void flush() override { out_.flush(); }

 private:
  bool wanted(uint32_t id) const { return options_.only_conn == 0 || options_.only_conn == id; }

  RenderOptions options_;
  OutBuffer out_;
  render::ConnRecorder recorder_{kMaxRecords};
  uint64_t told_ = 0;
};

}  // namespace tcpinspect::core
