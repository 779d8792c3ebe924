// SPDX-License-Identifier: MIT
#include "core/tcp/hindsight.hpp"

#include "core/wire/packet.hpp"
#include "core/wire/seq.hpp"

namespace tcpinspect::core {

void revert_endpoint(Endpoint& e, TcpState before, uint8_t path_size) {
  e.state = before;
  while (e.path.size() > path_size)
    e.path.pop();
  if (e.path.size() == 0) e.path.push(before);
}

void mark_unconfirmed(Endpoint& r, TcpState before, uint8_t path_size_before, uint8_t cause,
                      uint32_t end, uint64_t frame) {
  if (r.pending_count == r.pending.size()) {
    // Bounded: the oldest is forgotten (it can no longer be undone, only stay unconfirmed).
    for (size_t i = 1; i < r.pending.size(); ++i)
      r.pending[i - 1] = r.pending[i];
    --r.pending_count;
  }
  r.pending[r.pending_count++] =
      Endpoint::PendingReceipt{frame, end, before, path_size_before, cause};
}

void forget_unconfirmed(Endpoint& e) {
  e.pending_count = 0;
}

namespace {

// Undoes the latest pending receipt whose cause has `bit`, and every later one.
bool undo_latest(Endpoint& e, uint8_t bit, bool client_side, RevisionCause cause, Revision& rev) {
  for (size_t i = e.pending_count; i-- > 0;) {
    const Endpoint::PendingReceipt& p = e.pending[i];
    if (!(p.cause & bit)) continue;
    if (e.state == p.before) return false;
    rev.since_frame = p.frame;
    rev.client_side = client_side;
    rev.shown = e.state;
    rev.real = p.before;
    rev.cause = cause;
    revert_endpoint(e, p.before, p.path_size);
    e.pending_count = static_cast<uint8_t>(i);
    e.provisional = false;  // whatever was applied on trust since is undone with it
    return true;
  }
  return false;
}

}  // namespace

void apply_hindsight(Endpoint& s, Endpoint& r, bool sender_is_client, const ResendFacts& f,
                     SegmentEvent& ev) {
  const bool resend = f.syn_again || f.fin_again;
  Revision rev;
  // It sends again what the peer's ACK covered: that ACK never reached it.
  if (resend && undo_latest(s, kAck, sender_is_client, RevisionCause::AckNeverArrived, rev))
    ev.add_revision(rev);
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
  } else if (f.fin_again &&
             undo_latest(r, kFin, !sender_is_client, RevisionCause::FinSentAgain, rev)) {
    // The FIN again and the receiver never acknowledged it: the first never arrived.
    ev.add_revision(rev);
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
