// SPDX-License-Identifier: MIT
#include "traffic/udp_transfer_rtt.hpp"

#include <algorithm>

namespace tcpinspect::traffic::udp {

RttEstimator::RttEstimator(RttConfig config) : config_(config), rto_(clamp(config.initial_rto)) {}

Nanos RttEstimator::clamp(Nanos rto) const {
  return std::clamp(rto, config_.min_rto, config_.max_rto);
}

void RttEstimator::on_sample(Nanos r) {
  if (r < Nanos{0}) r = Nanos{0};
  if (!has_sample_) {
    srtt_ = r;
    rttvar_ = r / 2;
    has_sample_ = true;
  } else {
    // RTTVAR first: it uses the SRTT from before this sample (RFC 6298 (2.3) note).
    const Nanos delta = srtt_ > r ? srtt_ - r : r - srtt_;
    rttvar_ = (3 * rttvar_ + delta) / 4;
    srtt_ = (7 * srtt_ + r) / 8;
  }
  rto_ = clamp(srtt_ + std::max(config_.granularity, 4 * rttvar_));
  backoffs_ = 0;
}

void RttEstimator::on_progress() {
  if (!has_sample_ || backoffs_ == 0) return;
  rto_ = clamp(srtt_ + std::max(config_.granularity, 4 * rttvar_));
  backoffs_ = 0;
}

void RttEstimator::on_timeout() {
  rto_ = std::min(rto_ * 2, config_.max_rto);
  ++backoffs_;
}

}  // namespace tcpinspect::traffic::udp
