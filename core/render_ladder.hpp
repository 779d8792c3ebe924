// SPDX-License-Identifier: MIT
#pragma once
#include <string>
#include <unordered_map>
#include <vector>

#include "core/event_sink.hpp"
#include "core/out_buffer.hpp"
#include "core/render.hpp"

namespace tcpinspect::core {

/// The time-sequence ("ladder") diagram of each connection: client and server as two
/// columns, arrows labelled with flags and symbolic seq/ack, each side's state in its
/// margin. A connection's diagram is printed when it ends.
class LadderRenderer final : public EventSink {
 public:
  static constexpr size_t kMaxRows = 400;  // per connection, so memory stays bounded

  LadderRenderer(const RenderOptions& options, WriteFn write);
  void on_segment(const SegmentEvent& ev) override;
  void on_timer(const TimerEvent& ev) override;
  void on_connection_end(const Connection& c) override;
  void on_finish(const InspectorStats& stats) override;
  void flush() override { out_.flush(); }

 private:
  struct Diagram {
    std::vector<std::string> rows;
    size_t dropped = 0;
    bool header_states_set = false;
    TcpState client_first = TcpState::Closed;
    TcpState server_first = TcpState::Closed;
  };
  void add_row(Diagram& d, std::string row);

  RenderOptions options_;
  OutBuffer out_;
  std::unordered_map<uint32_t, Diagram> diagrams_;
};

}  // namespace tcpinspect::core
