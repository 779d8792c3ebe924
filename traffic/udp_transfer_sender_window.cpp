// SPDX-License-Identifier: MIT
#include "traffic/udp_transfer_sender_window.hpp"

#include <algorithm>
#include <stdexcept>

namespace tcpinspect::traffic::udp {

SenderWindow::SenderWindow(uint32_t total_chunks, uint32_t window)
    : total_(total_chunks),
      window_(window),
      slots_(std::max<uint32_t>(window, 1)),
      cwnd_(std::min<double>(kInitialCwnd, window)),
      ssthresh_(window) {
  if (window == 0) throw std::invalid_argument("udp transfer: window must be at least 1");
}

bool SenderWindow::sacked(uint32_t seq) const {
  if (seq < cum_) return true;
  if (seq >= next_new_) return false;
  return slot(seq).sacked;
}

std::optional<SendDecision> SenderWindow::next_send(Nanos now) {
  if (in_flight_ >= std::min(static_cast<uint32_t>(cwnd_), window_)) return std::nullopt;
  uint32_t seq = next_new_;
  if (lost_count_ > 0) {
    seq = std::max(lost_scan_, cum_);
    while (seq < next_new_ && !slot(seq).lost)
      ++seq;
    lost_scan_ = seq;
  }
  if (seq == next_new_) {
    if (next_new_ >= total_ || next_new_ - cum_ >= window_) return std::nullopt;
    ++next_new_;
    slot(seq) = Slot{};
  } else {
    slot(seq).lost = false;
    --lost_count_;
    ++retransmissions_;
  }
  Slot& s = slot(seq);
  s.order = ++order_;
  s.sent_at = now;
  ++s.transmissions;
  ++in_flight_;
  return SendDecision{seq, s.transmissions};
}

std::optional<SendDecision> SenderWindow::probe(Nanos now) {
  for (uint32_t seq = next_new_; seq > cum_; --seq) {
    Slot& s = slot(seq - 1);
    if (s.sacked) continue;
    if (s.lost) {
      s.lost = false;
      --lost_count_;
      ++in_flight_;
    }
    s.order = ++order_;
    s.sent_at = now;
    ++s.transmissions;
    ++retransmissions_;
    return SendDecision{seq - 1, s.transmissions};
  }
  return std::nullopt;
}

void SenderWindow::acknowledge(uint32_t seq, Nanos now, AckOutcome& out, uint64_t& best_order) {
  Slot& s = slot(seq);
  if (s.sacked) return;
  s.sacked = true;
  if (s.lost) {
    s.lost = false;  // a late original arrived after all
    --lost_count_;
  } else {
    --in_flight_;
  }
  ++out.newly_acked;
  highest_acked_order_ = std::max(highest_acked_order_, s.order);
  newest_acked_sent_at_ = std::max(newest_acked_sent_at_, s.sent_at);
  // The sample comes from the newest transmission this ACK covers, since that one
  // triggered it. Older chunks acknowledged alongside were held behind a hole at the
  // receiver (their age is queueing, not a round trip), and a retransmission is
  // ambiguous (Karn): if the newest one is either, there is no sample at all.
  if (s.order > best_order) {
    best_order = s.order;
    if (s.transmissions == 1) {
      out.rtt_sample = now - s.sent_at;
    } else {
      out.rtt_sample.reset();
    }
  }
}

void SenderWindow::mark_lost(uint32_t seq) {
  Slot& s = slot(seq);
  s.lost = true;
  --in_flight_;
  ++lost_count_;
  lost_scan_ = std::min(lost_scan_, seq);
}

AckOutcome SenderWindow::on_ack(uint32_t cumulative, std::span<const SackRange> sack, Nanos now,
                                Nanos reorder_time) {
  AckOutcome out;
  if (cumulative > next_new_) {
    out.invalid = true;
    return out;
  }
  uint64_t best_order = 0;
  for (uint32_t seq = cum_; seq < cumulative; ++seq)
    acknowledge(seq, now, out, best_order);
  if (cumulative > cum_) {
    cum_ = cumulative;
    lost_scan_ = std::max(lost_scan_, cum_);
  }
  for (const SackRange& r : sack) {
    const uint32_t lo = std::max(r.start, cum_);
    const uint32_t hi = std::min(r.end, next_new_);
    for (uint32_t seq = lo; seq < hi; ++seq)
      acknowledge(seq, now, out, best_order);
  }

  // Loss detection by send order: anything sent kReorderThreshold transmissions before
  // the newest acknowledged transmission and still unacknowledged is presumed lost; so is
  // anything sent before an acknowledged chunk and outstanding for `reorder_time` (RACK).
  const uint64_t limit =
      highest_acked_order_ > kReorderThreshold ? highest_acked_order_ - kReorderThreshold : 0;
  const bool timed = reorder_time != Nanos::max();
  if (limit > 0 || timed) {
    for (uint32_t seq = cum_; seq < next_new_; ++seq) {
      const Slot& s = slot(seq);
      if (s.sacked || s.lost) continue;
      if (s.order <= limit ||
          (timed && s.sent_at < newest_acked_sent_at_ && now - s.sent_at >= reorder_time)) {
        mark_lost(seq);
        ++out.newly_lost;
      }
    }
  }

  if (in_recovery_ && cum_ >= reduce_guard_) in_recovery_ = false;
  if (out.newly_lost > 0 && cum_ >= reduce_guard_) {
    // Multiplicative decrease, once per flight (RFC 5681 3.2 / RFC 6675).
    ssthresh_ = std::max(cwnd_ / 2, 2.0);
    cwnd_ = ssthresh_;
    in_recovery_ = true;
    reduce_guard_ = next_new_;
    out.window_reduced = true;
  } else if (!in_recovery_ && out.newly_acked > 0) {
    // Slow start below ssthresh, then additive increase of one chunk per cwnd acked.
    if (cwnd_ < ssthresh_) {
      cwnd_ += out.newly_acked;
    } else {
      cwnd_ += out.newly_acked / cwnd_;
    }
    cwnd_ = std::min<double>(cwnd_, window_);
  }
  return out;
}

void SenderWindow::on_timeout() {
  for (uint32_t seq = cum_; seq < next_new_; ++seq) {
    const Slot& s = slot(seq);
    if (!s.sacked && !s.lost) mark_lost(seq);
  }
  ssthresh_ = std::max(cwnd_ / 2, 2.0);
  cwnd_ = 1;
  in_recovery_ = false;  // slow start from one chunk
  reduce_guard_ = next_new_;
}

}  // namespace tcpinspect::traffic::udp
