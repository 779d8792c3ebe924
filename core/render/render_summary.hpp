// SPDX-License-Identifier: MIT
#pragma once
#include <array>
#include <cstdint>
#include <vector>

#include "core/render/out_buffer.hpp"
#include "core/render/render.hpp"
#include "core/tcp/event_sink.hpp"

namespace tcpinspect::core {

/// One row per connection, as an aligned table. Each row's cells are formatted once, when
/// its connection ends, into one flat text arena; a block of rows is printed (aligned on
/// its own) every kMaxBufferedRows rows and at the end, so memory stays bounded and a flood
/// of short connections costs one formatting pass per connection.
class SummaryRenderer final : public EventSink {
 public:
  static constexpr size_t kColumns = 14;
  /// Rows kept before a block of the table is printed, so memory stays bounded however
  /// many connections a capture (or a live flood) has; each block is aligned on its own.
  static constexpr size_t kMaxBufferedRows = 20'000;

  SummaryRenderer(const RenderOptions& options, WriteFn write);
  void on_segment(const SegmentEvent&) override {}
  bool wants_segments() const override { return false; }
  void on_connection_end(const ConnectionSummary& c) override;
  void on_finish(const InspectorStats& stats) override;

 private:
  /// Ends the cell being formatted in `cells_`: records where it ends and widens its column.
  void end_cell(size_t column, size_t start);
  /// Prints the buffered rows as an aligned block (with a header) and forgets them.
  void print_block();

  bool ascii_;  // RenderOptions::ascii
  WriteFn write_;
  OutBuffer cells_;                // every buffered row's cells, back to back
  std::vector<uint32_t> ends_;     // end offset in cells_ of each cell, kColumns per row
  std::vector<uint16_t> columns_;  // display width of each cell (UTF-8 code points)
  std::array<size_t, kColumns> width_{};
  OutBuffer out_;
};

}  // namespace tcpinspect::core
