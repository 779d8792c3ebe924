// SPDX-License-Identifier: MIT
#pragma once
#include <array>
#include <cstdint>
#include <functional>
#include <queue>
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
  /// time `ts_ns`, oldest first. O(log n) per connection that began holding.
  void release_before(int64_t ts_ns);
  size_t held_events() const { return held_; }
  /// Whether release_before has anything to look at.
  bool holding() const { return !due_.empty(); }

 private:
  struct Held {
    // Copies in place: value-initialising ~600 bytes only to overwrite them was half the
    // cost of holding an event.
    explicit Held(const SegmentEvent& e) : ev(e), packet(*e.packet) {}
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
    uint32_t conn_id = 0;        // conn->id, without touching the connection
    bool output_before = false;  // records of the connection went out before these
    std::vector<Held> items;
  };

  /// Corrects the first `count` held events of `q` (which may be null), and tells the sink
  /// which records it had already handed on the correction reaches (EventSink::on_revision).
  /// `output_before`: records of the connection older than those held went out.
  void apply_revision(uint32_t conn_id, bool output_before, Queue* q, size_t count,
                      const Revision& rev, SegmentEvent* current);
  Queue& open_queue(Connection& c, int64_t ts_ns);
  void hand_on(Queue& q, size_t count);

  EventSink& sink_;
  // Queues by slot (Connection::held_slot); a free slot keeps its vector's capacity, so
  // holding allocates only while the busiest moment grows.
  std::vector<Queue> slots_;
  std::vector<uint32_t> free_slots_;
  size_t queues_in_use_ = 0;
  // When each queue's oldest record is from, earliest on top: (capture time, slot, the
  // connection's id), pushed when a queue begins and again when its front is handed on. An
  // entry whose slot holds nothing for that connection now, or whose front is newer now,
  // is skipped.
  struct Due {
    int64_t ts;
    uint32_t slot;
    uint32_t conn_id;
    bool operator>(const Due& o) const { return ts > o.ts; }
  };
  std::priority_queue<Due, std::vector<Due>, std::greater<Due>> due_;
  size_t held_ = 0;
};

}  // namespace tcpinspect::core
