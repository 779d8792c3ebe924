// SPDX-License-Identifier: MIT
// reset on a busy connection (core/lab/rcv_nxt_tracker.hpp): B's RCV.NXT followed through
// both directions, and when to send. A (the RST's pretended sender) and B (the victim).
#include "core/lab/rcv_nxt_tracker.hpp"

#include <gtest/gtest.h>

#include "tests/core/lab/lab_segment.hpp"

namespace tcpinspect::core {
namespace {

constexpr int64_t kMs = 1'000'000;
constexpr int64_t kWait = RcvNxtTracker::kPeerReplyWait.count();

TEST(RcvNxtTracker, NothingSeenMeansWait) {
  RcvNxtTracker t;
  EXPECT_FALSE(t.known());
  EXPECT_EQ(t.moment(0), ResetMoment::Wait);
}

// The race of the issue: the victim (a client) sends one byte; the echo server's answer
// moves the client's RCV.NXT by one. A RST aimed at the ack in the client's byte, sent after
// the echo, arrives one byte behind and is ignored.
TEST(RcvNxtTracker, WaitsForThePeersEchoThenAimsPastIt) {
  RcvNxtTracker t;
  t.observe(lab_segment(kAck | kPsh, 5000, 1000, 1), false, 0);  // B: 1 byte, ack 1000
  EXPECT_TRUE(t.known());
  EXPECT_EQ(t.rcv_nxt(), 1000u);
  EXPECT_EQ(t.moment(kMs), ResetMoment::Wait);  // A's echo may be on its way
  EXPECT_EQ(t.wait_until_ns(), kWait);
  t.observe(lab_segment(kAck | kPsh, 1000, 5001, 1), true, kMs / 20);  // A: the echo
  EXPECT_EQ(t.rcv_nxt(), 1001u);
  EXPECT_EQ(t.moment(kMs / 20), ResetMoment::Send);
  EXPECT_EQ(t.wait_until_ns(), 0);
  EXPECT_EQ(t.basis().source, RcvNxtSource::SenderSegment);
  EXPECT_EQ(t.basis().seq, 1000u);
  EXPECT_EQ(t.basis().seg_len, 1u);
}

TEST(RcvNxtTracker, SendsWhenThePeerDoesNotAnswerInTime) {
  RcvNxtTracker t;
  t.observe(lab_segment(kAck | kPsh, 5000, 1000, 100), false, 10 * kMs);
  EXPECT_EQ(t.moment(10 * kMs + kWait - 1), ResetMoment::Wait);
  EXPECT_EQ(t.moment(10 * kMs + kWait), ResetMoment::Send);
  EXPECT_EQ(t.rcv_nxt(), 1000u);
  EXPECT_EQ(t.basis().source, RcvNxtSource::ReceiverAck);
}

TEST(RcvNxtTracker, APureAckFromTheVictimNeedsNoReply) {
  RcvNxtTracker t;
  t.observe(lab_segment(kAck, 5000, 1000, 0), false, 0);
  EXPECT_EQ(t.moment(0), ResetMoment::Send);
}

TEST(RcvNxtTracker, AVictimsFinAlsoWaitsForTheReply) {
  RcvNxtTracker t;
  t.observe(lab_segment(kAck | kFin, 5000, 1000, 0), false, 0);
  EXPECT_EQ(t.moment(1), ResetMoment::Wait);
}

// A's segment still in flight arrives before a RST sent after it: the furthest counts.
TEST(RcvNxtTracker, TheFurthestOfTheVictimsAckAndThePeersSegmentEnd) {
  RcvNxtTracker t;
  t.observe(lab_segment(kAck, 1000, 5000, 1448), true, 0);  // A: 1000..2448
  t.observe(lab_segment(kAck, 2448, 5000, 1448), true, 1);  // A: 2448..3896
  t.observe(lab_segment(kAck, 5000, 2448, 0), false, 2);    // B acks the first only
  EXPECT_EQ(t.rcv_nxt(), 3896u);
  t.observe(lab_segment(kAck, 1000, 5000, 1448), true, 3);  // A resends the first: no change
  EXPECT_EQ(t.rcv_nxt(), 3896u);
  EXPECT_EQ(t.aim(3, RcvNxtTracker::SprayStep::Segment), (std::vector<uint32_t>{3896, 5344, 6792}));
  // tcpkill's steps: B's window as on the wire (502 here).
  EXPECT_EQ(t.aim(3, RcvNxtTracker::SprayStep::Window), (std::vector<uint32_t>{3896, 4398, 4900}));
}

TEST(RcvNxtTracker, WrapsAt2To32) {
  RcvNxtTracker t;
  t.observe(lab_segment(kAck, 0xFFFFFF00u, 5000, 0x200), true, 0);
  EXPECT_EQ(t.rcv_nxt(), 0x100u);
  t.observe(lab_segment(kAck, 5000, 0xFFFFFFF0u, 0), false, 1);  // older ack, before the wrap
  EXPECT_EQ(t.rcv_nxt(), 0x100u);
}

TEST(RcvNxtTracker, AChallengeAckTellsTheExactValue) {
  RcvNxtTracker t;
  t.observe(lab_segment(kAck, 1000, 5000, 1448), true, 0);  // lost before B, say
  EXPECT_EQ(t.rcv_nxt(), 2448u);
  t.learn_exact(1000);
  EXPECT_EQ(t.rcv_nxt(), 1000u);
  EXPECT_EQ(t.basis().source, RcvNxtSource::ChallengeAck);
  EXPECT_EQ(rcv_nxt_reasoning(t.basis(), "A", "B"),
            "the challenge ACK B sent: its ack is RCV.NXT (RFC 5961 3.2)");
  t.observe(lab_segment(kAck, 1000, 5000, 1448), true, 1);  // A resends it
  EXPECT_EQ(t.rcv_nxt(), 2448u);
}

TEST(RcvNxtTracker, ResetsAndSynsTellNothing) {
  RcvNxtTracker t;
  t.observe(lab_segment(kRst | kAck, 1000, 5000, 0), true, 0);
  t.observe(lab_segment(kSyn | kAck, 7000, 1001, 0), false, 0);
  EXPECT_FALSE(t.known());
}

TEST(RcvNxtTracker, AimWithoutAStepIsRcvNxtOnly) {
  RcvNxtTracker t;
  t.observe(lab_segment(kAck, 5000, 1000, 0), false, 0);  // no data of A's to size a step
  EXPECT_EQ(t.aim(4, RcvNxtTracker::SprayStep::Segment), (std::vector<uint32_t>{1000}));
  RcvNxtTracker u;
  u.observe(lab_segment(kAck, 1000, 5000, 10), true, 0);  // no window of B's seen
  EXPECT_EQ(u.aim(4, RcvNxtTracker::SprayStep::Window), (std::vector<uint32_t>{1010}));
}

}  // namespace
}  // namespace tcpinspect::core
