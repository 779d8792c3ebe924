// SPDX-License-Identifier: MIT
#include "core/tcp/confirmation.hpp"

#include <algorithm>

#include "core/wire/packet.hpp"
#include "core/wire/seq.hpp"

namespace tcpinspect::core {
namespace {

constexpr uint8_t side_bit(bool client) {
  return client ? 1 : 2;
}

// The side whose state changed because it received this segment (0 if none did), and the
// sender when a crossing SYN/FIN re-applied after its own send changed it too.
uint8_t receiver_change(const SegmentEvent& ev) {
  const bool from_client = ev.dir == Direction::ClientToServer;
  uint8_t bits = 0;
  if (from_client ? ev.server_after != ev.server_before : ev.client_after != ev.client_before)
    bits |= side_bit(!from_client);
  if (ev.sender_receipt) bits |= side_bit(from_client);
  return bits;
}

// A receipt no acknowledgement can confirm: a segment that takes no sequence space (a pure
// ACK) is acknowledged by nothing, so the receiver's later acks say nothing about it. Its
// ACK of a FIN moves FIN_WAIT_1 -> FIN_WAIT_2, CLOSING -> TIME_WAIT, LAST_ACK -> CLOSED
// whether or not it arrived as far as the capture shows (the next segment may carry the
// same ack). The handshake's final ACK is the exception: lost, the client's next segment
// completes the handshake with the same ack, and the server acknowledging that segment
// shows it ESTABLISHED from then on.
uint8_t ack_blind_receiver(const SegmentEvent& ev, uint8_t change) {
  const DecodedPacket& p = *ev.packet;
  if (p.payload_len != 0 || (p.tcp.flags & (kSyn | kFin | kRst))) return 0;
  const bool from_client = ev.dir == Direction::ClientToServer;
  const uint8_t bit = side_bit(!from_client);
  if (!(change & bit)) return 0;
  const TcpState before = from_client ? ev.server_before : ev.client_before;
  return before == TcpState::SynRcvd ? 0 : bit;
}

uint32_t end_of(const DecodedPacket& p) {
  return seq::seg_end(p.tcp.seq, p.tcp.flags, p.payload_len);
}

// Shows `real` where `shown` was shown for one side, from frame `since` on.
bool correct(SegmentEvent& ev, const Revision& rev) {
  TcpState& after = rev.client_side ? ev.client_after : ev.server_after;
  TcpState& before = rev.client_side ? ev.client_before : ev.server_before;
  bool changed = false;
  if (after == rev.shown) after = rev.real, changed = true;
  if (ev.frame > rev.since_frame && before == rev.shown) before = rev.real, changed = true;
  if (rev.from_start && before != rev.real && ev.frame <= rev.since_frame)
    before = rev.real, changed = true;
  return changed;
}

// The receiver whose change was to CLOSED (0 if none) by the final ACK. Not by an RST: data
// from its sender may yet show it forged, which revises that sender's state in this record.
uint8_t closed_receiver(const SegmentEvent& ev, uint8_t change) {
  if (ev.packet->tcp.flags & kRst) return 0;
  const bool from_client = ev.dir == Direction::ClientToServer;
  const uint8_t bit = side_bit(!from_client);
  const TcpState after = from_client ? ev.server_after : ev.client_after;
  return (change & bit) && after == TcpState::Closed ? bit : 0;
}

}  // namespace

void ConfirmationBuffer::apply_revision(uint32_t conn_id, bool output_before, Queue* q,
                                        size_t count, const Revision& rev, SegmentEvent* current) {
  // Everything before the oldest record still held (or before the one revealing it) was
  // handed on: the correction reaches those of them from since_frame on.
  const bool holding = q != nullptr && count != 0;
  const uint64_t first_held = holding   ? q->items.front().ev.frame
                              : current ? current->frame
                                        : RevisionEvent::kLatest;
  const bool reached_output = !holding || first_held > rev.since_frame;
  // A side that was `real` from the start: records before since_frame show it too.
  if (reached_output || (rev.from_start && output_before)) {
    RevisionEvent out;
    out.conn_id = conn_id;
    out.first_frame = rev.since_frame;
    out.last_frame = first_held == RevisionEvent::kLatest ? first_held : first_held - 1;
    out.client_side = rev.client_side;
    out.shown = rev.shown;
    out.real = rev.real;
    out.unconfirmed = rev.real_unconfirmed;
    out.from_start = rev.from_start;
    out.cause = rev.cause;
    sink_.on_revision(out);
  }
  if (q) {
    for (size_t i = 0; i < count; ++i) {
      Held& h = q->items[i];
      if (h.ev.frame < rev.since_frame) continue;
      if (!correct(h.ev, rev)) continue;
      h.ev.revised = true;
      // A side that now shows no change has nothing left to confirm.
      const uint8_t bit = side_bit(rev.client_side);
      const bool same = rev.client_side ? h.ev.client_after == h.ev.client_before
                                        : h.ev.server_after == h.ev.server_before;
      if (same) {
        h.pending &= static_cast<uint8_t>(~bit);
        h.ack_blind &= static_cast<uint8_t>(~bit);
        h.unconfirmable &= static_cast<uint8_t>(~bit);
        // Nothing happened to that side here: no socket call returned because of it.
        const bool receiver = (h.ev.dir == Direction::ClientToServer) != rev.client_side;
        if (receiver) {
          h.ev.notes.remove(Note::ConnectReturns);
          h.ev.notes.remove(Note::AcceptReturns);
          h.ev.notes.remove(Note::ReadReturnsZero);
        }
      }
    }
  }
  if (current) {
    for (uint8_t i = 0; i < current->revision_count; ++i)
      if (&current->revisions[i] == &rev) current->revisions[i].reached_output = reached_output;
  }
}

void ConfirmationBuffer::on_segment(Connection& c, const SegmentEvent& ev) {
  const uint8_t change = receiver_change(ev);
  if (c.held == 0 && change == 0 && ev.revision_count == 0) {
    sink_.on_segment(ev);  // the common case: nothing waits, nothing to confirm
    return;
  }
  if (c.held == 0 && change == 0) {
    SegmentEvent e = ev;  // only revisions of records already handed on
    for (uint8_t i = 0; i < e.revision_count; ++i)
      apply_revision(c.id, true, nullptr, 0, e.revisions[i], &e);
    sink_.on_segment(e);
    return;
  }
  Queue& q = c.held ? slots_[c.held_slot] : open_queue(c, ev.ts_ns);
  // The event is copied once, into its place; what was held before it is corrected and
  // confirmed by it first (the loops stop short of it).
  const size_t before = q.items.size();
  Held& h = q.items.emplace_back(ev);
  SegmentEvent& e = h.ev;
  for (uint8_t i = 0; i < e.revision_count; ++i)
    apply_revision(c.id, q.output_before, &q, before, e.revisions[i], &e);
  if (e.confirms) {
    // Its acknowledgement shows the sender received the peer's segments it covers.
    const bool from_client = e.dir == Direction::ClientToServer;
    const uint8_t bit = side_bit(from_client);
    const uint32_t ack = e.packet->tcp.ack;
    for (size_t i = 0; i < before; ++i) {
      Held& held = q.items[i];
      if (!(held.pending & bit) || !seq::le(held.end[from_client ? 0 : 1], ack)) continue;
      held.pending &= static_cast<uint8_t>(~bit);
      // Past a pure ACK's place: no later ack will tell more; it is handed on unconfirmed.
      if (held.ack_blind & bit) held.unconfirmable |= bit;
    }
  }
  h.packet.payload = nullptr;  // the bytes are not kept; no renderer prints them
  // The receiver confirms by acknowledging the segment; a sender whose state a crossing
  // SYN/FIN changed, by acknowledging that.
  const bool from_client = e.dir == Direction::ClientToServer;
  h.end[from_client ? 1 : 0] = end_of(*e.packet);
  h.end[from_client ? 0 : 1] = e.sender_receipt_end;
  h.pending = change;
  h.ack_blind = ack_blind_receiver(e, change);
  // A receiver the final ACK closed sends nothing more that could
  // confirm it: it goes out unconfirmed now instead of waiting out the hold. Should the
  // peer's FIN come again, the revision still follows (a revised: line in text).
  const uint8_t closed = closed_receiver(e, change);
  h.pending &= static_cast<uint8_t>(~closed);
  h.unconfirmable |= closed;
  ++c.held;
  ++held_;
  // Hand on what is confirmed at the front; the cap releases the oldest as it is.
  size_t n = 0;
  while (n < q.items.size() && q.items[n].pending == 0)
    ++n;
  if (n == 0 && q.items.size() > kMaxHeldPerConnection) n = 1;
  if (n) hand_on(q, n);
}

ConfirmationBuffer::Queue& ConfirmationBuffer::open_queue(Connection& c, int64_t ts_ns) {
  if (free_slots_.empty()) {
    c.held_slot = static_cast<uint32_t>(slots_.size());
    slots_.emplace_back();
  } else {
    c.held_slot = free_slots_.back();
    free_slots_.pop_back();
  }
  ++queues_in_use_;
  Queue& q = slots_[c.held_slot];
  q.conn = &c;
  q.conn_id = c.id;
  // The segment that opens it is counted already: any other went out before it.
  q.output_before = c.client.packets + c.server.packets > 1;
  due_.push(Due{ts_ns, c.held_slot, c.id});
  return q;
}

void ConfirmationBuffer::hand_on(Queue& q, size_t count) {
  Connection& c = *q.conn;
  for (size_t i = 0; i < count; ++i) {
    Held& h = q.items[i];
    h.ev.packet = &h.packet;
    h.ev.unconfirmed = h.pending | h.unconfirmable;
    sink_.on_segment(h.ev);
  }
  q.items.erase(q.items.begin(), q.items.begin() + static_cast<std::ptrdiff_t>(count));
  c.held = static_cast<uint16_t>(c.held - count);
  held_ -= count;
  if (q.items.empty()) {
    q.conn = nullptr;
    free_slots_.push_back(c.held_slot);
    --queues_in_use_;
  } else {
    due_.push(Due{q.items.front().ev.ts_ns, c.held_slot, c.id});  // its front is newer now
  }
}

void ConfirmationBuffer::revise(const Connection& c, const Revision& rev) {
  if (c.held == 0) {
    apply_revision(c.id, true, nullptr, 0, rev, nullptr);
    return;
  }
  Queue& q = slots_[c.held_slot];
  apply_revision(c.id, q.output_before, &q, q.items.size(), rev, nullptr);
}

void ConfirmationBuffer::release(Connection& c) {
  if (c.held == 0) return;
  Queue& q = slots_[c.held_slot];
  hand_on(q, q.items.size());
}

void ConfirmationBuffer::release_before(int64_t ts_ns) {
  while (!due_.empty() && due_.top().ts < ts_ns) {
    const Due d = due_.top();
    due_.pop();
    const Queue& q = slots_[d.slot];
    // Gone, or its front is newer (that has an entry of its own).
    if (q.conn == nullptr || q.conn_id != d.conn_id || !(q.items.front().ev.ts_ns < ts_ns))
      continue;
    release(*q.conn);
  }
  if (queues_in_use_ == 0) due_ = {};
}

}  // namespace tcpinspect::core
