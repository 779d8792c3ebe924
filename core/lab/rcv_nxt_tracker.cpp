// SPDX-License-Identifier: MIT
#include "core/lab/rcv_nxt_tracker.hpp"

#include "core/wire/seq.hpp"

namespace tcpinspect::core {

void RcvNxtTracker::take(uint32_t candidate, const RcvNxtReading& r) {
  if (known_ && !seq::gt(candidate, rcv_nxt_)) return;  // a resend or an older ack
  rcv_nxt_ = candidate;
  basis_ = r;
  known_ = true;
}

void RcvNxtTracker::observe(const DecodedPacket& p, bool from_a, int64_t ts_ns) {
  const RcvNxtReading r = read_rcv_nxt(p, from_a);
  if (from_a) {
    awaiting_reply_since_ = -1;  // A answered (or spoke first)
    if (!r.found()) return;
    take(r.rcv_nxt, r);
    if (p.payload_len > 0) a_segment_size_ = p.payload_len;
    return;
  }
  if (r.receiver_window) b_window_ = *r.receiver_window;
  if (r.found()) take(r.rcv_nxt, r);
  const uint16_t f = p.tcp.flags;
  if (!(f & (kRst | kSyn)) && seq::seg_len(f, p.payload_len) > 0) awaiting_reply_since_ = ts_ns;
}

ResetMoment RcvNxtTracker::moment(int64_t now_ns) const {
  if (!known_) return ResetMoment::Wait;
  if (awaiting_reply_since_ >= 0 && now_ns < wait_until_ns()) return ResetMoment::Wait;
  return ResetMoment::Send;
}

int64_t RcvNxtTracker::wait_until_ns() const {
  if (awaiting_reply_since_ < 0) return 0;
  return awaiting_reply_since_ + kPeerReplyWait.count();
}

void RcvNxtTracker::learn_exact(uint32_t rcv_nxt) {
  rcv_nxt_ = rcv_nxt;
  basis_ = RcvNxtReading{};
  basis_.source = RcvNxtSource::ChallengeAck;
  basis_.rcv_nxt = rcv_nxt;
  known_ = true;
  awaiting_reply_since_ = -1;
}

std::vector<uint32_t> RcvNxtTracker::aim(unsigned count, SprayStep step) const {
  std::vector<uint32_t> at{rcv_nxt_};
  const uint32_t size = step == SprayStep::Window ? b_window_ : a_segment_size_;
  if (size == 0) return at;
  for (unsigned k = 1; k < count; ++k)
    at.push_back(rcv_nxt_ + k * size);
  return at;
}

}  // namespace tcpinspect::core
