// SPDX-License-Identifier: MIT
#pragma once
#include <array>
#include <string>
#include <vector>

#include "core/event_sink.hpp"
#include "core/render.hpp"

namespace tcpinspect::core {

/// One row per connection, printed as an aligned table at the end. Rows are kept as
/// compact records (not strings) so that 100,000 connections cost a few tens of MB.
class SummaryRenderer final : public EventSink {
 public:
  static constexpr size_t kColumns = 14;
  /// Rows kept before a block of the table is printed, so memory stays bounded however
  /// many connections a capture (or a live flood) has; each block is aligned on its own.
  static constexpr size_t kMaxBufferedRows = 20'000;

  SummaryRenderer(const RenderOptions& options, WriteFn write);
  void on_segment(const SegmentEvent&) override {}
  void on_connection_end(const Connection& c) override;
  void on_finish(const InspectorStats& stats) override;

 private:
  struct Row {
    uint32_t id;
    IpAddress client_addr, server_addr;
    uint16_t client_port, server_port;
    CloseKind close;
    bool inferred, evicted;
    std::array<char, 8> conn_state;
    std::string history;
    uint64_t client_packets, client_bytes, server_packets, server_bytes;
    int64_t duration_ns, rtt_ns;  // rtt < 0: none
    StatePath client_path, server_path;
  };
  /// Writes cell `column` of `row` (nullptr: the header) into `out`.
  void cell(const Row* row, size_t column, std::string& out) const;
  /// Prints the buffered rows as an aligned block (with a header) and forgets them.
  void print_block();

  RenderOptions options_;
  WriteFn write_;
  std::vector<Row> rows_;
};

}  // namespace tcpinspect::core
