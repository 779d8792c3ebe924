// SPDX-License-Identifier: MIT
#include "core/lab/tcp_expectation.hpp"

#include <cstdlib>

#include "core/lab/tcp_flags_text.hpp"
#include "core/wire/packet.hpp"
#include "core/wire/seq.hpp"

namespace tcpinspect::core {

std::string_view peer_state_name(PeerState s) {
  return enum_entry<PeerState>(kPeerStates, s).id;
}

std::string_view reply_kind_name(ReplyKind k) {
  return enum_entry<ReplyKind>(kReplyKinds, k).id;
}

namespace {

Expectation closed_port(const SentSegment& s) {
  Expectation e;
  e.rfc = "RFC 9293 3.10.7.1";
  if (s.flags & kRst) {
    e.why = "a RST to a closed port is discarded";
    return e;
  }
  if (s.flags & kAck) {
    // The ACK bit tells the sender's view of our sequence space: answer inside it.
    e.reply = ReplyKind::Rst;
    e.check_seq = true;
    e.seq = s.ack;
    e.why = "closed port, ACK on: <SEQ=SEG.ACK><CTL=RST>";
    return e;
  }
  e.reply = ReplyKind::RstAck;
  e.check_seq = true;
  e.seq = 0;
  e.check_ack = true;
  e.ack = seq::seg_end(s.seq, s.flags, s.payload_len);
  e.why = "closed port, ACK off: <SEQ=0><ACK=SEG.SEQ+SEG.LEN><CTL=RST,ACK>";
  return e;
}

Expectation listening_port(const SentSegment& s) {
  Expectation e;
  e.rfc = "RFC 9293 3.10.7.2";
  if (s.flags & kRst) {
    e.why = "LISTEN: an incoming RST is ignored";
    return e;
  }
  if (s.flags & kAck) {
    e.reply = ReplyKind::Rst;
    e.check_seq = true;
    e.seq = s.ack;
    e.why = "LISTEN: any ACK is bad, <SEQ=SEG.ACK><CTL=RST>";
    return e;
  }
  if (s.flags & kSyn) {
    e.reply = ReplyKind::SynAck;
    e.check_ack = true;
    e.ack = s.seq + 1;  // the SYN consumes one sequence number; data on it waits (no TFO)
    e.why = (s.flags & kFin) ? "LISTEN: SYN is answered <SEQ=ISS><ACK=RCV.NXT><CTL=SYN,ACK> "
                               "(Linux drops SYN+FIN instead)"
                             : "LISTEN: SYN is answered <SEQ=ISS><ACK=RCV.NXT><CTL=SYN,ACK>";
    return e;
  }
  // FIN, NULL, Xmas, bare PSH/URG: neither RST, ACK nor SYN.
  e.why = "LISTEN: a segment without SYN, ACK or RST is dropped (RFC 793 behaviour: no answer)";
  return e;
}

Expectation established(const SentSegment& s, const ReceiverWindow& w) {
  Expectation e;
  if (s.flags & kRst) {
    e.rfc = "RFC 5961 3.2";
    if (s.seq == w.rcv_nxt) {
      e.resets_connection = true;
      e.why = "RST with seq = RCV.NXT exactly: the connection is reset, nothing is sent back";
      return e;
    }
    if (seq::in_window(s.seq, w.rcv_nxt, w.rcv_nxt + w.rcv_wnd)) {
      e.reply = ReplyKind::Ack;
      e.check_ack = true;
      e.ack = w.rcv_nxt;
      e.why = "RST inside the window but not at RCV.NXT: a challenge ACK, the connection lives";
      return e;
    }
    e.why = "RST outside the receive window: silently dropped";
    return e;
  }
  if (s.flags & kSyn) {
    e.rfc = "RFC 5961 4.2";
    e.reply = ReplyKind::Ack;
    e.check_ack = true;
    e.ack = w.rcv_nxt;
    e.why = "SYN on a synchronized connection: a challenge ACK";
    return e;
  }
  e.rfc = "RFC 9293 3.10.7.4";
  e.reply = ReplyKind::Ack;
  e.check_ack = true;
  e.ack = w.rcv_nxt + (s.seq == w.rcv_nxt ? seq::seg_len(s.flags, s.payload_len) : 0);
  e.why = s.seq == w.rcv_nxt ? "in-order segment: acknowledged"
                             : "out-of-order or old segment: an ACK with RCV.NXT";
  return e;
}

}  // namespace

Expectation expect_reply(PeerState state, const SentSegment& sent, const ReceiverWindow& window) {
  switch (state) {
    case PeerState::Closed:
      return closed_port(sent);
    case PeerState::Listen:
      return listening_port(sent);
    case PeerState::Established:
      return established(sent, window);
  }
  return {};
}

bool reply_matches(const Expectation& e, uint16_t flags, uint32_t seq, uint32_t ack) {
  const uint16_t ctl = flags & (kSyn | kRst | kAck | kFin);
  bool kind_ok = false;
  switch (e.reply) {
    case ReplyKind::Nothing:
      return false;
    case ReplyKind::Rst:
      kind_ok = (ctl & ~kAck) == kRst;
      break;
    case ReplyKind::RstAck:
      kind_ok = ctl == (kRst | kAck);
      break;
    case ReplyKind::SynAck:
      kind_ok = ctl == (kSyn | kAck);
      break;
    case ReplyKind::Ack:
      kind_ok = (ctl & ~kFin) == kAck;
      break;
  }
  if (!kind_ok) return false;
  if (e.check_seq && seq != e.seq) return false;
  if (e.check_ack && ((flags & kAck) == 0 || ack != e.ack)) return false;
  return true;
}

std::string relative_to_sent(uint32_t value, const SentSegment& sent) {
  auto with_offset = [](std::string base, int64_t d) {
    if (d == 0) return base;
    return base + (d > 0 ? "+" : "") + std::to_string(d);
  };
  constexpr int64_t kNear = 65536;
  const int64_t from_seq = seq::diff(value, sent.seq);
  const bool near_seq = from_seq >= -kNear && from_seq <= kNear + int64_t{sent.payload_len};
  const int64_t from_ack = seq::diff(value, sent.ack);
  const bool near_ack = (sent.flags & kAck) && from_ack >= -kNear && from_ack <= kNear;
  // A zero is usually just zero (the seq of a RST/ACK answering a SYN), unless it is what
  // the segment sent makes it, e.g. "your seq+1" across the wrap.
  const bool zero_is_ours = (from_seq >= 0 && from_seq <= int64_t{sent.payload_len} + 2) ||
                            ((sent.flags & kAck) && from_ack == 0);
  if (value == 0 && !zero_is_ours) return "0";
  // The closer reference wins: a RST at SEG.ACK is "your ack", not "your seq+4555".
  if (near_ack && (!near_seq || std::abs(from_ack) < std::abs(from_seq)))
    return with_offset("your ack", from_ack);
  if (near_seq) return with_offset("your seq", from_seq);
  return std::to_string(value);
}

std::string describe_expectation(const Expectation& e, const SentSegment& sent) {
  std::string out;
  if (e.reply == ReplyKind::Nothing)
    out = e.resets_connection ? "no reply expected (connection reset)" : "no reply expected";
  else
    out = std::string(reply_kind_name(e.reply)) + " expected";
  if (e.check_seq)
    out += ", seq=" +
           (e.reply == ReplyKind::RstAck ? std::to_string(e.seq) : relative_to_sent(e.seq, sent));
  if (e.check_ack) out += (e.check_seq ? " ack=" : ", ack=") + relative_to_sent(e.ack, sent);
  out += " (";
  out += e.rfc;
  out += ": ";
  out += e.why;
  out += ")";
  return out;
}

}  // namespace tcpinspect::core
