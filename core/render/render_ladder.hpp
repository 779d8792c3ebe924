// SPDX-License-Identifier: MIT
#pragma once
#include <string>
#include <unordered_map>
#include <vector>

#include "core/render/out_buffer.hpp"
#include "core/render/render.hpp"
#include "core/tcp/event_sink.hpp"

namespace tcpinspect::core {

/// The time-sequence ("ladder") diagram of each connection: client and server as two
/// columns, arrows labelled with flags and symbolic seq/ack, each side's state in its
/// margin at every step. A connection's diagram is drawn when it ends, so states that were
/// revised in hindsight (crossing SYNs/FINs, a refused SYN) are drawn as they really were,
/// even those of rows the hold stage had handed on (on_revision).
class LadderRenderer final : public EventSink {
 public:
  static constexpr size_t kMaxRows = 400;  // per connection, so memory stays bounded

  LadderRenderer(const RenderOptions& options, WriteFn write);
  void on_segment(const SegmentEvent& ev) override;
  void on_timer(const TimerEvent& ev) override;
  void on_revision(const RevisionEvent& ev) override;
  void on_connection_end(const ConnectionSummary& c) override;
  void on_finish(const InspectorStats& stats) override;
  void flush() override { out_.flush(); }

 private:
  struct Row {
    uint64_t frame = 0;  // a timer's: the frame of the row before it
    int64_t rel_ts_ns = 0;
    TcpState client = TcpState::Closed;
    TcpState server = TcpState::Closed;
    uint8_t unconfirmed = 0;  // bit 0: the client's state is unconfirmed, bit 1: the server's
    bool is_timer = false;    // a TIME_WAIT expiry, not an arrow
    bool rightwards = true;   // client -> server
    std::string label;        // arrow label, or the timer's text
    std::string notes;
  };
  struct Diagram {
    std::vector<Row> rows;
    size_t dropped = 0;
  };
  void add_row(Diagram& d, Row row);
  void draw_row(const Row& row);

  RenderOptions options_;
  OutBuffer out_;
  std::unordered_map<uint32_t, Diagram> diagrams_;
};

}  // namespace tcpinspect::core
