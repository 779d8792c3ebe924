// SPDX-License-Identifier: MIT
#pragma once
#include <cstdint>
#include <memory>
#include <span>

#include "core/tcp/event_sink.hpp"
#include "core/tcp/flow_key.hpp"
#include "core/wire/packet.hpp"

namespace tcpinspect::core {

struct InspectorConfig {
  int64_t msl_ns = 30'000'000'000;             // --msl: TIME_WAIT lasts 2*MSL (Linux: 60 s)
  int64_t idle_timeout_ns = 3600'000'000'000;  // --idle-timeout: forget silent connections
  size_t max_connections = 200'000;            // --max-connections: hard cap, oldest evicted
  bool verify_checksums = true;
};

/// One captured frame, as handed over by a file or live source.
struct Frame {
  uint64_t index = 0;  // 1-based frame number in the capture
  int64_t ts_ns = 0;   // capture timestamp
  std::span<const uint8_t> data;
  uint32_t wire_len = 0;
};

/// A frame decoded ahead of its analysis (Inspector::decode_ahead), possibly on another
/// thread: decoding depends on no connection state.
struct DecodedFrame {
  Frame frame;
  DecodedPacket packet;
  FlowKey key;        // the four-tuple, valid when packet.result == DecodeResult::Tcp
  uint64_t hash = 0;  // FlowKeyHash of key
};

class ConnectionTable;

/// The whole analysis: decode, track connections, apply the state machines, emit events.
/// Driven only by capture timestamps (no clock). Not thread-safe; one per capture.
class Inspector {
 public:
  Inspector(LinkType link, const InspectorConfig& config, EventSink& sink);
  ~Inspector();
  Inspector(const Inspector&) = delete;
  Inspector& operator=(const Inspector&) = delete;

  /// Analyses one frame; events reach the sink before this returns.
  void feed(const Frame& frame);
  /// Analyses frames in order, exactly as feeding them one by one would, but faster: a few
  /// are decoded ahead and their connections fetched into cache while earlier ones are
  /// analysed. Every frame's bytes must stay valid until this returns.
  void feed(std::span<const Frame> frames);
  /// The first half of feed(), safe to run on any thread: decodes `frame` into `out`.
  /// The frame's bytes must stay valid until `out` has been fed.
  static void decode_ahead(LinkType link, bool verify_checksums, const Frame& frame,
                           DecodedFrame& out);
  /// The second half: analyses frames decoded by decode_ahead (with this inspector's link
  /// type and checksum setting), in order.
  void feed_decoded(std::span<const DecodedFrame> frames);
  /// Ends the capture: every tracked connection gets its final summary, then on_finish.
  void finish();
  const InspectorStats& stats() const { return stats_; }

 private:
  struct Lookahead;
  void process(const DecodedFrame& d);
  void on_tcp(const Frame& frame, const DecodedPacket& packet, const FlowKey& key, uint64_t hash);
  void on_icmp(const Frame& frame, const DecodedPacket& packet);
  void run_deadlines(int64_t now);
  void emit_timers(uint32_t slot, int64_t now);
  uint32_t open_connection(const FlowKey& key);
  void end_connection(uint32_t slot);

  LinkType link_;
  InspectorConfig config_;
  EventSink& sink_;
  InspectorStats stats_;
  std::unique_ptr<ConnectionTable> table_;
  std::unique_ptr<Lookahead> ahead_;
  bool finished_ = false;
};

}  // namespace tcpinspect::core
