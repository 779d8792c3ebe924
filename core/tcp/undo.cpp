// SPDX-License-Identifier: MIT
#include "core/tcp/undo.hpp"

#include "core/tcp/tcp_fsm.hpp"
#include "core/wire/packet.hpp"
#include "core/wire/seq.hpp"

namespace tcpinspect::core {
namespace {

// Moves the endpoint back to the state it had before `step`.
void revert(Endpoint& e, const UndoStep& step) {
  e.state = step.before;
  while (e.path.size() > step.path_size)
    e.path.pop();
  if (e.path.size() == 0) e.path.push(step.before);
}

Revision revision_of(const UndoStep& step, bool client_side, TcpState shown, RevisionCause cause) {
  Revision rev;
  rev.since_frame = step.frame;
  rev.client_side = client_side;
  rev.shown = shown;
  rev.real = step.before;
  rev.cause = cause;
  return rev;
}

// Undoes the latest receipt whose cause has `bit`, and every later one; the later ones that
// did not build on it (an ACK of this side's own FIN) are taken again from the restored
// state, each with a revision of its own where its result differs.
void undo_latest_receipt(Endpoint& e, uint8_t bit, bool client_side, RevisionCause cause,
                         SegmentEvent& ev) {
  std::array<UndoStep, UndoLog::kMaxUnconfirmedReceipts> receipts;
  size_t count = 0;
  for (size_t i = 0; i < e.undo.size(); ++i)
    if (e.undo[i].doubts & UndoStep::kMayBeLost) receipts[count++] = e.undo[i];
  for (size_t i = count; i-- > 0;) {
    const UndoStep& undone = receipts[i];
    if (!(undone.cause() & bit)) continue;
    if (e.state == undone.before) return;
    // Alone, it is undone with whatever the side did since (its state now); with later
    // receipts after it, each is corrected on its own records.
    Revision rev = revision_of(undone, client_side, i + 1 == count ? e.state : undone.after, cause);
    ev.add_revision(rev);
    revert(e, undone);
    // Whatever was applied on trust since is undone with it: the log keeps only the
    // receipts before it (and a possibly forged RST, which is another matter).
    e.undo.clear_crossing();
    e.undo.drop_doubt(UndoStep::kMayBeLost);
    for (size_t j = 0; j < i; ++j) {
      UndoStep kept = receipts[j];
      kept.crossing = 0;
      e.undo.add(kept);
    }
    for (size_t j = i + 1; j < count; ++j) {
      UndoStep q = receipts[j];
      if (q.cause() & bit) continue;
      q.before = e.state;
      q.path_size = static_cast<uint8_t>(e.path.size());
      q.crossing = 0;
      const TcpState after = state_after_receive(e.state, q.facts());
      if (after != q.after) {
        rev.since_frame = q.frame;
        rev.shown = q.after;
        rev.real = after;
        // Taken again, it is as unsure a receipt as it was.
        rev.real_unconfirmed = after != e.state;
        ev.add_revision(rev);
      }
      q.after = after;
      if (after == e.state) continue;
      e.state = after;
      e.path.push(after);
      e.undo.add(q);
    }
    return;
  }
}

// Undoes the step that may have crossed, with every receipt the endpoint has not confirmed.
void undo_crossing_step(Endpoint& e, const UndoStep& step) {
  revert(e, step);
  e.undo.clear_crossing();
  e.undo.drop_doubt(UndoStep::kMayBeLost);
}

}  // namespace

void log_step(Endpoint& e, const UndoStep& step) {
  e.undo.add(step);
}

void undo_what_resending_shows(Endpoint& s, Endpoint& r, bool sender_is_client,
                               const ResendFacts& f, SegmentEvent& ev) {
  const bool resend = f.syn_again || f.fin_again;
  // It sends again what the peer's ACK covered: that ACK never reached it.
  if (resend) undo_latest_receipt(s, kAck, sender_is_client, RevisionCause::AckNeverArrived, ev);
  const UndoStep* crossing = r.undo.crossing();
  if (f.syn_again && crossing && crossing->crossing == kSyn && r.packets == 0 &&
      r.state != crossing->before) {
    // The SYN again with nothing from the listener in between: it never took the first.
    const UndoStep step = *crossing;
    ev.add_revision(revision_of(step, !sender_is_client, r.state, RevisionCause::SynSentAgain));
    undo_crossing_step(r, step);
  } else if (f.fin_again) {
    // The FIN again and the receiver never acknowledged it: the first never arrived.
    undo_latest_receipt(r, kFin, !sender_is_client, RevisionCause::FinSentAgain, ev);
  }
  // An acknowledgement shows receipt of what it covers; a resent SYN/FIN shows nothing.
  ev.confirms = f.has_ack && !resend;
  if (ev.confirms) s.undo.confirm_receipts(f.ack);
}

uint8_t settle_crossing(Connection& c, Endpoint& s, const Endpoint& r, uint16_t flags, uint32_t ack,
                        SegmentEvent& ev) {
  const UndoStep* logged = s.undo.crossing();
  if (!logged) return 0;
  const UndoStep step = *logged;
  const uint8_t flag = step.crossing;
  const bool client_side = &s == &c.client;
  if (flag == kSyn && (flags & kRst)) {
    // A RST answering the SYN: nothing was listening, the side was CLOSED all along.
    Revision rev = revision_of(step, client_side, s.state, RevisionCause::SynAnsweredByRst);
    rev.real = TcpState::Closed;
    rev.from_start = true;
    s.path.clear();
    set_state(s, TcpState::Closed);
    s.undo.clear_crossing();
    s.undo.drop_doubt(UndoStep::kMayBeLost);
    ev.revised = true;
    ev.add_revision(rev);
    return 0;
  }
  const bool has_ack = flags & kAck;
  const bool covers = has_ack && (flag == kSyn ? r.isn_known && seq::ge(ack, r.isn + 1)
                                               : r.fin_sent && seq::ge(ack, r.fin_seq + 1));
  if (covers) {
    s.undo.clear_crossing();
    return 0;
  }
  const bool crossed =
      flag == kSyn ? (flags & kSyn) && !(flags & (kAck | kRst)) : (flags & kFin) != 0;
  if (!crossed) return 0;  // e.g. a duplicate ACK sent before the SYN/FIN arrived: undecided
  // This side sent its own SYN/FIN before the peer's reached it: undo the receipt, let the
  // send happen first, then take the receipt again (RFC 9293 figures 8 and 13).
  Revision rev =
      revision_of(step, client_side, s.state,
                  flag == kSyn ? RevisionCause::CrossingSyn : RevisionCause::CrossingFin);
  undo_crossing_step(s, step);
  if (flag == kSyn && s.state == TcpState::Listen) {
    s.path.clear();  // it was an active opener, not a listener
    set_state(s, TcpState::Closed);
  }
  ev.revised = true;
  rev.real = s.state;
  rev.from_start = flag == kSyn && step.before == TcpState::Listen;
  ev.add_revision(rev);
  if (flag == kSyn) {
    c.simultaneous_open = true;
    ev.notes.add(Note::SimultaneousOpen);
  } else {
    c.simultaneous_close = true;
    ev.notes.add(Note::SimultaneousClose);
  }
  return flag;
}

bool restore_after_forged_rst(Connection& c, Endpoint& s, SegmentEvent& ev) {
  const UndoStep* logged = s.undo.forged_rst();
  if (!logged || s.state != TcpState::Closed) return false;
  const UndoStep step = *logged;
  s.undo.drop_doubt(UndoStep::kMayBeForged);
  ev.notes.remove(Note::SegmentAfterClose);  // its sender was never closed
  ev.add_revision(revision_of(step, &s == &c.client, s.state, RevisionCause::RstNotSent));
  revert(s, step);
  ev.revised = true;
  return true;
}

bool settle_unanswered_syn(Connection& c, Revision& revision) {
  const UndoStep* logged = c.server.undo.crossing();
  if (!logged || logged->crossing != kSyn || c.server.packets != 0) return false;
  const UndoStep step = *logged;
  revision = revision_of(step, false, c.server.state, RevisionCause::SynUnanswered);
  undo_crossing_step(c.server, step);
  return revision.shown != revision.real;
}

}  // namespace tcpinspect::core
