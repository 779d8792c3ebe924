// SPDX-License-Identifier: MIT
#pragma once
#include <string_view>

#include "core/render/out_buffer.hpp"
#include "core/render/render.hpp"
#include "core/tcp/event_sink.hpp"

namespace tcpinspect::core {

/// `--format csv`: the summary table as RFC 4180 CSV, a header row then one row per
/// connection when it ends (CRLF line ends; fields quoted only when they need it). The
/// summary's decorations become columns of their own (inferred, evicted), and the
/// Community ID is added, so a spreadsheet or `duckdb`/`pandas` reads it as it is.
class CsvRenderer final : public EventSink {
 public:
  CsvRenderer(const RenderOptions& options, WriteFn write);
  void on_segment(const SegmentEvent&) override {}
  bool wants_segments() const override { return false; }
  void on_connection_end(const ConnectionSummary& c) override;
  void on_finish(const InspectorStats& stats) override;
  void flush() override { out_.flush(); }

 private:
  RenderOptions options_;
  OutBuffer out_;
  OutBuffer cell_;  // scratch: one field formatted before it is quoted
};

/// Appends `field` as RFC 4180 says: as it is, or in double quotes (with quotes doubled) when
/// it holds a comma, a double quote, CR or LF.
void put_csv_field(OutBuffer& out, std::string_view field);

}  // namespace tcpinspect::core
