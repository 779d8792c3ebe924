// SPDX-License-Identifier: MIT
#pragma once
#include <string>
#include <vector>

#include "core/event_sink.hpp"
#include "core/render.hpp"

namespace tcpinspect::core {

/// Collects one row per connection and prints the aligned table at the end.
class SummaryRenderer final : public EventSink {
 public:
  SummaryRenderer(const RenderOptions& options, WriteFn write);
  void on_segment(const SegmentEvent&) override {}
  void on_connection_end(const Connection& c) override;
  void on_finish(const InspectorStats& stats) override;

 private:
  RenderOptions options_;
  WriteFn write_;
  std::vector<std::vector<std::string>> rows_;
};

}  // namespace tcpinspect::core
