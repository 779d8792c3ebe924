// SPDX-License-Identifier: MIT
#pragma once
#include <cstdint>

#include "core/tcp/connection_summary.hpp"
#include "core/tcp/segment_event.hpp"

namespace tcpinspect::core {

/// Counters for the whole run.
struct InspectorStats {
  uint64_t frames = 0;
  uint64_t tcp_segments = 0;
  uint64_t not_tcp = 0;
  uint64_t truncated = 0;
  uint64_t malformed = 0;
  uint64_t non_first_fragments = 0;
  uint64_t icmp_unreachable = 0;
  uint64_t bad_checksums = 0;
  uint64_t connections = 0;
  uint64_t evicted = 0;       // dropped early by the --max-connections cap
  uint64_t idle_expired = 0;  // forgotten after --idle-timeout without traffic
  uint64_t peak_connections = 0;
  int64_t first_ts = 0;
  int64_t last_ts = 0;
};

/// Receives the analysis, in capture order. Renderers implement it.
class EventSink {
 public:
  virtual ~EventSink() = default;
  virtual void on_segment(const SegmentEvent& ev) = 0;
  /// False for a sink that reads connection ends only: the analysis then hands it no
  /// segment events, and holds none back for it.
  virtual bool wants_segments() const { return true; }
  virtual void on_timer(const TimerEvent&) {}
  /// A correction of records already handed on; comes before the events that reveal it.
  virtual void on_revision(const RevisionEvent&) {}
  virtual void on_icmp(const IcmpEvent&) {}
  virtual void on_problem(const ProblemEvent&) {}
  /// The connection ended (closed and lingered, expired, evicted, or the capture ended);
  /// `summary` is final. Called once per connection, after all its other events.
  virtual void on_connection_end(const ConnectionSummary& summary) = 0;
  virtual void on_finish(const InspectorStats& stats) = 0;
  /// Hands over any text buffered so far. A live capture calls it after each batch of
  /// packets so that nothing waits for a full chunk.
  virtual void flush() {}
};

}  // namespace tcpinspect::core
