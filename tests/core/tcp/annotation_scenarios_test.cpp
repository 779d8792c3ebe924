// SPDX-License-Identifier: MIT
// Annotations that must be true (issue 9): which kind of retransmission a segment is and
// on what evidence (Wireshark's rules), zero-window probes and their answers, TCP Fast Open,
// and forged-RST suspicion. None of these routine events may carry a failed check. Every
// scenario runs at the four ISN pairs of analyzer_scenarios_test.cpp, two of which wrap.
#include <gtest/gtest.h>

#include "scenario.hpp"

namespace {

using namespace scenario;
using enum tcpinspect::core::TcpState;
using tcpinspect::core::RetransmissionRule;

struct IsnPair {
  uint32_t x, y;
};

class Annotations : public ::testing::TestWithParam<IsnPair> {
 protected:
  Recorder play(const std::vector<Seg>& segs) { return run(segs, GetParam().x, GetParam().y); }
};

// SYN at 0 ms, SYN-ACK at 10, ACK at 11: the first round trip (Wireshark's out-of-order
// threshold) is 11 ms.
std::vector<Seg> with_handshake(std::vector<Seg> rest) {
  std::vector<Seg> all = {
      {C, kSyn, 0, 0, 0, 0},
      {S, kSyn | kAck, 0, 1, 0, 10},
      {C, kAck, 1, 1, 0, 11},
  };
  all.insert(all.end(), rest.begin(), rest.end());
  return all;
}

void expect_no_failed_check(const Recorder& r) {
  for (size_t i = 0; i < r.segments.size(); ++i)
    for (const auto& [rule, ok] : r.segments[i].checks)
      EXPECT_TRUE(ok) << "segment " << i << " fails " << rule;
}

constexpr int64_t kMs = 1'000'000;

TEST_P(Annotations, TimeoutRetransmissionNamesTheOriginal) {
  auto r = play(with_handshake({
      {C, kPsh | kAck, 1, 1, 100, 20},   // frame 4: x+1..x+100
      {C, kPsh | kAck, 1, 1, 100, 230},  // the same bytes, 210 ms later, nothing acked
  }));
  EXPECT_TRUE(r.has_note(4, "retransmission"));
  EXPECT_FALSE(r.has_note(4, "fast_retransmission"));
  EXPECT_FALSE(r.has_note(4, "spurious_retransmission"));
  EXPECT_TRUE(r.segments[4].checks.empty());  // no failed seq_expected
  const auto& e = r.segments[4].retransmission;
  EXPECT_EQ(e.rule, RetransmissionRule::Timeout);
  EXPECT_EQ(e.original_frame, 4u);
  EXPECT_EQ(e.since_original_ns, 210 * kMs);
  EXPECT_EQ(r.segments[4].client_after, Established);
  expect_no_failed_check(r);
}

TEST_P(Annotations, FastRetransmissionAfterTwoDuplicateAcks) {
  auto r = play(with_handshake({
      {C, kAck, 1, 1, 100, 20},    // A: x+1..x+100
      {C, kAck, 101, 1, 100, 21},  // B: x+101..x+200, lost after the capture point
      {C, kAck, 201, 1, 100, 22},  // C: x+201..x+300
      {S, kAck, 1, 101, 0, 32},    // acks A
      {S, kAck, 1, 101, 0, 33},    // C arrived, B did not: duplicate ACK 1
      {S, kAck, 1, 101, 0, 34},    // duplicate ACK 2
      {C, kAck, 101, 1, 100, 35},  // B again, 1 ms after the last duplicate ACK
  }));
  EXPECT_TRUE(r.has_note(7, "duplicate_ack"));
  EXPECT_TRUE(r.has_note(8, "duplicate_ack"));
  EXPECT_TRUE(r.has_note(9, "fast_retransmission"));
  EXPECT_TRUE(r.has_note(9, "retransmission"));
  EXPECT_TRUE(r.segments[9].checks.empty());
  const auto& e = r.segments[9].retransmission;
  EXPECT_EQ(e.rule, RetransmissionRule::Fast);
  EXPECT_EQ(e.dup_acks, 2u);
  EXPECT_EQ(e.since_last_ack_ns, 1 * kMs);
  EXPECT_EQ(e.original_frame, 5u);
  expect_no_failed_check(r);
}

TEST_P(Annotations, OneDuplicateAckOrALateResendIsNotFast) {
  auto r = play(with_handshake({
      {C, kAck, 1, 1, 100, 20},
      {C, kAck, 101, 1, 100, 21},
      {S, kAck, 1, 101, 0, 32},
      {S, kAck, 1, 101, 0, 33},    // only one duplicate ACK
      {C, kAck, 101, 1, 100, 34},  // resent: not fast
      {S, kAck, 1, 101, 0, 40},    // duplicates 2 and 3 ...
      {S, kAck, 1, 101, 0, 41},
      {C, kAck, 101, 1, 100, 300},  // ... but this comes 259 ms later: the timer's
  }));
  EXPECT_FALSE(r.has_note(7, "fast_retransmission"));
  EXPECT_EQ(r.segments[7].retransmission.rule, RetransmissionRule::Timeout);
  EXPECT_FALSE(r.has_note(10, "fast_retransmission"));
  EXPECT_EQ(r.segments[10].retransmission.rule, RetransmissionRule::Timeout);
  expect_no_failed_check(r);
}

TEST_P(Annotations, SpuriousRetransmissionNamesTheAck) {
  auto r = play(with_handshake({
      {C, kPsh | kAck, 1, 1, 100, 20},
      {S, kAck, 1, 101, 0, 40},          // frame 5 acknowledges it all
      {C, kPsh | kAck, 1, 1, 100, 250},  // resent anyway (the ACK was lost downstream)
  }));
  EXPECT_TRUE(r.has_note(5, "spurious_retransmission"));
  EXPECT_TRUE(r.has_note(5, "retransmission"));
  EXPECT_TRUE(r.segments[5].checks.empty());
  const auto& e = r.segments[5].retransmission;
  EXPECT_EQ(e.rule, RetransmissionRule::Spurious);
  EXPECT_EQ(e.acked, GetParam().x + 101);
  EXPECT_EQ(e.acked_frame, 5u);
  expect_no_failed_check(r);
}

TEST_P(Annotations, OutOfOrderWithinTheFirstRoundTrip) {
  auto r = play(with_handshake({
      {C, kAck, 1, 1, 100, 20},
      {C, kAck, 101, 1, 100, 21},
      {C, kAck, 1, 1, 100, 25},  // 4 ms after the newest: less than the 11 ms first RTT
  }));
  EXPECT_TRUE(r.has_note(5, "out_of_order"));
  EXPECT_FALSE(r.has_note(5, "retransmission"));
  const auto& e = r.segments[5].retransmission;
  EXPECT_EQ(e.rule, RetransmissionRule::OutOfOrderTime);
  EXPECT_EQ(e.since_newest_ns, 4 * kMs);
  EXPECT_EQ(e.threshold_ns, 11 * kMs);
  expect_no_failed_check(r);
}

TEST_P(Annotations, SegmentFillingTheGapIsOutOfOrderWithoutAFailedCheck) {
  auto r = play(with_handshake({
      {C, kAck, 101, 1, 100, 20},  // x+1..x+100 not captured
      {C, kAck, 1, 1, 100, 80},    // arrives 60 ms later: fills the gap
  }));
  EXPECT_TRUE(r.has_note(3, "previous_segment_not_captured"));
  EXPECT_TRUE(r.has_note(4, "out_of_order"));
  EXPECT_EQ(r.segments[4].retransmission.rule, RetransmissionRule::OutOfOrderGap);
  EXPECT_TRUE(r.segments[4].checks.empty());
}

TEST_P(Annotations, ZeroWindowProbeAndItsAnswer) {
  auto r = play(with_handshake({
      {C, kAck, 1, 1, 100, 20},
      {S, kAck, 1, 101, 0, 30, 0},     // 4: zero window
      {C, kAck, 101, 1, 1, 230},       // 5: one byte at the edge: a probe
      {S, kAck, 1, 101, 0, 240, 0},    // 6: still zero: the probe's answer
      {C, kAck, 101, 1, 1, 640},       // 7: the same byte again: still a probe (Wireshark)
      {S, kAck, 1, 101, 0, 650, 0},    // 8: and its answer
      {S, kAck, 1, 101, 0, 900, 500},  // 9: window update: the probe byte was dropped
      {C, kAck, 101, 1, 100, 910},     // 10: the data from the probe byte on: not resent
      {S, kAck, 1, 201, 0, 920, 500},  // 11
      {C, kAck, 200, 1, 0, 5000},      // 12: seq = next - 1, no window problem: keep-alive
      {C, kAck, 201, 1, 1, 5010},      // 13: one byte, but the window is open: no probe
  }));
  EXPECT_TRUE(r.has_note(4, "zero_window"));
  for (size_t i : {5u, 7u}) {
    EXPECT_TRUE(r.has_note(i, "zero_window_probe")) << i;
    EXPECT_FALSE(r.has_note(i, "keep_alive")) << i;
    EXPECT_FALSE(r.has_note(i, "retransmission")) << i;
  }
  for (size_t i : {6u, 8u}) {
    EXPECT_TRUE(r.has_note(i, "zero_window_probe_ack")) << i;
    EXPECT_TRUE(r.has_note(i, "zero_window")) << i;
    EXPECT_FALSE(r.has_note(i, "duplicate_ack")) << i;
  }
  EXPECT_FALSE(r.has_note(9, "zero_window_probe_ack"));
  EXPECT_FALSE(r.has_note(10, "retransmission"));
  EXPECT_FALSE(r.has_note(10, "zero_window_probe"));
  EXPECT_TRUE(r.has_note(12, "keep_alive"));
  EXPECT_FALSE(r.has_note(12, "zero_window_probe"));
  EXPECT_FALSE(r.has_note(13, "zero_window_probe"));
  expect_no_failed_check(r);
}

TEST_P(Annotations, AnAcceptedProbeByteIsNotAnUnseenAck) {
  auto r = play(with_handshake({
      {C, kAck, 1, 1, 100, 20},
      {S, kAck, 1, 101, 0, 30, 0},
      {C, kAck, 101, 1, 1, 230},       // the probe
      {S, kAck, 1, 102, 0, 240, 500},  // the window opened meanwhile: the byte is taken
  }));
  EXPECT_TRUE(r.has_note(5, "zero_window_probe"));
  EXPECT_FALSE(r.has_note(6, "acked_unseen_segment"));
  expect_no_failed_check(r);
}

TEST_P(Annotations, FastOpenCookieRequestAndGrant) {
  auto r = play({
      {C, kSyn, 0, 0, 0, 0, 1000, 64, 0, tfo_option(0)},
      {S, kSyn | kAck, 0, 1, 0, 10, 1000, 64, 0, tfo_option(8)},
      {C, kAck, 1, 1, 0, 11},
  });
  EXPECT_TRUE(r.has_note(0, "tfo_cookie_request"));
  EXPECT_TRUE(r.has_note(1, "tfo_cookie"));
  EXPECT_FALSE(r.has_note(1, "tfo_data_accepted"));
  expect_no_failed_check(r);
}

TEST_P(Annotations, FastOpenDataAccepted) {
  auto r = play({
      {C, kSyn, 0, 0, 40, 0, 1000, 64, 0, tfo_option(8)},  // SYN + 40 bytes: x..x+40
      {S, kSyn | kAck, 0, 41, 0, 10},                      // acks x+41: the data too
      {C, kAck, 41, 1, 0, 11},
      {S, kPsh | kAck, 1, 41, 100, 12},  // the answer, already
  });
  EXPECT_TRUE(r.has_note(0, "tfo_cookie"));
  EXPECT_TRUE(r.has_note(1, "tfo_data_accepted"));
  EXPECT_TRUE(r.has_note(1, "connect_returns"));
  EXPECT_EQ(r.segments[1].checks.at(0), (std::pair<std::string, bool>{"synack_acks_syn", true}));
  EXPECT_EQ(r.segments[1].client_after, Established);
  EXPECT_EQ(r.segments[2].server_after, Established);
  EXPECT_FALSE(r.has_note(1, "synack_bad_ack"));
  expect_no_failed_check(r);
}

TEST_P(Annotations, FastOpenDataIgnoredIsResentWithoutError) {
  auto r = play({
      {C, kSyn, 0, 0, 40, 0, 1000, 64, 0, tfo_option(8)},
      {S, kSyn | kAck, 0, 1, 0, 10},   // acks x+1 only: the cookie was not accepted
      {C, kAck, 41, 1, 0, 11},         // Linux's ACK carries SND.NXT
      {C, kPsh | kAck, 1, 1, 40, 12},  // the 40 bytes again
      {S, kAck, 1, 41, 0, 22},
  });
  EXPECT_TRUE(r.has_note(1, "tfo_data_ignored"));
  EXPECT_FALSE(r.has_note(1, "synack_bad_ack"));
  EXPECT_EQ(r.segments[1].checks.at(0), (std::pair<std::string, bool>{"synack_acks_syn", true}));
  EXPECT_EQ(r.segments[1].client_after, Established);
  EXPECT_TRUE(r.has_note(3, "retransmission"));
  EXPECT_EQ(r.segments[3].retransmission.rule, RetransmissionRule::FastOpenResend);
  EXPECT_EQ(r.segments[3].retransmission.original_frame, 1u);
  expect_no_failed_check(r);
}

TEST_P(Annotations, RstWithAnotherTtlRacingTheServersDataIsSuspect) {
  auto r = play(with_handshake({
      {S, kPsh | kAck, 1, 1, 100, 20},
      {C, kAck, 1, 101, 0, 21},
      {S, kRst | kAck, 101, 1, 0, 22, 0, 50},  // "from the server", but TTL 50, not 64
      {S, kPsh | kAck, 101, 1, 100, 23},       // the real server goes on sending
  }));
  EXPECT_TRUE(r.has_note(5, "rst_suspected_forged"));
  EXPECT_TRUE(r.has_note(5, "econnreset"));  // still, the client takes it
  EXPECT_EQ(r.segments[5].forged_rst.reasons, tcpinspect::core::kTtlDiffers);
  EXPECT_EQ(r.segments[5].forged_rst.ttl, 50);
  EXPECT_EQ(r.segments[5].forged_rst.usual_ttl, 64);
  EXPECT_TRUE(r.has_note(6, "rst_suspected_forged"));
  EXPECT_EQ(r.segments[6].forged_rst.reasons, tcpinspect::core::kDataAfterRst);
  EXPECT_EQ(r.segments[6].forged_rst.rst_frame, 6u);
}

TEST_P(Annotations, RstWithAnIpIdOutOfSequenceIsSuspect) {
  auto r = play(with_handshake({
      {S, kPsh | kAck, 1, 1, 100, 20, 1000, 64, 7000},
      {S, kPsh | kAck, 101, 1, 100, 21, 1000, 64, 7001},
      {S, kPsh | kAck, 201, 1, 100, 22, 1000, 64, 7002},
      {S, kRst | kAck, 301, 1, 0, 23, 0, 64, 41000},
  }));
  EXPECT_TRUE(r.has_note(6, "rst_suspected_forged"));
  EXPECT_EQ(r.segments[6].forged_rst.reasons, tcpinspect::core::kIpIdOutOfSequence);
  EXPECT_EQ(r.segments[6].forged_rst.ip_id, 41000);
  EXPECT_EQ(r.segments[6].forged_rst.previous_ip_id, 7002);
}

TEST_P(Annotations, GenuineRstsAreNotSuspect) {
  // One in sequence, and one with ID 0 and DF (a socketless Linux RST): neither is evidence.
  auto r = play(with_handshake({
      {S, kPsh | kAck, 1, 1, 100, 20, 1000, 64, 7000},
      {S, kPsh | kAck, 101, 1, 100, 21, 1000, 64, 7001},
      {S, kPsh | kAck, 201, 1, 100, 22, 1000, 64, 7002},
      {S, kRst | kAck, 301, 1, 0, 23, 0, 64, 7003},
      {S, kRst, 301, 0, 0, 24, 0, 64, 0},
  }));
  for (size_t i = 0; i < r.segments.size(); ++i)
    EXPECT_FALSE(r.has_note(i, "rst_suspected_forged")) << i;
}

INSTANTIATE_TEST_SUITE_P(Isns, Annotations,
                         ::testing::Values(IsnPair{1000, 5000}, IsnPair{0xFFFFFFF0, 0xFFFFFFFE},
                                           IsnPair{0xFFFFFFFF, 0x7FFFFFFF},
                                           IsnPair{0x7FFFFFC0, 0xFFFFFF9C}));

}  // namespace
