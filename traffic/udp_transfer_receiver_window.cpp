// SPDX-License-Identifier: MIT
#include "traffic/udp_transfer_receiver_window.hpp"

#include <algorithm>
#include <stdexcept>

namespace tcpinspect::traffic::udp {

ReceiveWindow::ReceiveWindow(uint32_t total_chunks, uint32_t window)
    : total_(total_chunks), window_(window), have_(window, 0) {
  if (window == 0) throw std::invalid_argument("udp transfer: window must be at least 1");
}

DataOutcome ReceiveWindow::on_data(uint32_t seq) {
  if (seq >= total_) return DataOutcome::BeyondEnd;
  if (seq < cum_) return DataOutcome::Duplicate;
  if (seq - cum_ >= window_) return DataOutcome::BeyondWindow;
  uint8_t& h = have_[slot(seq)];
  if (h) return DataOutcome::Duplicate;
  h = 1;
  highest_ = std::max(highest_, seq + 1);
  return DataOutcome::New;
}

std::optional<uint32_t> ReceiveWindow::pop_in_order() {
  if (cum_ >= total_) return std::nullopt;
  uint8_t& h = have_[slot(cum_)];
  if (!h) return std::nullopt;
  h = 0;
  return cum_++;
}

size_t ReceiveWindow::sack_ranges(std::span<SackRange> out) const {
  size_t n = 0;
  uint32_t seq = cum_;
  while (seq < highest_ && n < out.size()) {
    while (seq < highest_ && !have_[slot(seq)])
      ++seq;
    if (seq >= highest_) break;
    const uint32_t start = seq;
    while (seq < highest_ && have_[slot(seq)])
      ++seq;
    out[n++] = SackRange{start, seq};
  }
  return n;
}

Ack ReceiveWindow::make_ack(uint32_t transfer_id) const {
  Ack a;
  a.transfer_id = transfer_id;
  a.cumulative = cum_;
  a.range_count = static_cast<uint8_t>(sack_ranges(a.ranges));
  return a;
}

}  // namespace tcpinspect::traffic::udp
