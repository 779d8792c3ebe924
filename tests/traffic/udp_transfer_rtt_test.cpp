// SPDX-License-Identifier: MIT
// RFC 6298 estimator: exact SRTT/RTTVAR/RTO after each sample, backoff and clamping.
#include <gtest/gtest.h>

#include "traffic/udp_transfer_rtt.hpp"

namespace tcpinspect::traffic::udp {
namespace {

using std::chrono::microseconds;
using std::chrono::milliseconds;
using std::chrono::seconds;

RttConfig config() {
  RttConfig c;
  c.initial_rto = seconds(1);
  c.min_rto = milliseconds(1);
  c.max_rto = seconds(60);
  c.granularity = milliseconds(1);
  return c;
}

TEST(UdpTransferRtt, InitialRtoBeforeAnySample) {
  RttEstimator e(config());
  EXPECT_FALSE(e.has_sample());
  EXPECT_EQ(e.rto(), seconds(1));
}

TEST(UdpTransferRtt, SamplesFollowRfc6298Exactly) {
  RttEstimator e(config());
  // (2.2) first sample R=100ms: SRTT=R, RTTVAR=R/2, RTO=SRTT+4*RTTVAR.
  e.on_sample(milliseconds(100));
  EXPECT_EQ(e.srtt(), milliseconds(100));
  EXPECT_EQ(e.rttvar(), milliseconds(50));
  EXPECT_EQ(e.rto(), milliseconds(300));
  // (2.3) R=200ms: RTTVAR = 3/4*50 + 1/4*|100-200| = 62.5; SRTT = 7/8*100 + 1/8*200 = 112.5.
  e.on_sample(milliseconds(200));
  EXPECT_EQ(e.rttvar(), microseconds(62500));
  EXPECT_EQ(e.srtt(), microseconds(112500));
  EXPECT_EQ(e.rto(), microseconds(362500));  // 112.5 + 4*62.5
  // R=100ms: RTTVAR = 3/4*62.5 + 1/4*12.5 = 50; SRTT = 7/8*112.5 + 12.5 = 110.9375.
  e.on_sample(milliseconds(100));
  EXPECT_EQ(e.rttvar(), milliseconds(50));
  EXPECT_EQ(e.srtt(), microseconds(110937) + std::chrono::nanoseconds(500));
  EXPECT_EQ(e.rto(), microseconds(310937) + std::chrono::nanoseconds(500));
}

TEST(UdpTransferRtt, TimeoutDoublesUntilMaxAndSampleEndsBackoff) {
  RttEstimator e(config());
  e.on_sample(milliseconds(100));  // RTO 300ms
  e.on_timeout();
  EXPECT_EQ(e.rto(), milliseconds(600));
  e.on_timeout();
  EXPECT_EQ(e.rto(), milliseconds(1200));
  EXPECT_EQ(e.backoffs(), 2);
  for (int i = 0; i < 10; ++i)
    e.on_timeout();
  EXPECT_EQ(e.rto(), seconds(60));  // (2.5) upper bound
  // A new sample recomputes RTO from SRTT/RTTVAR (5.7): R=100ms again gives
  // RTTVAR = 3/4*50 + 0 = 37.5, SRTT = 100, RTO = 250ms.
  e.on_sample(milliseconds(100));
  EXPECT_EQ(e.rto(), milliseconds(250));
  EXPECT_EQ(e.backoffs(), 0);
}

TEST(UdpTransferRtt, MinimumAndGranularity) {
  RttConfig c = config();
  c.min_rto = milliseconds(20);
  c.granularity = microseconds(100);
  RttEstimator e(c);
  e.on_sample(microseconds(100));  // 100us + max(100us, 200us) = 300us, clamped up to 20ms
  EXPECT_EQ(e.rto(), milliseconds(20));

  RttConfig g = config();
  g.min_rto = microseconds(1);
  RttEstimator f(g);
  for (int i = 0; i < 200; ++i)
    f.on_sample(milliseconds(10));
  // RTTVAR decays to (almost) zero; the clock granularity G keeps RTO above SRTT.
  EXPECT_EQ(f.srtt(), milliseconds(10));
  EXPECT_EQ(f.rto(), milliseconds(11));
}

}  // namespace
}  // namespace tcpinspect::traffic::udp

namespace tcpinspect::traffic::udp {
namespace {

TEST(UdpTransferRtt, ProgressEndsBackoffWithoutNewSample) {
  RttEstimator e(config());
  e.on_progress();  // no sample yet: nothing to recompute from
  EXPECT_EQ(e.rto(), std::chrono::seconds(1));
  e.on_sample(std::chrono::milliseconds(100));  // RTO 300ms
  e.on_timeout();
  e.on_timeout();
  EXPECT_EQ(e.rto(), std::chrono::milliseconds(1200));
  e.on_progress();
  EXPECT_EQ(e.rto(), std::chrono::milliseconds(300));
  EXPECT_EQ(e.backoffs(), 0);
  EXPECT_EQ(e.srtt(), std::chrono::milliseconds(100));  // no sample was invented
}

// Issue 12: the default backoff is bounded well below the receiver's 10 s idle timeout,
// so a sender in backoff still sends (a retransmission) at least once a second.
TEST(UdpTransferRtt, DefaultBackoffStopsAtOneSecond) {
  RttEstimator e;
  e.on_sample(milliseconds(300));  // RTO = 300 + 4 * 150 = 900 ms
  EXPECT_EQ(e.rto(), milliseconds(900));
  e.on_timeout();
  EXPECT_EQ(e.rto(), seconds(1));
  for (int i = 0; i < 20; ++i)
    e.on_timeout();
  EXPECT_EQ(e.rto(), seconds(1));
  EXPECT_EQ(e.backoffs(), 21);
  // A huge sample (a stalled receiver) cannot push it past the bound either.
  e.on_sample(seconds(9));
  EXPECT_EQ(e.rto(), seconds(1));
}

}  // namespace
}  // namespace tcpinspect::traffic::udp
