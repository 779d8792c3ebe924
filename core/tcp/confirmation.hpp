// SPDX-License-Identifier: MIT
#pragma once
#include <array>
#include <cstdint>
#include <unordered_map>
#include <vector>

#include "core/tcp/event_sink.hpp"

/// Holds back a connection's segment events while a state change they show is not yet
/// confirmed, so that each record is printed once, already corrected, with what stays
/// uncertain marked "unconfirmed" (docs/json.md).
///
/// A segment's receiver reaches its new state only if the segment arrived; an observer
/// cannot know that until the receiver sends something that shows it (an acknowledgement
/// covering the segment). So an event that changes its receiver's state is held, and every
/// later event of the same connection with it (a connection's records stay in frame
/// order), until the receiver confirms. Events that change no receiver's state while
/// nothing is held (most data in ESTABLISHED) pass straight through. Held events are handed
/// on, with what is still unconfirmed marked, when the connection ends, a timer or ICMP
/// error concerns it, it has kMaxHeldPerConnection events waiting, or (live capture) they
/// are older than the caller's limit.
namespace tcpinspect::core {

class ConfirmationBuffer {
 public:
  static constexpr size_t kMaxHeldPerConnection = 64;

  explicit ConfirmationBuffer(EventSink& sink) : sink_(sink) {}

  /// The analysis of one segment of `c`: corrects and confirms what is held, then hands
  /// it on or holds it.
  void on_segment(Connection& c, const SegmentEvent& ev);
  /// A correction found when the connection ended (finalize_connection).
  void revise(const Connection& c, const Revision& rev);
  /// Hands on everything held for `c`; what is still unconfirmed is marked so.
  void release(Connection& c);
  /// Hands on the held events of every connection whose oldest one is from before capture
  /// time `ts_ns`.
  void release_before(int64_t ts_ns);
  size_t held_events() const { return held_; }

 private:
  struct Held {
    SegmentEvent ev;
    DecodedPacket packet;  // a copy: the frame's bytes are gone once feed() returns
    // Per side (client, server): an ack from that side of at least this confirms it.
    std::array<uint32_t, 2> end{};
    uint8_t pending = 0;  // unconfirmed sides (bit 0 client, bit 1 server): held for them
    // Sides that no acknowledgement can confirm (a pure ACK's receipt takes no sequence
    // space): marked unconfirmed, and held only until that side's ack passes it.
    uint8_t ack_blind = 0;
    uint8_t unconfirmable = 0;  // sides handed on as unconfirmed whatever follows
  };
  struct Queue {
    Connection* conn = nullptr;
    std::vector<Held> items;
  };

  void apply_revision(Queue* q, const Revision& rev, SegmentEvent* current);
  void hand_on(Queue& q, size_t count);

  EventSink& sink_;
  std::unordered_map<uint32_t, Queue> queues_;  // by connection id, only while holding
  size_t held_ = 0;
};

}  // namespace tcpinspect::core
