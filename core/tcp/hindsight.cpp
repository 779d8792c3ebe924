// SPDX-License-Identifier: MIT
#include "core/tcp/hindsight.hpp"

#include "core/tcp/tcp_fsm.hpp"
#include "core/wire/packet.hpp"
#include "core/wire/seq.hpp"

namespace tcpinspect::core {

void revert_endpoint(Endpoint& e, TcpState before, uint8_t path_size) {
  e.state = before;
  while (e.path.size() > path_size)
    e.path.pop();
  if (e.path.size() == 0) e.path.push(before);
}

void mark_unconfirmed(Endpoint& r, const Endpoint::PendingReceipt& receipt) {
  if (r.pending_count == r.pending.size()) {
    // Bounded: the oldest is forgotten (it can no longer be undone, only stay unconfirmed).
    for (size_t i = 1; i < r.pending.size(); ++i)
      r.pending[i - 1] = r.pending[i];
    --r.pending_count;
  }
  r.pending[r.pending_count++] = receipt;
}

void forget_unconfirmed(Endpoint& e) {
  e.pending_count = 0;
}

namespace {

// Undoes the latest pending receipt whose cause has `bit`, and every later one; the later
// ones that did not build on it (an ACK of this side's own FIN) are applied again from the
// restored state, each with a revision of its own where its result differs.
bool undo_latest(Endpoint& e, uint8_t bit, bool client_side, RevisionCause cause,
                 SegmentEvent& ev) {
  for (size_t i = e.pending_count; i-- > 0;) {
    const Endpoint::PendingReceipt undone = e.pending[i];
    if (!(undone.cause & bit)) continue;
    if (e.state == undone.before) return false;
    Revision rev;
    rev.since_frame = undone.frame;
    rev.client_side = client_side;
    const std::array<Endpoint::PendingReceipt, 4> later = e.pending;
    const size_t later_end = e.pending_count;
    // Alone, it is undone with whatever the side did since (its state now); with later
    // receipts after it, each is corrected on its own records.
    rev.shown = i + 1 == later_end ? e.state : undone.after;
    rev.real = undone.before;
    rev.cause = cause;
    ev.add_revision(rev);
    revert_endpoint(e, undone.before, undone.path_size);
    e.pending_count = static_cast<uint8_t>(i);
    e.provisional = false;  // whatever was applied on trust since is undone with it
    for (size_t j = i + 1; j < later_end; ++j) {
      Endpoint::PendingReceipt q = later[j];
      if (q.cause & bit) continue;
      q.before = e.state;
      q.path_size = static_cast<uint8_t>(e.path.size());
      const TcpState after = state_after_receive(e.state, q.facts);
      if (after != q.after) {
        rev.since_frame = q.frame;
        rev.shown = q.after;
        rev.real = after;
        ev.add_revision(rev);
      }
      q.after = after;
      if (after == e.state) continue;
      e.state = after;
      e.path.push(after);
      mark_unconfirmed(e, q);
    }
    return true;
  }
  return false;
}

}  // namespace

void apply_hindsight(Endpoint& s, Endpoint& r, bool sender_is_client, const ResendFacts& f,
                     SegmentEvent& ev) {
  const bool resend = f.syn_again || f.fin_again;
  // It sends again what the peer's ACK covered: that ACK never reached it.
  if (resend) undo_latest(s, kAck, sender_is_client, RevisionCause::AckNeverArrived, ev);
  Revision rev;
  if (f.syn_again && r.provisional && r.provisional_flag == kSyn && r.packets == 0 &&
      r.state != r.provisional_before) {
    // The SYN again with nothing from the listener in between: it never took the first.
    rev.since_frame = r.provisional_frame;
    rev.client_side = !sender_is_client;
    rev.shown = r.state;
    rev.real = r.provisional_before;
    rev.cause = RevisionCause::SynSentAgain;
    revert_endpoint(r, r.provisional_before, r.provisional_path_size);
    r.provisional = false;
    forget_unconfirmed(r);
    ev.add_revision(rev);
  } else if (f.fin_again) {
    // The FIN again and the receiver never acknowledged it: the first never arrived.
    undo_latest(r, kFin, !sender_is_client, RevisionCause::FinSentAgain, ev);
  }
  // An acknowledgement shows receipt of what it covers; a resent SYN/FIN shows nothing.
  ev.confirms = f.has_ack && !resend;
  if (!ev.confirms) return;
  uint8_t kept = 0;
  for (uint8_t i = 0; i < s.pending_count; ++i)
    if (!seq::le(s.pending[i].end, f.ack)) s.pending[kept++] = s.pending[i];
  s.pending_count = kept;
}

}  // namespace tcpinspect::core
