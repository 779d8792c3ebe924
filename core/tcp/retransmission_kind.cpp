// SPDX-License-Identifier: MIT
#include "core/tcp/retransmission_kind.hpp"

#include "core/wire/seq.hpp"

namespace tcpinspect::core {
namespace {

// Wireshark: a resend within 20 ms of the duplicate ACKs is the sender's answer to them.
constexpr int64_t kFastRetransmitWindowNs = 20'000'000;
// Wireshark's out-of-order threshold when the first round trip is unknown.
constexpr int64_t kDefaultOutOfOrderNs = 3'000'000;

const FirstTransmission* original_of(const SenderHistory& h, uint32_t seq) {
  if (!h.originals) return nullptr;
  for (uint8_t i = 0; i < h.originals_count; ++i) {
    const FirstTransmission& o = (*h.originals)[i];
    if (seq::ge(seq, o.seq) && seq::lt(seq, o.end)) return &o;
  }
  return nullptr;
}

// Wireshark's ts_first_rtt: from the SYN to the ACK completing the handshake.
int64_t out_of_order_threshold(const Connection& c) {
  if (c.syn_ts >= 0 && c.handshake_ack_ts > c.syn_ts) return c.handshake_ack_ts - c.syn_ts;
  return kDefaultOutOfOrderNs;
}

}  // namespace

void classify_resent(const Connection& c, Endpoint& s, const Endpoint& r, const DecodedPacket& p,
                     bool in_gap, int64_t ts, SegmentEvent& ev) {
  const uint16_t flags = p.tcp.flags;
  const bool syn = flags & kSyn;
  const uint32_t seq = p.tcp.seq;
  const uint32_t len = p.payload_len;
  const uint32_t seg_len = seq::seg_len(flags, len);
  const int peer = ev.dir == Direction::ClientToServer ? 1 : 0;  // the receiver's acks
  RetransmissionEvidence& e = ev.retransmission;
  if (const FirstTransmission* o = original_of(s.history, seq)) {
    e.original_frame = o->frame;
    e.since_original_ns = ts - o->ts;
  }
  auto resent = [&](RetransmissionRule rule, Note kind) {
    e.rule = rule;
    ev.notes.add(syn && !(flags & kAck) ? Note::SynRetransmission : Note::Retransmission);
    if (kind != Note::Retransmission) ev.notes.add(kind);
    ++s.retransmissions;
  };

  // Fast: the receiver asked for exactly this seq with >= 2 duplicate ACKs, just now.
  const int64_t since_ack = r.history.last_ack_ts >= 0 ? ts - r.history.last_ack_ts : -1;
  if (r.history.dup_acks >= 2 && c.last_ack_sent_set[peer] && c.last_ack_sent[peer] == seq &&
      since_ack >= 0 && since_ack < kFastRetransmitWindowNs) {
    e.dup_acks = r.history.dup_acks;
    e.since_last_ack_ns = since_ack;
    resent(RetransmissionRule::Fast, Note::FastRetransmission);
    return;
  }
  // Out of order by timing: too soon after the newest segment to be anyone's resend.
  const int64_t threshold = out_of_order_threshold(c);
  const int64_t since_newest = s.history.next_seq_ts >= 0 ? ts - s.history.next_seq_ts : -1;
  if (since_newest >= 0 && since_newest < threshold && s.next_seq != seq + seg_len) {
    e.rule = RetransmissionRule::OutOfOrderTime;
    e.since_newest_ns = since_newest;
    e.threshold_ns = threshold;
    ev.notes.add(Note::OutOfOrder);
    return;
  }
  // Spurious: the receiver had already acknowledged every byte of it.
  if (len > 0 && r.ack_set && seq::le(seq + len, r.last_ack)) {
    e.acked = r.last_ack;
    e.acked_frame = r.history.ack_advanced_frame;
    resent(RetransmissionRule::Spurious, Note::SpuriousRetransmission);
    return;
  }
  if (in_gap) {
    e.rule = RetransmissionRule::OutOfOrderGap;
    ev.notes.add(Note::OutOfOrder);
    return;
  }
  if (s.history.syn_data_ignored && !syn && seq == s.isn + 1) {
    resent(RetransmissionRule::FastOpenResend, Note::Retransmission);
    return;
  }
  resent(RetransmissionRule::Timeout, Note::Retransmission);
}

void remember_segment(Endpoint& s, const DecodedPacket& p, int64_t ts, const SegmentEvent& ev) {
  SenderHistory& h = s.history;
  const uint16_t flags = p.tcp.flags;
  const uint32_t seq = p.tcp.seq;
  const uint32_t seg_len = seq::seg_len(flags, p.payload_len);
  const uint32_t end = seq + seg_len;
  if (!(flags & kRst) && seg_len > 0 && (!s.next_seq_set || seq::gt(end, s.next_seq))) {
    if (!h.originals) h.originals = std::make_unique<SenderHistory::Originals>();
    (*h.originals)[h.originals_next] = FirstTransmission{seq, end, ts, ev.frame};
    h.originals_next = static_cast<uint8_t>((h.originals_next + 1) % SenderHistory::kOriginals);
    if (h.originals_count < SenderHistory::kOriginals) ++h.originals_count;
    h.next_seq_ts = ts;
  }
  h.dup_acks = ev.notes.has(Note::DuplicateAck) ? h.dup_acks + 1 : 0;
  if (flags & kAck) {
    h.last_ack_ts = ts;
    if (!s.ack_set || seq::gt(p.tcp.ack, s.last_ack)) h.ack_advanced_frame = ev.frame;
  }
  h.last_was_zero_window_probe = ev.notes.has(Note::ZeroWindowProbe);
  if (h.last_was_zero_window_probe) {
    h.probe_end = end;
    h.probe_end_set = true;
  }
}

}  // namespace tcpinspect::core
