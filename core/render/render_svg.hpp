// SPDX-License-Identifier: MIT
#pragma once
#include "core/render/conn_record.hpp"
#include "core/render/out_buffer.hpp"
#include "core/render/render.hpp"
#include "core/tcp/event_sink.hpp"

namespace tcpinspect::core {

/// One connection's ladder as a standalone SVG (for slides and notes): the textbook
/// picture of two timelines, arrows slanted by time labelled with flags and symbolic
/// seq/ack, each side's state in its margin at every change, socket-API moments beside the
/// side they belong to. The connection is options.only_conn, or the first one it is given
/// (#1, unless a filter hides it).
class SvgRenderer final : public EventSink {
 public:
  static constexpr size_t kMaxArrows = 400;  // drawn; the picture says when it is capped

  SvgRenderer(const RenderOptions& options, WriteFn write);
  void on_segment(const SegmentEvent& ev) override;
  void on_timer(const TimerEvent& ev) override;
  void on_icmp(const IcmpEvent& ev) override;
  void on_revision(const RevisionEvent& ev) override;
  void on_connection_end(const ConnectionSummary& c) override;
  void on_finish(const InspectorStats& stats) override;

 private:
  /// The connection drawn; latched to the first connection seen when none was asked for.
  uint32_t wanted(uint32_t seen_id = 0);

  RenderOptions options_;
  OutBuffer out_;
  render::ConnRecorder recorder_{kMaxArrows};
  bool drawn_ = false;
  uint32_t first_seen_ = 0;
};

}  // namespace tcpinspect::core
