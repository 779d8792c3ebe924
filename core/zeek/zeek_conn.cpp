// SPDX-License-Identifier: MIT
// Per-packet processing of ZeekConn. Each function names the Zeek function it reproduces;
// unless noted, that is src/packet_analysis/protocol/tcp/TCPSessionAdapter.cc.
#include "core/zeek/zeek_conn.hpp"

#include <algorithm>
#include <cctype>
#include <limits>

#include "core/wire/packet.hpp"
#include "core/wire/seq.hpp"

namespace tcpinspect::core {
namespace {

using State = ZeekEndpointState;

// TOO_LARGE_SEQ_DELTA: SYN/RST sequence jumps beyond this are not trusted.
constexpr int32_t kTooLargeSeqDelta = 1048576;

// TCP_Endpoint::HistoryMasks; the responder's are shifted left by 16 in hist_seen.
constexpr uint32_t kHistSyn = 0x1;
constexpr uint32_t kHistFin = 0x2;
constexpr uint32_t kHistRst = 0x4;
constexpr uint32_t kHistFinRst = 0x8;
constexpr uint32_t kHistData = 0x10;
constexpr uint32_t kHistAck = 0x20;
constexpr uint32_t kHistMultiFlag = 0x40;

// TCPSessionAdapter's first_packet_seen bits.
constexpr uint8_t kSeenOrig = 1;
constexpr uint8_t kSeenResp = 2;

// Indexes of ZeekEndpoint::counts / levels.
constexpr int kChecksumCount = 0;
constexpr int kRxmitCount = 1;
constexpr int kWin0Count = 2;
constexpr int kGapCount = 3;

// init-bare.zeek defaults: tcp_max_above_hole_without_any_acks and
// tcp_excessive_data_without_further_acks.
constexpr uint64_t kMaxAboveHoleWithoutAnyAcks = 16384;
constexpr uint64_t kExcessiveDataWithoutFurtherAcks = 10 * 1024 * 1024;

// Connection::ScaledHistoryEntry thresholds: 1, 10, 100, ... multiplied in uint32_t. When a
// multiplication no longer grows the threshold (it wrapped), Zeek keeps the threshold and
// restarts the counter; 10^10 mod 2^32 still grows, 10^11 mod 2^32 does not.
constexpr std::array<uint32_t, 11> kThresholds = [] {
  std::array<uint32_t, 11> t{};
  t[0] = 1;
  for (std::size_t i = 1; i < t.size(); ++i)
    t[i] = t[i - 1] * 10U;
  return t;
}();
static_assert(kThresholds[10] > kThresholds[9] && kThresholds[10] * 10U <= kThresholds[10]);

// seq_delta(): signed 32-bit distance a - b.
int32_t seq_delta(uint32_t a, uint32_t b) {
  return static_cast<int32_t>(seq::diff(a, b));
}

// Zeek counts 2^32 wraps by comparing the raw 32-bit values (TCP_Endpoint::UpdateLastSeq,
// get_relative_seq): this detects crossing zero, it does not order sequence numbers.
constexpr bool numerically_below(uint32_t a, uint32_t b) {
  return a < b;
}

// get_relative_seq(): cur as a 64-bit offset from start, guessing the wrap count from the
// last value seen. A value before start (with no wraps) sign-extends, as in Zeek.
uint64_t relative_seq(uint32_t start, uint32_t cur, uint32_t last, uint32_t wraps,
                      bool* underflow) {
  int32_t delta = seq_delta(cur, last);
  if (delta < 0) {
    if (wraps != 0 && numerically_below(last, cur)) --wraps;
  } else if (delta > 0) {
    if (numerically_below(cur, last)) ++wraps;
  }
  if (wraps == 0) {
    delta = seq_delta(cur, start);
    if (underflow != nullptr && delta < 0) *underflow = true;
    return static_cast<uint64_t>(static_cast<int64_t>(delta));
  }
  return (uint64_t{wraps} << 32) + cur - start;
}

template <typename E>
void set_state(E& e, State s) {  // TCP_Endpoint::SetState
  if (s == e.state) return;
  e.prev_state = e.state;
  e.state = s;
}

// init_endpoint(): (re)initialise an endpoint's sequence numbers from its own segment.
template <typename E>
void init_endpoint(E& e, bool syn, uint32_t first_seg_seq, uint32_t last_seq) {
  switch (e.state) {
    case State::Inactive:
      if (syn) {
        e.ack_seq = e.start_seq = first_seg_seq;
      } else {
        // Partial connection: number as if a SYN preceded, but do not mark this first
        // packet as a duplicate.
        e.ack_seq = e.start_seq = first_seg_seq - 1;
        last_seq = first_seg_seq;
      }
      e.last_seq = last_seq;
      break;
    case State::SynSent:
    case State::SynAckSent:
      if (syn && first_seg_seq != e.start_seq) {  // Weird("SYN_seq_jump")
        e.start_seq = e.ack_seq = first_seg_seq;
        e.last_seq = last_seq;
      }
      break;
    case State::Established:
    case State::Partial:
      if (syn) {  // guess that this SYN is the one that really sets the connection up
        e.start_seq = e.ack_seq = first_seg_seq;
        e.last_seq = last_seq;
      }
      break;
    case State::Reset:
      if (syn && e.prev_state == State::Inactive) {  // the earlier RST may have been spoofed
        e.start_seq = e.ack_seq = first_seg_seq;
        e.last_seq = last_seq;
      }
      break;
    case State::Closed:
      break;
  }
}

template <typename E>
void update_ack_seq(E& e, uint32_t ack_seq) {  // update_ack_seq() + UpdateAckSeq()
  const int32_t delta_ack = seq_delta(ack_seq, e.ack_seq);
  // An ack of 0 far ahead is more likely broken than a connection landing on 0.
  if (ack_seq == 0 && delta_ack > kTooLargeSeqDelta) return;
  if (delta_ack > 0) {
    if (numerically_below(ack_seq, e.ack_seq)) ++e.ack_wraps;
    e.ack_seq = ack_seq;
  }
}

template <typename E>
void update_last(E& e, uint32_t seq) {  // TCP_Endpoint::UpdateLastSeq
  if (numerically_below(seq, e.last_seq)) ++e.seq_wraps;
  e.last_seq = seq;
}

// The ack as a relative number of the peer's sequence space (0 if it lies before the
// peer's start). An ack from a side whose peer is still inactive numbers the peer as if its
// SYN had been seen (init_peer()); otherwise the peer's highest ack advances, except from
// RSTs, whose acks are not trusted.
template <typename E>
uint64_t relative_ack(E& peer, uint32_t ack_seq, bool rst) {
  if (peer.state == State::Inactive) {
    peer.start_seq = peer.ack_seq = peer.last_seq = ack_seq - 1;
    return 1;
  }
  bool ack_underflow = false;
  const uint64_t rel_ack =
      relative_seq(peer.start_seq, ack_seq, peer.ack_seq, peer.ack_wraps, &ack_underflow);
  if (ack_underflow) return 0;
  if (!rst) update_ack_seq(peer, ack_seq);
  return rel_ack;
}

template <typename E>
bool is_clean(const E& e) {  // TCP_Reassembler.cc is_clean()
  return e.state == State::Established ||
         (e.state == State::Closed && e.prev_state == State::Established);
}

}  // namespace

// docs/zeek.md: 50,000 connections must stay far below 100 MB.
static_assert(sizeof(ZeekConn) <= 256, "ZeekConn grew past its memory budget");

void ZeekConn::add_history(char code) {  // Connection::AddHistory
  if (history_len_ < kHistoryCapacity) {
    history_[history_len_++] = code;
  } else {
    history_truncated_ = true;
  }
}

void ZeekConn::add_history(const ZeekEndpoint& e, char code) {  // TCP_Endpoint::AddHistory
  add_history(is_orig(e) ? code : static_cast<char>(std::tolower(code)));
}

bool ZeekConn::check_history(const ZeekEndpoint& e, uint32_t mask, char code) {
  // TCP_Endpoint::CheckHistory + Connection::CheckHistory: true if already seen.
  if (!is_orig(e)) {
    mask <<= 16;
    code = static_cast<char>(std::tolower(code));
  }
  if ((hist_seen_ & mask) == 0) {
    hist_seen_ |= mask;
    add_history(code);
    return false;
  }
  return true;
}

void ZeekConn::scaled_entry(ZeekEndpoint& e, int which, char code) {
  // ChecksumError / DidRxmit / ZeroWindow / Gap -> Connection::ScaledHistoryEntry.
  uint32_t& count = e.counts[which];
  uint8_t& level = e.levels[which];
  if (++count != kThresholds[level]) return;
  add_history(e, code);
  if (level + 1U < kThresholds.size()) {
    ++level;
  } else {
    count = 0;
  }
}

void ZeekConn::flip_roles() {
  // TCPSessionAdapter::FlipRoles then Connection::FlipRoles. hist_seen is not swapped.
  orig_index_ ^= 1U;
  first_packet_seen_ = static_cast<uint8_t>(((first_packet_seen_ & kSeenOrig) ? kSeenResp : 0) |
                                            ((first_packet_seen_ & kSeenResp) ? kSeenOrig : 0));
  is_partial_ = false;
  add_history('^');
}

void ZeekConn::flip() {
  flip_roles();
}

bool ZeekConn::flip_if_began_with_syn_ack() {
  // TCP_Endpoint::CheckHistory (src/analyzer/protocol/tcp/TCP_Endpoint.cc, Zeek 5.1 and
  // later, zeek/zeek#2191 and #2552), before the letter of a pure ACK or data segment from
  // either side: a connection whose history is still just "H" began with a SYN-ACK that
  // WantConnection did not flip; an ACK or data after it is no stealth scan, so the roles
  // flip (TCPSessionAdapter::FlipRoles via Connection::FlipRoles), the history is replaced
  // by "^h" (Session::ReplaceHistory), and the missed SYN's side counts as seen so the
  // connection is not partial. hist_seen is left alone, as by every Zeek flip: Session has no
  // way to rewrite it. The caller's letter then follows with the sender's new role.
  if (history() != "H") return false;
  orig_index_ ^= 1U;
  first_packet_seen_ =
      static_cast<uint8_t>(((first_packet_seen_ & kSeenOrig) ? kSeenResp : 0) |
                           ((first_packet_seen_ & kSeenResp) ? kSeenOrig : 0) | kSeenOrig);
  is_partial_ = false;
  history_len_ = 0;
  add_history('^');
  add_history('h');
  return true;
}

void ZeekConn::set_partial_status(bool is_orig, bool syn, bool ack_flag) {  // SetPartialStatus()
  if (is_orig) {
    if (!(first_packet_seen_ & kSeenOrig)) is_partial_ = !syn || ack_flag;
  } else if (!(first_packet_seen_ & kSeenResp) && !is_partial_) {
    is_partial_ = !syn;
  }
}

bool ZeekConn::update_history(ZeekEndpoint& ep, uint8_t flags, uint64_t rel_seq,
                              uint32_t payload_len) {
  // update_history(); returns whether the roles flipped (flip_if_began_with_syn_ack).
  const bool syn = flags & kSyn;
  const bool fin = flags & kFin;
  const bool rst = flags & kRst;
  const int bits_set = (syn ? 1 : 0) + (fin ? 1 : 0) + (rst ? 1 : 0);
  if (bits_set > 1) {
    if (fin && rst) {
      check_history(ep, kHistFinRst, 'I');
    } else {
      check_history(ep, kHistMultiFlag, 'Q');
    }
  } else if (bits_set == 1) {
    if (syn) {
      const char code = (flags & kAck) ? 'H' : 'S';
      if (check_history(ep, kHistSyn, code) && rel_seq != ep.hist_last_syn) add_history(ep, code);
      ep.hist_last_syn = rel_seq;
    }
    if (fin) {
      // A FIN's sequence number comes after the packet's data.
      if (check_history(ep, kHistFin, 'F') && rel_seq + payload_len != ep.hist_last_fin) {
        add_history(ep, 'F');
      }
      ep.hist_last_fin = rel_seq + payload_len;
    }
    if (rst) {
      if (check_history(ep, kHistRst, 'R') && rel_seq != ep.hist_last_rst) add_history(ep, 'R');
      ep.hist_last_rst = rel_seq;
    }
  } else if (payload_len != 0) {
    const bool flipped = flip_if_began_with_syn_ack();
    check_history(ep, kHistData, 'D');
    return flipped;
  } else if (flags & kAck) {
    const bool flipped = flip_if_began_with_syn_ack();
    check_history(ep, kHistAck, 'A');
    return flipped;
  }
  return false;
}

void ZeekConn::update_window(ZeekEndpoint& ep, const ZeekEndpoint& peer, uint16_t window,
                             bool rst) {  // update_window()
  // window << scale is zero exactly when the raw window is (scale <= 14). Zero windows with
  // or after a RST, or after the peer's FIN, are not interesting.
  if (window == 0 && !rst && peer.state != State::Closed && ep.state != State::Reset) {
    scaled_entry(ep, kWin0Count, 'W');
  }
}

int32_t ZeekConn::update_last_seq(ZeekEndpoint& ep, uint32_t seq_one_past_segment, uint8_t flags,
                                  uint32_t payload_len) {  // update_last_seq()
  // A segment with data that does not advance is a retransmission.
  const bool syn = flags & kSyn;
  const bool fin = flags & kFin;
  const bool rst = flags & kRst;
  const int32_t delta_last = seq_delta(seq_one_past_segment, ep.last_seq);
  if ((syn || rst) && (delta_last > kTooLargeSeqDelta || delta_last < -kTooLargeSeqDelta)) {
    // not trusted
  } else if (fin && ep.last_seq == ep.start_seq + 1) {
    update_last(ep, seq_one_past_segment);  // > 2 GB connections seen only by SYN and FIN
  } else if (ep.state == State::Reset) {
    // no later sequence number is trusted
  } else if (delta_last > 0) {
    update_last(ep, seq_one_past_segment);
  } else if (payload_len > 0) {
    scaled_entry(ep, kRxmitCount, 'T');
  }
  return delta_last;
}

ZeekSegmentOutcome ZeekConn::on_segment(bool caller_is_orig, uint16_t tcp_flags, uint32_t base_seq,
                                        uint32_t ack_seq, uint32_t payload_len, uint16_t window,
                                        bool checksum_bad, bool payload_captured) {
  const bool is_orig = caller_is_orig != frame_swapped_;
  const auto flags = static_cast<uint8_t>(tcp_flags & 0xFF);  // TCP_Flags reads th_flags
  const bool syn = flags & kSyn;
  const bool fin = flags & kFin;
  const bool rst = flags & kRst;
  const bool ack_flag = flags & kAck;
  ZeekEndpoint& ep = is_orig ? orig() : resp();
  ZeekEndpoint& peer = peer_of(ep);

  // TCPAnalyzer::ValidateChecksum: a bad packet only counts 'C' and goes no further.
  if (checksum_bad) {
    scaled_entry(ep, kChecksumCount, 'C');
    return ZeekSegmentOutcome::ChecksumDropped;
  }

  set_partial_status(is_orig, syn, ack_flag);

  // get_segment_len(): SYN and FIN take one sequence number; a RST's data takes none.
  const uint32_t seg_len = seq::seg_len(flags, rst ? 0U : payload_len);
  const uint32_t seq_one_past_segment = base_seq + seg_len;
  init_endpoint(ep, syn, base_seq, seq_one_past_segment);

  bool seq_underflow = false;
  const uint64_t rel_seq =
      relative_seq(ep.start_seq, base_seq, ep.last_seq, ep.seq_wraps, &seq_underflow);

  // After a late flip `is_orig` is stale for the rest of this packet, as the is_orig
  // argument of TCPSessionAdapter::Process is (UpdateStateMachine and CheckPIA_FirstPacket
  // still get it); `ep` and `peer` are the same endpoints, as Zeek's pointers are.
  bool flipped = update_history(ep, flags, rel_seq, payload_len);
  update_window(ep, peer, window, rst);

  if (fin) {
    ep.fin_seen = true;
    ep.fin_seq = rel_seq + seg_len;
  }

  const uint64_t rel_ack = ack_flag ? relative_ack(peer, ack_seq, rst) : 0;
  const int32_t delta_last = update_last_seq(ep, seq_one_past_segment, flags, payload_len);

  const bool do_close = update_state_machine(ep, peer, base_seq, ack_seq, payload_len, delta_last,
                                             is_orig, flags, flipped);

  // After the state machine, so that a gap revealed by this ack sees the new states.
  if (ack_flag) ack_received(peer, rel_ack);

  first_packet_seen_ |= is_orig ? kSeenOrig : kSeenResp;  // CheckPIA_FirstPacket()

  // DataSent() is skipped for RSTs and underflowing sequence numbers; TCP_Endpoint::DataSent
  // hands only a wholly captured payload to the reassembler.
  if (payload_len > 0 && !rst && !seq_underflow && payload_captured) {
    data_sent(ep, syn ? rel_seq + 1 : rel_seq, payload_len);
  }

  // ConnectionClosed(); assumes no data is still pending in the reassembler.
  if (do_close) ep.did_close = true;

  if (flipped) {
    frame_swapped_ = !frame_swapped_;
    return ZeekSegmentOutcome::RolesFlipped;
  }
  return ZeekSegmentOutcome::Processed;
}

bool ZeekConn::update_state_machine(ZeekEndpoint& ep, ZeekEndpoint& peer, uint32_t base_seq,
                                    uint32_t /*ack_seq*/, uint32_t len, int32_t /*delta_last*/,
                                    bool is_orig, uint8_t flags, bool& flipped) {
  // UpdateStateMachine(): returns do_close. ack_seq and delta_last only feed weirds.
  const bool syn = flags & kSyn;
  const bool fin = flags & kFin;
  const bool rst = flags & kRst;
  const bool ack = flags & kAck;
  bool do_close = false;
  switch (ep.state) {
    case State::Inactive:
      do_close = update_inactive(ep, peer, base_seq, len, is_orig, flags, flipped);
      break;
    case State::SynSent:
    case State::SynAckSent:  // UpdateSYN_SentState()
      if (fin) {
        set_state(ep, State::Closed);
        do_close = true;
      }
      if (rst) {
        set_state(ep, State::Reset);
        do_close = true;
      }
      break;
    case State::Established:
    case State::Partial:  // UpdateEstablishedState()
      if (syn && ep.state == State::Partial && peer.state == State::Inactive && !ack) {
        set_state(ep, State::SynSent);  // Weird("SYN_after_partial")
      }
      if (fin && !rst) {
        set_state(ep, State::Closed);
        // A FIN followed by a RST from the peer was a normal termination after all.
        if (peer.state == State::Reset && peer.prev_state == State::Closed) {
          set_state(peer, State::Closed);
        }
        do_close = true;
      }
      if (rst) {
        set_state(ep, State::Reset);
        do_close = true;
      }
      break;
    case State::Closed:  // UpdateClosedState(): a RST after a FIN exchange changes nothing
      if (rst && peer.state != State::Closed) {
        set_state(ep, State::Reset);
        if (!ep.did_close) do_close = true;
      }
      break;
    case State::Reset:  // UpdateResetState(): weirds only
      break;
  }
  return do_close;
}

bool ZeekConn::update_inactive(ZeekEndpoint& ep, ZeekEndpoint& peer, uint32_t base_seq,
                               uint32_t len, bool is_orig, uint8_t flags, bool& flipped) {
  // UpdateInactiveState(); returns do_close.
  const bool syn = flags & kSyn;
  const bool fin = flags & kFin;
  const bool rst = flags & kRst;
  const bool ack = flags & kAck;
  bool do_close = false;
  if (syn) {
    if (is_orig) {
      set_state(ep, ack ? State::SynAckSent : State::SynSent);
    } else {
      if (ack) {
        // Weird("bad_SYN_ack") at most
      } else if (peer.state == State::SynAckSent && base_seq == ep.start_seq) {
        // SYN/SYN-ACK reversal: flip the endpoints and establish the connection.
        is_partial_ = false;
        flip_roles();
        flipped = true;
        set_state(peer, State::Established);
        first_packet_seen_ |= kSeenOrig;  // SetFirstPacketSeen(true)
      }                                   // else Weird("simultaneous_open")
      if (peer.state == State::SynSent) set_state(peer, State::Established);
      set_state(ep, State::Established);
    }
  }
  if (fin) {
    set_state(ep, State::Closed);
    do_close = true;
  }
  if (rst) {
    set_state(ep, State::Reset);
    do_close = true;
  }
  if (ep.state == State::Inactive) {  // no control flag changed the state
    if (!is_orig && len == 0 && orig().state == State::SynSent) {
      // Some TCPs ack an initial SYN before sending their SYN-ACK: not a partial connection.
    } else if (ack && peer.state == State::Established) {
      // A SYN-ACK was seen but not the SYN: establish rather than call it partial.
      set_state(ep, State::Established);
      is_partial_ = false;
      first_packet_seen_ |= is_orig ? kSeenOrig : kSeenResp;
    } else {
      set_state(ep, State::Partial);
    }
  }
  return do_close;
}

void ZeekConn::ack_received(ZeekEndpoint& e, uint64_t seq) {
  // TCP_Reassembler::AckReceived(): the FIN's own sequence number is not data.
  if (e.fin_seen && seq >= e.fin_seq) seq = e.fin_seq - 1;
  // Zeek returns early when seq <= trim_seq; trim_seq never exceeds reassem_seq, so only an
  // ack beyond what was delivered can matter (DataBlockList::Trim -> Undelivered).
  if (seq > e.reassem_seq) undelivered(e, seq);
  if (e.block_len != 0 && e.block_lo + e.block_len <= seq) e.block_len = 0;
}

void ZeekConn::undelivered(ZeekEndpoint& e, uint64_t up_to) {
  // TCP_Reassembler::Undelivered(): a partial connection's first ack may cover the byte
  // faked as its SYN.
  if (up_to <= 2 && is_partial_) return;
  if (e.skip_deliveries) {  // nothing is reported any more, but the position moves on
    e.reassem_seq = std::max(e.reassem_seq, up_to);
    return;
  }
  if (e.block_len != 0 && e.block_lo < up_to) {
    // Buffered data below the ack is delivered; the hole before it is a gap.
    if (e.block_lo > e.reassem_seq) gap(e);
    e.reassem_seq = std::max(e.reassem_seq, e.block_lo + e.block_len);
    e.block_len = 0;
  }
  if (up_to > e.reassem_seq) {
    gap(e);
    e.reassem_seq = up_to;
  }
}

void ZeekConn::gap(ZeekEndpoint& e) {
  // TCP_Reassembler::Gap(): only counted while both sides are established or cleanly closing.
  if (is_clean(e) && is_clean(peer_of(e))) scaled_entry(e, kGapCount, 'G');
}

void ZeekConn::data_sent(ZeekEndpoint& e, uint64_t seq, uint32_t len) {
  // TCP_Reassembler::DataSent(): data the peer already acked is dropped or trimmed.
  if (e.skip_deliveries) return;
  const uint64_t acked = (uint64_t{e.ack_wraps} << 32) + e.ack_seq - e.start_seq;
  uint64_t lo = seq;
  const uint64_t hi = seq + len;
  if (lo < acked) {
    if (hi <= acked) return;
    lo = acked;
  }
  new_block(e, lo, hi);

  // The reassembler gives up when much data sits above a hole and nothing was ever acked
  // (tcp_max_above_hole_without_any_acks), or when too much is buffered unacked
  // (tcp_excessive_data_without_further_acks). Buffered-but-delivered data is estimated
  // as everything delivered beyond the peer's highest ack.
  const uint64_t above_hole = e.block_len != 0 ? e.block_lo + e.block_len - e.reassem_seq : 0;
  const uint64_t acked_full = (uint64_t{e.ack_wraps} << 32) + e.ack_seq;
  const bool no_data_acked = acked_full == e.start_seq || acked_full == uint64_t{e.start_seq} + 1;
  const uint64_t buffered = (e.reassem_seq > acked ? e.reassem_seq - acked : 0) + e.block_len;
  if ((no_data_acked && above_hole > kMaxAboveHoleWithoutAnyAcks) ||
      buffered > kExcessiveDataWithoutFurtherAcks) {
    e.block_len = 0;  // ClearBlocks()
    e.skip_deliveries = true;
  }
}

void ZeekConn::new_block(ZeekEndpoint& e, uint64_t lo, uint64_t hi) {
  // Reassembler::NewBlock() + TCP_Reassembler::BlockInserted().
  if (hi <= e.reassem_seq) return;
  if (lo <= e.reassem_seq) {
    e.reassem_seq = hi;
    if (e.block_len != 0 && e.block_lo <= e.reassem_seq) {
      e.reassem_seq = std::max(e.reassem_seq, e.block_lo + e.block_len);
      e.block_len = 0;
    }
    return;
  }
  // Above a hole. Zeek buffers any number of blocks; this model keeps the one nearest the
  // hole, merging overlapping or adjacent data into it (docs/zeek.md).
  uint64_t block_lo = lo;
  uint64_t block_hi = hi;
  if (e.block_len != 0) {
    const uint64_t old_lo = e.block_lo;
    const uint64_t old_hi = e.block_lo + e.block_len;
    if (lo <= old_hi && hi >= old_lo) {
      block_lo = std::min(old_lo, lo);
      block_hi = std::max(old_hi, hi);
    } else if (lo > old_lo) {
      return;
    }
  }
  e.block_lo = block_lo;
  e.block_len = static_cast<uint32_t>(
      std::min<uint64_t>(block_hi - block_lo, std::numeric_limits<uint32_t>::max()));
}

}  // namespace tcpinspect::core
