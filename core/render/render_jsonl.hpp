// SPDX-License-Identifier: MIT
#pragma once
#include "core/render/out_buffer.hpp"
#include "core/render/render.hpp"
#include "core/tcp/event_sink.hpp"

namespace tcpinspect::core {

/// One JSON object per line: "segment", "timer", "icmp", "problem" and "connection"
/// records, then "stats". The format is public and stable: docs/json.md.
class JsonlRenderer final : public EventSink {
 public:
  JsonlRenderer(const RenderOptions& options, WriteFn write);
  void on_segment(const SegmentEvent& ev) override;
  void on_timer(const TimerEvent& ev) override;
  void on_icmp(const IcmpEvent& ev) override;
  void on_problem(const ProblemEvent& ev) override;
  void on_connection_end(const Connection& c) override;
  void on_finish(const InspectorStats& stats) override;
  void flush() override { out_.flush(); }

 private:
  RenderOptions options_;
  OutBuffer out_;
};

}  // namespace tcpinspect::core
