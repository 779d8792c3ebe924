// SPDX-License-Identifier: MIT
#pragma once
#include <chrono>

/// Retransmission timeout estimator of RFC 6298. Pure: samples in, RTO out, no clock.
namespace tcpinspect::traffic::udp {

using Nanos = std::chrono::nanoseconds;

struct RttConfig {
  Nanos initial_rto = std::chrono::seconds(1);  ///< RFC 6298 (2.1)
  /// RFC 6298 (2.4) says 1 s; a LAN/loopback tool uses far less (Linux uses 200 ms) and
  /// relies on SACK loss detection for everything but tail losses.
  Nanos min_rto = std::chrono::milliseconds(20);
  /// RFC 6298 (2.5) allows 60 s. Backoff stops at 1 s here so that the sender is never
  /// silent for long: the receiver drops a transfer after its idle timeout (10 s by
  /// default), and a 9 s RTO once let it do so while the sender was still waiting.
  Nanos max_rto = std::chrono::seconds(1);
  Nanos granularity = std::chrono::microseconds(100);  ///< G in RFC 6298 (2.2)
};

class RttEstimator {
 public:
  explicit RttEstimator(RttConfig config = {});

  /// A measurement R from a datagram sent exactly once (Karn's rule is the caller's job:
  /// never feed samples of retransmitted datagrams). RFC 6298 (2.2)/(2.3): first sample
  /// SRTT=R, RTTVAR=R/2; later RTTVAR=3/4 RTTVAR + 1/4 |SRTT-R|, SRTT=7/8 SRTT + 1/8 R;
  /// then RTO = SRTT + max(G, 4 RTTVAR), clamped. A sample also ends any backoff.
  void on_sample(Nanos r);
  /// RFC 6298 (5.5): the timer expired, back off RTO = min(2 RTO, max).
  void on_timeout();
  /// New data was acknowledged: drop any backoff and recompute RTO from SRTT/RTTVAR.
  /// Karn's rule alone keeps the backed-off RTO until a datagram sent once is acked, which
  /// under heavy loss (every chunk after a timeout is a retransmission) never happens and
  /// lets RTO climb to its maximum; like Linux, forward progress ends the backoff instead.
  void on_progress();

  Nanos rto() const { return rto_; }
  Nanos srtt() const { return srtt_; }
  Nanos rttvar() const { return rttvar_; }
  bool has_sample() const { return has_sample_; }
  /// Consecutive backoffs since the last sample.
  int backoffs() const { return backoffs_; }

 private:
  Nanos clamp(Nanos rto) const;

  RttConfig config_;
  Nanos srtt_{0};
  Nanos rttvar_{0};
  Nanos rto_;
  bool has_sample_ = false;
  int backoffs_ = 0;
};

}  // namespace tcpinspect::traffic::udp
