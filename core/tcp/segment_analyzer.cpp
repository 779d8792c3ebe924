// SPDX-License-Identifier: MIT
#include "core/tcp/segment_analyzer.hpp"

#include <algorithm>
#include <array>

#include "core/tcp/fast_open.hpp"
#include "core/tcp/forged_rst.hpp"
#include "core/tcp/retransmission_kind.hpp"
#include "core/tcp/tcp_fsm.hpp"
#include "core/tcp/undo.hpp"
#include "core/wire/seq.hpp"

namespace tcpinspect::core {
namespace {

constexpr uint8_t kMaxWindowScale = 14;  // RFC 7323 2.3

bool is_bare_syn(uint16_t flags) {
  return (flags & kSyn) && !(flags & (kAck | kRst));
}

void start_endpoint(Endpoint& e, const IpAddress& addr, uint16_t port, TcpState s) {
  e.addr = addr;
  e.port = port;
  set_state(e, s);
}

// The receiver's window in bytes, as last advertised (scaled once both SYNs agreed).
uint32_t receive_window(const Connection& c, const Endpoint& r) {
  if (!r.ack_set && r.packets == 0) return 65535;  // nothing advertised yet
  const bool scaled = c.client.offered_window_scale && c.server.offered_window_scale;
  return scaled ? uint32_t{r.last_window} << r.window_scale : r.last_window;
}

// Whether [seq, seq + len) lies inside the sender's open gap; if so the gap shrinks by it
// (from whichever end it touches; a piece from the middle keeps the larger remainder, as
// only one gap is tracked).
bool fills_hole(Endpoint& s, uint32_t seq, uint32_t len) {
  if (!s.hole_set || seq::lt(seq, s.hole_start) || seq::gt(seq + len, s.hole_end)) return false;
  const uint32_t end = seq + len;
  if (seq == s.hole_start) {
    s.hole_start = end;
  } else if (end == s.hole_end) {
    s.hole_end = seq;
  } else if (seq::diff(s.hole_end, end) >= seq::diff(seq, s.hole_start)) {
    s.hole_start = end;
  } else {
    s.hole_end = seq;
  }
  if (s.hole_start == s.hole_end) s.hole_set = false;
  return true;
}

// The SYN-ACK answered by RST (a half-open scan, a crafted SYN): the listener drops the
// half-open connection; accept() never returned, so nobody sees ECONNRESET.
void note_handshake_reset(Connection& c, SegmentEvent& ev) {
  c.handshake_reset = true;
  ev.notes.add(Note::HandshakeReset);
}

// Decides whether an RST is acceptable to its receiver (RFC 9293 3.10.7, RFC 5961 3.2).
bool rst_acceptable(Connection& c, const Endpoint& s, const Endpoint& r, Direction dir,
                    uint16_t flags, uint32_t seq, uint32_t ack, SegmentEvent& ev) {
  if (r.state == TcpState::SynSent) {
    // In SYN_SENT only an RST that acknowledges our SYN counts (RFC 9293 3.10.7.3).
    const bool ok = (flags & kAck) && r.isn_known && ack == r.isn + 1;
    ev.add_check(CheckKind::RstAcksSyn, ok, r.isn + 1, ack);
    if (!ok) {
      ev.notes.add(Note::RstOutOfWindow);
      return false;
    }
    c.refused_seen = true;
    ev.notes.add(Note::ConnectionRefused);
    return true;
  }
  const bool passive_syn_rcvd =
      r.state == TcpState::SynRcvd && &r == &c.server && !c.simultaneous_open;
  if (passive_syn_rcvd && c.bad_synack_seen && dir == Direction::ClientToServer &&
      seq == c.bad_synack_ack) {
    // The answer RFC 9293 3.10.7.3 prescribes to an unacceptable SYN-ACK: <SEQ=SEG.ACK>
    // <CTL=RST>. It is at the listener's RCV.NXT (what its SYN-ACK acknowledged).
    ev.add_check(CheckKind::RstAcceptable, true, c.bad_synack_ack, seq);
    ev.notes.add(Note::RstAnswersBadSynAck);
    return true;
  }
  if (!s.next_seq_set) {
    // Nothing known of this direction (the capture began with the listener's SYN-ACK): the
    // RST answering that SYN-ACK sits where the SYN-ACK's ack says; anything else is taken
    // at face value.
    if (!(passive_syn_rcvd && r.ack_set && seq == r.last_ack)) return true;
    ev.add_check(CheckKind::RstAcceptable, true, r.last_ack, seq);
    note_handshake_reset(c, ev);
    return true;
  }
  const uint32_t rcv_nxt = s.next_seq;
  ev.add_check(CheckKind::RstAcceptable, seq == rcv_nxt, rcv_nxt, seq);
  if (seq == rcv_nxt) {
    if (passive_syn_rcvd) {
      note_handshake_reset(c, ev);
      return true;
    }
    c.reset_by = dir == Direction::ClientToServer ? 1 : 2;
    ev.notes.add(Note::ConnectionReset);
    return true;
  }
  const uint32_t window = std::max<uint32_t>(receive_window(c, r), 1);
  ev.notes.add(seq::in_window(seq, rcv_nxt, rcv_nxt + window) ? Note::RstChallengeAck
                                                              : Note::RstOutOfWindow);
  return false;
}

void note_transition(Connection& c, Direction dir, Endpoint& e, bool is_client, TcpState before,
                     int64_t ts, SegmentEvent& ev) {
  (void)dir;
  const TcpState after = e.state;
  if (before == after) return;
  if (after == TcpState::Established &&
      (before == TcpState::SynSent || before == TcpState::SynRcvd)) {
    // connect() returns for the active side(s); accept() for the passive one.
    const bool active = is_client || c.simultaneous_open;
    ev.notes.add(active ? Note::ConnectReturns : Note::AcceptReturns);
  }
  if (after == TcpState::TimeWait) e.time_wait_since = ts;
}

// What analyze_segment's steps need to know of one segment, read once from the packet.
struct SegmentFacts {
  const TcpHeader& tcp;
  uint16_t flags;
  uint32_t seq;
  uint32_t ack;
  uint32_t len;      // payload bytes (from the IP lengths)
  uint32_t seg_len;  // sequence numbers it takes: payload, plus one each for SYN and FIN
  bool has_ack;
  bool syn;
  bool fin;
  bool rst;
  bool from_client;
};

SegmentFacts facts_of(const DecodedPacket& p, Direction dir) {
  const uint16_t flags = p.tcp.flags;
  const bool syn = flags & kSyn;
  const bool fin = flags & kFin;
  const uint32_t len = p.payload_len;
  return SegmentFacts{p.tcp,
                      flags,
                      p.tcp.seq,
                      p.tcp.ack,
                      len,
                      seq::seg_len(flags, len),
                      (flags & kAck) != 0,
                      syn,
                      fin,
                      (flags & kRst) != 0,
                      dir == Direction::ClientToServer};
}

// The event's frame of reference: which connection, which way, the states before.
void open_event(const Connection& c, Direction dir, const DecodedPacket& p, SegmentEvent& ev) {
  ev.conn_id = c.id;
  ev.dir = dir;
  ev.packet = &p;
  ev.client_before = c.client.state;
  ev.server_before = c.server.state;
  if (c.client.packets + c.server.packets == 0 && c.inferred) ev.notes.add(Note::InferredMidstream);
  if (both_closed(c)) ev.notes.add(Note::SegmentAfterClose);
}

// Counters, the checksum verdict, and Zeek's view of the segment (which sees every one).
void count_segment(Connection& c, Endpoint& s, const DecodedPacket& p, const SegmentFacts& g,
                   SegmentEvent& ev) {
  ++s.packets;
  s.payload_bytes += g.len;
  const bool checksum_bad = p.tcp_checksum == ChecksumStatus::Bad;
  if (checksum_bad) {
    ++c.bad_checksums;
    ev.notes.add(Note::BadChecksum);
  }
  c.zeek.on_segment(g.from_client, g.flags, g.seq, g.ack, g.len, g.tcp.window, checksum_bad,
                    p.captured_payload_len == g.len);
}

// Initial sequence numbers and the bases of relative numbering; fills the event's relative
// and symbolic numbers. Returns whether this is the sender's SYN again (same ISN).
bool learn_numbering(Connection& c, Endpoint& s, Endpoint& r, const SegmentFacts& g, int64_t ts,
                     SegmentEvent& ev) {
  const TcpHeader& tcp = g.tcp;
  bool retransmitted_syn = false;
  const bool synchronized = r.state >= TcpState::Established && r.state <= TcpState::TimeWait;
  if (g.syn && s.isn_known && g.seq != s.isn && synchronized) {
    // RFC 5961 4: a SYN with another sequence number on an open connection is neither a
    // retransmission nor a new ISN; the receiver answers with a challenge ACK.
    ev.notes.add(Note::SynInSynchronized);
    c.challenge_due |= g.from_client ? 2 : 1;
  } else if (g.syn) {
    if (s.syn_seen && s.isn_known && g.seq == s.isn) retransmitted_syn = true;
    s.isn = g.seq;
    s.isn_known = s.isn_set = true;
    s.syn_seen = true;
    s.offered_window_scale = tcp.options.has_window_scale;
    s.window_scale = std::min(tcp.options.window_scale, kMaxWindowScale);
    if (tcp.options.has_window_scale && tcp.options.window_scale > kMaxWindowScale)
      ev.notes.add(Note::WindowScaleClamped);
    if (!g.has_ack && c.syn_ts < 0) c.syn_ts = ts;
    if (g.has_ack && c.synack_ts < 0) c.synack_ts = ts;
    // Wireshark rebases a direction on its SYN.
    s.ws_base = g.seq;
    s.ws_base_set = true;
  } else if (!s.isn_set) {
    s.isn = g.seq - 1;  // mid-stream: number as if the first byte seen followed a SYN
    s.isn_set = true;
  }
  if (!s.ws_base_set) {
    s.ws_base = g.seq - 1;
    s.ws_base_set = true;
  }
  if (g.has_ack && !r.isn_set) {
    r.isn = g.ack - 1;
    r.isn_set = true;
  }
  if (g.has_ack && !r.ws_base_set) {
    r.ws_base = g.ack - 1;
    r.ws_base_set = true;
  }
  ev.rel_seq = g.seq - s.ws_base;
  ev.rel_ack = g.has_ack ? g.ack - r.ws_base : 0;
  ev.seq_sym = s.isn_set;
  ev.seq_off = seq::diff(g.seq, s.isn);
  ev.ack_sym = g.has_ack && r.isn_set;
  ev.ack_off = seq::diff(g.ack, r.isn);
  return retransmitted_syn;
}

// Where this segment sits in the sender's sequence space: expected, a retransmission, a
// keep-alive, out of order (fills the gap), or past a gap the capture did not see.
void place_in_sequence_space(const Connection& c, Endpoint& s, const Endpoint& r,
                             const DecodedPacket& p, const SegmentFacts& g, int64_t ts,
                             bool retransmitted_syn, SegmentEvent& ev) {
  const uint32_t seq = g.seq;
  const uint32_t len = g.len;
  if (ev.notes.has(Note::SynInSynchronized)) return;  // not in this sequence space (RFC 5961 4)
  if (!g.rst && s.next_seq_set) {
    if (seq == s.next_seq) {
      if (g.seg_len > 0) ev.add_check(CheckKind::SeqExpected, true, s.next_seq, seq);
    } else if (seq::lt(seq, s.next_seq)) {
      const bool keep_alive =
          !g.syn && !g.fin && len <= 1 && seq == s.next_seq - 1 && seq::le(seq + len, s.next_seq);
      if (keep_alive) {
        ev.notes.add(Note::KeepAlive);
      } else if (g.syn && g.has_ack && !s.synack_sent && seq == s.isn) {
        // Simultaneous open: the SYN-ACK repeats this side's own SYN (RFC 9293 figure 8).
      } else if (g.seg_len > 0) {
        // Sequence space sent before: routine, not an arithmetic error (no failed check).
        const bool in_gap = fills_hole(s, seq, g.seg_len);
        classify_resent(c, s, r, p, in_gap, ts, ev);
      }
    } else {
      ev.add_check(CheckKind::SeqExpected, false, s.next_seq, seq);
      ev.notes.add(Note::PreviousSegmentNotCaptured);
      s.hole_set = true;
      s.hole_start = s.next_seq;
      s.hole_end = seq;
    }
  } else if (retransmitted_syn) {
    ev.notes.add(g.has_ack ? Note::Retransmission : Note::SynRetransmission);
    ++s.retransmissions;
  }
  if (len > 0 && s.fin_sent && seq::gt(seq + len, s.fin_seq)) ev.notes.add(Note::DataAfterFin);
  if (len > 0 && r.fin_sent && !s.fin_sent) ev.notes.add(Note::HalfClose);
}

// What the acknowledgement says: the handshake's acks, a FIN acknowledged, an ack of data
// never seen, a duplicate ACK. Acks in RSTs are not examined.
void check_acknowledgement(Connection& c, Endpoint& r, const SegmentFacts& g, int64_t ts,
                           SegmentEvent& ev) {
  if (!g.has_ack || g.rst) return;
  const uint32_t ack = g.ack;
  if (g.syn && r.isn_known && !ev.notes.has(Note::SynInSynchronized)) {
    // ISN + 1, or with Fast Open also ISN + 1 + the SYN's data (RFC 7413: data accepted).
    const uint32_t expected = synack_expected_ack(r, ack);
    const bool ok = ack == expected;
    ev.add_check(CheckKind::SynAckAcksSyn, ok, expected, ack);
    if (!ok) {
      ev.notes.add(Note::SynAckBadAck);
      if (r.state == TcpState::SynSent) {
        c.bad_synack_seen = true;
        c.bad_synack_ack = ack;
      }
    }
  } else if (!g.syn && g.from_client && c.handshake_ack_ts < 0 && c.synack_ts >= 0 &&
             c.server.isn_known) {
    // The ACK may also cover data the server sent after its SYN-ACK (Fast Open's answer).
    const uint32_t syn_acked = c.server.isn + 1;
    const bool ok = ack == syn_acked || (c.server.next_seq_set && seq::gt(ack, syn_acked) &&
                                         seq::le(ack, c.server.next_seq));
    ev.add_check(CheckKind::HandshakeAck, ok, ok ? ack : syn_acked, ack);
    c.handshake_ack_ts = ts;
  }
  if (r.fin_sent && !r.fin_acked && ack == r.fin_seq + 1) {
    ev.add_check(CheckKind::FinAcked, true, r.fin_seq + 1, ack);
    r.fin_acked = true;
  }
  // A zero-window probe's byte, once the window opened, may be acknowledged.
  if (r.next_seq_set && seq::gt(ack, r.next_seq) &&
      !(r.history.probe_end_set && seq::le(ack, r.history.probe_end))) {
    ev.add_check(CheckKind::AckInRange, false, r.next_seq, ack);
    ev.notes.add(Note::AckedUnseenSegment);
  }
  // A duplicate ACK (RFC 5681 section 2): no data, no SYN/FIN, the same ack and window as
  // this side's previous acknowledgement, while the peer has data outstanding. Like
  // Wireshark, not with a zero window (those ACKs answer window probes).
  const uint16_t window = g.tcp.window;
  const int d = g.from_client ? 0 : 1;
  if (g.seg_len == 0 && window != 0 && c.last_ack_sent_set[d] && c.last_ack_sent[d] == ack &&
      c.last_win_sent[d] == window && r.next_seq_set && seq::gt(r.next_seq, ack) &&
      !ev.notes.has(Note::KeepAlive) && !r.history.last_was_zero_window_probe)
    ev.notes.add(Note::DuplicateAck);
  c.last_ack_sent[d] = ack;
  c.last_win_sent[d] = window;
  c.last_ack_sent_set[d] = true;
}

// Zero window, zero-window probes and their answers, and window full, as Wireshark
// reports them.
void note_window(const Connection& c, const Endpoint& s, const Endpoint& r, const SegmentFacts& g,
                 SegmentEvent& ev) {
  const bool control = g.syn || g.fin || g.rst;
  // As Wireshark: a SYN, FIN or RST with a zero window is not reported as one.
  if (g.tcp.window == 0 && !control) ev.notes.add(Note::ZeroWindow);
  // A zero-window probe: exactly one new byte while the receiver's window is zero
  // (Wireshark's rule; a probe repeating that byte is a keep-alive to it, as to us).
  if (!control && g.len == 1 && s.next_seq_set && g.seq == s.next_seq && r.packets > 0 &&
      r.last_window == 0)
    ev.notes.add(Note::ZeroWindowProbe);
  // Its answer: nothing new, the same ack and window as before, right after the probe.
  if (!control && g.seg_len == 0 && r.history.last_was_zero_window_probe && s.next_seq_set &&
      g.seq == s.next_seq && g.has_ack && s.ack_set && g.ack == s.last_ack &&
      g.tcp.window == s.last_window) {
    ev.notes.add(Note::ZeroWindowProbeAck);
    ev.notes.remove(Note::KeepAlive);
  }
  // Wireshark's "window full": the data ends exactly at the right edge of the window the
  // receiver last advertised (its highest ack + its window). Only once both SYNs were seen,
  // since the window scale is unknown before.
  if (g.len > 0 && !control && r.ack_set && c.client.syn_seen && c.server.syn_seen &&
      g.seq + g.len == r.last_ack + receive_window(c, r))
    ev.notes.add(Note::WindowFull);
}

// The pure ACK owed after a SYN in a synchronized state (RFC 5961 4).
void note_challenge_ack(Connection& c, const SegmentFacts& g, SegmentEvent& ev) {
  const uint8_t bit = g.from_client ? 1 : 2;
  if (!(c.challenge_due & bit)) return;
  if (g.has_ack && g.seg_len == 0 && !g.rst) ev.notes.add(Note::ChallengeAck);
  c.challenge_due &= static_cast<uint8_t>(~bit);
}

// The event's states "before", as they really were once a step was undone.
void refresh_before(const Connection& c, SegmentEvent& ev) {
  ev.client_before = c.client.state;
  ev.server_before = c.server.state;
}

// The states passed through between `before` and `after`, in order: `steps` with repeats
// (no change at that step) and the last state left out.
void note_via(ViaStates& via, TcpState before, const std::array<TcpState, 2>& steps,
              TcpState after) {
  TcpState last = before;
  for (TcpState step : steps) {
    if (step != last) via.add(step);
    last = step;
  }
  if (via.count && via.states[via.count - 1] == after) --via.count;
}

// The peer's crossing SYN or FIN, received after this side's own send: as unsure as any
// receipt, so it is unconfirmed until this side acknowledges it, and undone if the peer
// sends it again first (it never arrived: the crossing was a loss).
void reapply_crossing_receipt(Endpoint& s, const Endpoint& r, uint8_t flag, SegmentEvent& ev) {
  const TcpState before = s.state;
  const uint8_t path_size = static_cast<uint8_t>(s.path.size());
  const ReceiveFacts facts{flag, false, false, false};
  set_state(s, state_after_receive(before, facts));
  if (s.state == before) return;
  const uint32_t end = flag == kFin ? r.fin_seq + 1 : r.isn + 1;
  UndoStep step{.frame = ev.frame, .end = end, .before = before, .after = s.state};
  step.path_size = path_size;
  step.doubts = UndoStep::kMayBeLost;
  step.set_facts(facts);
  log_step(s, step);
  ev.sender_receipt = true;
  ev.sender_receipt_end = end;
}

// A side in TIME_WAIT or CLOSED sends no more data: what it sent first, and when, is no
// longer needed to name a retransmission (core/tcp/sender_history.hpp).
void forget_originals(Endpoint& e) {
  e.history.originals.reset();
  e.history.originals_count = 0;
  e.history.originals_next = 0;
}

// Both endpoints' state transitions: the sender's for sending, the receiver's for
// receiving (a SYN or FIN received provisionally, until the receiver's next segment shows
// whether it really was). An unacceptable RST changes nothing.
void apply_transitions(Connection& c, Direction dir, Endpoint& s, Endpoint& r,
                       const SegmentFacts& g, const ResendFacts& resend, int64_t ts,
                       SegmentEvent& ev) {
  const uint16_t flags = g.flags;
  undo_what_resending_shows(s, r, g.from_client, resend, ev);
  if (ev.revision_count) ev.revised = true;
  const bool accepted = !g.rst || rst_acceptable(c, s, r, dir, flags, g.seq, g.ack, ev);
  if (!accepted) {
    refresh_before(c, ev);
    return;
  }
  const uint8_t reapply = settle_crossing(c, s, r, flags, g.ack, ev);
  if (ev.revision_count) ev.revised = true;
  // After a revision the states "before" are what they really were when it was sent.
  refresh_before(c, ev);
  const TcpState s_before = s.state;
  // The sender may pass through up to two states before its last: the SYN-ACK it must have
  // received, its own send, and the peer's crossing SYN/FIN taken after that send.
  std::array<TcpState, 2> s_steps{};
  if (s.state == TcpState::SynSent && g.has_ack && !g.syn && !g.rst && r.isn_known &&
      seq::ge(g.ack, r.isn + 1)) {
    // It acknowledges the peer's SYN, so it received an acceptable SYN-ACK (even one the
    // capture missed): no endpoint stays SYN_SENT after acknowledging the peer's SYN.
    set_state(s, TcpState::Established);
  }
  s_steps[0] = s.state;
  const uint8_t s_path_size = static_cast<uint8_t>(s.path.size());
  if (!ev.notes.has(Note::RstAnswersBadSynAck))  // that RST leaves the client in SYN_SENT
    set_state(s, state_after_send(s.state, flags));
  if (g.rst && s.state != s_before) {
    // In case data from it shows it never sent this RST.
    UndoStep step{.frame = ev.frame, .end = 0, .before = s_before, .after = s.state};
    step.path_size = s_path_size;
    step.doubts = UndoStep::kMayBeForged;
    log_step(s, step);
  }
  s_steps[1] = s.state;
  if (reapply) reapply_crossing_receipt(s, r, reapply, ev);
  note_via(ev.via[g.from_client ? 0 : 1], s_before, s_steps, s.state);
  note_transition(c, dir, s, g.from_client, s_before, ts, ev);

  const TcpState r_before = r.state;
  ReceiveFacts facts;
  facts.flags = flags;
  // In SYN_SENT only ISN + 1 (or ISN + 1 + Fast Open data) is acceptable (RFC 9293
  // 3.10.7.3); later, any ack up to SND.NXT covers the SYN.
  const bool acceptable_synack = r.isn_known && g.ack == synack_expected_ack(r, g.ack);
  facts.acks_our_syn =
      g.has_ack && r.isn_known &&
      (r_before == TcpState::SynSent ? acceptable_synack : seq::ge(g.ack, r.isn + 1));
  facts.acks_our_fin = g.has_ack && r.fin_sent && seq::ge(g.ack, r.fin_seq + 1);
  facts.passive_open = &r == &c.server && !c.simultaneous_open;
  const TcpState r_after = state_after_receive(r_before, facts);
  const uint8_t r_path_size = static_cast<uint8_t>(r.path.size());
  const bool new_fin = g.fin && !(s.fin_sent && s.fin_seq == seq::fin_seq(g.seq, g.flags, g.len));
  // A SYN or FIN received may have crossed the receiver's own: its next segment tells.
  const bool may_cross =
      (is_bare_syn(flags) && (r_before == TcpState::Listen || r_before == TcpState::Closed)) ||
      (new_fin && r_before == TcpState::Established);
  set_state(r, r_after);
  if (r_after != r_before) {
    const bool acked_own =
        (facts.acks_our_syn && (r_before == TcpState::SynSent || r_before == TcpState::SynRcvd)) ||
        facts.acks_our_fin;
    UndoStep step{
        .frame = ev.frame, .end = g.seq + g.seg_len, .before = r_before, .after = r_after};
    step.path_size = r_path_size;
    step.crossing = may_cross ? (is_bare_syn(flags) ? kSyn : kFin) : 0;
    // An accepted RST is no receipt to confirm: nothing the receiver sends after it counts.
    step.doubts = g.rst ? 0 : UndoStep::kMayBeLost;
    step.set_facts(facts);
    step.acked_own = acked_own;
    log_step(r, step);
  }
  note_transition(c, dir, r, !g.from_client, r_before, ts, ev);
  // A FIN that reaches its receiver (the first one, or one sent again after it was lost).
  const bool fin_received = r_after == TcpState::CloseWait || r_after == TcpState::Closing ||
                            r_after == TcpState::TimeWait;
  if (g.fin && r_after != r_before && fin_received) ev.notes.add(Note::ReadReturnsZero);
}

// Bookkeeping of the sender's sequence space, once the segment has been judged against it.
void advance_sender(Connection& c, Endpoint& s, const SegmentFacts& g, int64_t ts, bool probe) {
  if (g.syn && g.has_ack) s.synack_sent = true;
  if (g.fin) {
    s.fin_seq = seq::fin_seq(g.seq, g.flags, g.len);
    s.fin_sent = true;
  }
  // As Wireshark, a zero-window probe's byte is not taken as sent: the receiver had no
  // room for it, and the next probe or the data once the window opens start at it again.
  if (!g.rst && !probe) {
    const uint32_t end = g.seq + g.seg_len;
    if (!s.next_seq_set || seq::gt(end, s.next_seq)) s.next_seq = end;
    s.next_seq_set = true;
  }
  if (g.has_ack && (!s.ack_set || seq::gt(g.ack, s.last_ack))) {
    s.last_ack = g.ack;
    s.ack_set = true;
  }
  s.last_window = g.tcp.window;
  if (both_closed(c) && c.closed_since < 0) c.closed_since = ts;
}

}  // namespace

void start_connection(Connection& c, uint32_t id, const DecodedPacket& p, int64_t ts) {
  const uint16_t flags = p.tcp.flags;
  c.id = id;
  c.first_ts = c.last_ts = ts;
  // Roles follow the handshake: the sender of a SYN-ACK is the passive opener, whatever
  // its ports. Otherwise they follow Zeek: the first packet's sender is the originator
  // unless Zeek would flip.
  const bool flip =
      !is_bare_syn(flags) && zeek_first_packet_flips(flags, p.tcp.src_port, p.tcp.dst_port);
  const bool synack_first = (flags & kSyn) && (flags & kAck) && !(flags & kRst);
  const bool sender_is_client = synack_first ? false : !flip;
  // Zeek's originator (after its creation-time flip) is the first packet's receiver when it
  // flips, its sender otherwise. Where that is the teaching server (a first SYN-ACK Zeek
  // does not flip), Zeek maps the caller's sides the other way round: one mapping, which
  // its late flip undoes and the zeek format reads back (zeek_roles_swapped()).
  if (sender_is_client == flip) c.zeek.swap_caller_frame();
  const IpAddress& caddr = sender_is_client ? p.src : p.dst;
  const IpAddress& saddr = sender_is_client ? p.dst : p.src;
  const uint16_t cport = sender_is_client ? p.tcp.src_port : p.tcp.dst_port;
  const uint16_t sport = sender_is_client ? p.tcp.dst_port : p.tcp.src_port;
  if (is_bare_syn(flags)) {
    start_endpoint(c.client, caddr, cport, TcpState::Closed);
    start_endpoint(c.server, saddr, sport, TcpState::Listen);
  } else if (synack_first) {
    // The SYN was not captured but the SYN-ACK was: the handshake is still visible.
    start_endpoint(c.client, caddr, cport, TcpState::SynSent);
    start_endpoint(c.server, saddr, sport, TcpState::Listen);
    c.inferred = true;
  } else {
    start_endpoint(c.client, caddr, cport, TcpState::Established);
    start_endpoint(c.server, saddr, sport, TcpState::Established);
    c.inferred = true;
  }
  if (flip) c.zeek.flip();
}

Direction direction_of(const Connection& c, const DecodedPacket& p) {
  return p.tcp.src_port == c.client.port && p.src == c.client.addr ? Direction::ClientToServer
                                                                   : Direction::ServerToClient;
}

void analyze_segment(Connection& c, Direction dir, const DecodedPacket& p, int64_t ts,
                     SegmentEvent& ev) {
  Endpoint& s = c.sender(dir);
  Endpoint& r = c.receiver(dir);
  const SegmentFacts g = facts_of(p, dir);
  ResendFacts resend;
  // A SYN again after its SYN, a SYN-ACK again after its SYN-ACK (not the SYN-ACK that
  // follows its own SYN in a simultaneous open).
  resend.syn_again =
      g.syn && s.syn_seen && s.isn_known && g.seq == s.isn && (!g.has_ack || s.synack_sent);
  resend.fin_again = g.fin && s.fin_sent && s.fin_seq == seq::fin_seq(g.seq, g.flags, g.len);
  resend.has_ack = g.has_ack;
  resend.rst = g.rst;
  resend.ack = g.ack;
  open_event(c, dir, p, ev);
  c.last_ts = ts;
  count_segment(c, s, p, g, ev);
  check_forged_rst(s, p, ev);
  if ((ev.forged_rst.reasons & kDataAfterRst) && restore_after_forged_rst(c, s, ev))
    refresh_before(c, ev);
  const bool retransmitted_syn = learn_numbering(c, s, r, g, ts, ev);
  note_fast_open(s, r, p, ev);
  place_in_sequence_space(c, s, r, p, g, ts, retransmitted_syn, ev);
  check_acknowledgement(c, r, g, ts, ev);
  note_window(c, s, r, g, ev);
  note_challenge_ack(c, g, ev);
  apply_transitions(c, dir, s, r, g, resend, ts, ev);
  remember_segment(s, p, ts, ev);
  // A SYN on an open connection is not in its sequence space (RFC 5961 4).
  if (!ev.notes.has(Note::SynInSynchronized))
    advance_sender(c, s, g, ts, ev.notes.has(Note::ZeroWindowProbe));
  for (Endpoint* e : {&c.client, &c.server})
    if (e->history.originals && (e->state == TcpState::TimeWait || e->state == TcpState::Closed))
      forget_originals(*e);
  ev.client_after = c.client.state;
  ev.server_after = c.server.state;
  ev.client_isn = c.client.isn;
  ev.server_isn = c.server.isn;
}

int64_t next_time_wait_expiry(const Connection& c, int64_t two_msl) {
  int64_t best = -1;
  for (const Endpoint* e : {&c.client, &c.server}) {
    if (e->state != TcpState::TimeWait || e->time_wait_since < 0) continue;
    const int64_t due = e->time_wait_since + two_msl;
    if (best < 0 || due < best) best = due;
  }
  return best;
}

int expire_time_wait(Connection& c, int64_t now, int64_t two_msl, TimerEvent* out) {
  int n = 0;
  bool client_side = true;
  for (Endpoint* e : {&c.client, &c.server}) {
    if (e->state == TcpState::TimeWait && e->time_wait_since >= 0 &&
        now - e->time_wait_since >= two_msl) {
      const int64_t due = e->time_wait_since + two_msl;
      set_state(*e, TcpState::Closed);
      TimerEvent& t = out[n++];
      t.ts_ns = due;
      t.conn_id = c.id;
      t.client_side = client_side;
      t.before = TcpState::TimeWait;
      t.after = TcpState::Closed;
      t.note = Note::TimeWaitExpired;
      if (both_closed(c) && c.closed_since < 0) {
        c.closed_since = due;
        c.closed_via_time_wait = true;
      }
    }
    client_side = false;
  }
  return n;
}

std::string_view apply_icmp_unreachable(Connection& c, Direction quoted_dir, const IcmpQuote& icmp,
                                        bool is_ipv6) {
  c.unreachable_seen = true;
  std::string_view err;
  if (!is_ipv6) {
    switch (icmp.code) {  // RFC 792 / RFC 1122 codes, mapped as Linux's icmp_err_convert
      case 0:
      case 6:
      case 9:
      case 11:
        err = "ENETUNREACH";
        break;
      case 2:
        err = "ENOPROTOOPT";
        break;
      case 3:
        err = "ECONNREFUSED";
        break;
      case 4:
        err = "EMSGSIZE";
        break;
      case 5:
        err = "EOPNOTSUPP";
        break;
      default:
        err = "EHOSTUNREACH";
        break;
    }
  } else {
    switch (icmp.code) {  // RFC 4443 3.1, as Linux's icmpv6_err_convert
      case 0:
        err = "ENETUNREACH";
        break;
      case 1:
      case 5:
      case 6:
        err = "EACCES";
        break;
      case 4:
        err = "ECONNREFUSED";
        break;
      default:
        err = "EHOSTUNREACH";
        break;
    }
  }
  // Linux makes ICMP errors fatal for a connect() in progress (tcp_v4_err), except
  // "fragmentation needed", which is path-MTU discovery, not a failure.
  Endpoint& origin = c.sender(quoted_dir);
  if (origin.state == TcpState::SynSent && err != "EMSGSIZE") set_state(origin, TcpState::Closed);
  return err;
}

bool both_closed(const Connection& c) {
  return c.client.state == TcpState::Closed && c.server.state == TcpState::Closed;
}

bool finalize_connection(Connection& c, Revision& revision) {
  const bool revised = settle_unanswered_syn(c, revision);
  const bool client_never_established = c.client.state == TcpState::SynSent && c.syn_ts >= 0;
  if (c.refused_seen) {
    c.close = CloseKind::Refused;
  } else if (c.reset_by != 0) {
    c.close = c.reset_by == 1 ? CloseKind::ResetByClient : CloseKind::ResetByServer;
  } else if (client_never_established) {
    // Still SYN_SENT (no SYN-ACK, or only unacceptable ones): connect() has not returned.
    // Silence proves no give-up: the stack may still be retrying (no timed_out from it).
    c.close = c.unreachable_seen ? CloseKind::Unreachable : CloseKind::NoAnswer;
  } else if (c.handshake_reset) {
    c.close = CloseKind::HandshakeReset;
  } else if (c.unreachable_seen && c.synack_ts < 0 && !c.inferred) {
    c.close = CloseKind::Unreachable;
  } else if (c.client.fin_sent && c.server.fin_sent) {
    c.close =
        (c.client.fin_acked && c.server.fin_acked) ? CloseKind::Graceful : CloseKind::HalfClosed;
  } else if (c.client.fin_sent || c.server.fin_sent) {
    c.close = CloseKind::HalfClosed;
  } else if (c.synack_ts < 0 && c.syn_ts >= 0 && c.server.packets == 0) {
    // Silence proves no give-up: the stack may still be retrying (no timed_out from it).
    c.close = CloseKind::NoAnswer;
  } else {
    c.close = CloseKind::Open;
  }
  return revised;
}

}  // namespace tcpinspect::core
