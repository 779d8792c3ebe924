// SPDX-License-Identifier: MIT
#pragma once
#include "core/event_sink.hpp"
#include "core/out_buffer.hpp"
#include "core/render.hpp"

namespace tcpinspect::core {

/// The default view: one annotated line per segment (relative time, connection, direction,
/// addresses, flags, seq/ack, window, length, options, the arithmetic from the ISNs with
/// ✓/✗, both endpoints' transitions, what it means), a timer line when TIME_WAIT ends, and
/// each connection's summary when it ends. ANSI colour when RenderOptions::color.
class TextRenderer final : public EventSink {
 public:
  TextRenderer(const RenderOptions& options, WriteFn write);
  void on_segment(const SegmentEvent& ev) override;
  void on_timer(const TimerEvent& ev) override;
  void on_icmp(const IcmpEvent& ev) override;
  void on_problem(const ProblemEvent& ev) override;
  void on_connection_end(const Connection& c) override;
  void on_finish(const InspectorStats& stats) override;
  void flush() override { out_.flush(); }

 private:
  void color(std::string_view code);
  RenderOptions options_;
  OutBuffer out_;
  bool bad_checksum_said_ = false;
};

}  // namespace tcpinspect::core
