// SPDX-License-Identifier: MIT
#pragma once
#include <cstdint>
#include <memory>
#include <span>

#include "core/tcp/event_sink.hpp"
#include "core/wire/flow_key.hpp"
#include "core/wire/frame.hpp"

namespace tcpinspect::core {

/// The analysis' settings. These defaults are the only ones: the CLI's option defaults
/// (cmd/analysis_options) and RenderOptions::msl_ns are taken from here.
struct InspectorConfig {
  int64_t msl_ns = 30'000'000'000;             // --msl: TIME_WAIT lasts 2*MSL (Linux: 60 s)
  int64_t idle_timeout_ns = 3600'000'000'000;  // --idle-timeout: forget silent connections
  size_t max_connections = 200'000;            // --max-connections: hard cap, oldest evicted
  // A record waiting for its receiver's confirmation goes out unconfirmed after this much
  // capture time, as in a live trace after about a second of wall time: what could still
  // revise it mostly comes within it (a FIN sent again after an RTO, Linux's first SYN
  // retransmission at 1 s); without a bound the last steps of every connection would wait
  // out its TIME_WAIT (tens of thousands of records on a busy link). A revision after it
  // still reaches the output (a revised: line, the corrected connection record).
  int64_t hold_ns = 1'500'000'000;
};

class ConnectionTable;
class ConfirmationBuffer;

/// The whole analysis of decoded frames: track connections, apply the state machines, emit
/// events. Driven only by capture timestamps (no clock). Not thread-safe; one per capture.
class Inspector {
 public:
  Inspector(const InspectorConfig& config, EventSink& sink);
  ~Inspector();
  Inspector(const Inspector&) = delete;
  Inspector& operator=(const Inspector&) = delete;

  /// Analyses frames decoded by decode_frame (core/wire/frame.hpp), in order; events reach
  /// the sink before this returns. A batch is faster than frames one by one: the
  /// connections of frames further on are fetched into cache while earlier ones are
  /// analysed. Every frame's bytes must stay valid until this returns.
  void feed(std::span<const DecodedFrame> frames);
  /// Ends the capture: every tracked connection gets its final summary, then on_finish.
  void finish();
  /// Hands on the held-back records (core/tcp/confirmation.hpp) held for longer than
  /// InspectorConfig::hold_ns as of `now_ns`, marking what is unconfirmed so far. The analysis
  /// does this itself by capture time; a live capture also calls it by the wall clock (its
  /// frames carry wall-clock times), so that no line waits for long when packets stop.
  void release_held_as_of(int64_t now_ns);
  const InspectorStats& stats() const { return stats_; }

 private:
  void process(const DecodedFrame& d);
  void on_tcp(const Frame& frame, const DecodedPacket& packet, const FlowKey& key, uint64_t hash);
  void on_icmp(const Frame& frame, const DecodedPacket& packet);
  void run_deadlines(int64_t now);
  void emit_timers(uint32_t slot, int64_t now);
  uint32_t open_connection(const FlowKey& key);
  void end_connection(uint32_t slot);
  void close_out(Connection& c);  // finalize, hand on what is held, then its summary

  InspectorConfig config_;
  EventSink& sink_;
  InspectorStats stats_;
  std::unique_ptr<ConnectionTable> table_;
  std::unique_ptr<ConfirmationBuffer> held_;  // between the analysis and sink_
  int64_t next_hold_check_ = INT64_MIN;       // capture time of the next release_before
  bool finished_ = false;
  const bool segments_wanted_;  // sink_.wants_segments(): else no event is handed on or held
};

}  // namespace tcpinspect::core
