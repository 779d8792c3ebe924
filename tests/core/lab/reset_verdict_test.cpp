// SPDX-License-Identifier: MIT
// reset's reasoning (core/lab/reset_verdict.hpp): B's RCV.NXT from one segment before the
// RST, and what B's segments after it say. A is 10.0.0.1:40000, B (reset) 10.0.0.2:80.
#include "core/lab/reset_verdict.hpp"

#include <gtest/gtest.h>

#include <chrono>

#include "tests/core/lab/lab_segment.hpp"

namespace tcpinspect::core {
namespace {

constexpr const char* kA = "10.0.0.1:40000";
constexpr const char* kB = "10.0.0.2:80";

TEST(RcvNxt, FromAsSegmentIsItsSeqPlusSegLen) {
  // A sends 6 bytes at 1000: B accepts 1006 next.
  const RcvNxtReading r = read_rcv_nxt(lab_segment(kAck | kPsh, 1000, 7000, 6), true);
  EXPECT_EQ(r.source, RcvNxtSource::SenderSegment);
  EXPECT_TRUE(r.found());
  EXPECT_EQ(r.rcv_nxt, 1006u);
  EXPECT_EQ(r.seq, 1000u);
  EXPECT_EQ(r.seg_len, 6u);
  EXPECT_FALSE(r.receiver_window);  // A's window is not B's
  EXPECT_EQ(rcv_nxt_reasoning(r, kA, kB), "seq 1000 + len 6 of 10.0.0.1:40000's segment");
}

TEST(RcvNxt, AsFinCountsOne) {
  const RcvNxtReading r = read_rcv_nxt(lab_segment(kFin | kAck, 1000, 7000, 0), true);
  EXPECT_EQ(r.rcv_nxt, 1001u);
  EXPECT_EQ(r.seg_len, 1u);
  const RcvNxtReading d = read_rcv_nxt(lab_segment(kFin | kAck | kPsh, 1000, 7000, 10), true);
  EXPECT_EQ(d.rcv_nxt, 1011u);
  EXPECT_EQ(rcv_nxt_reasoning(d, kA, kB), "seq 1000 + len 11 of 10.0.0.1:40000's segment");
}

TEST(RcvNxt, AsPureAckEndsWhereItStarts) {
  const RcvNxtReading r = read_rcv_nxt(lab_segment(kAck, 1000, 7000, 0), true);
  EXPECT_EQ(r.source, RcvNxtSource::SenderSegment);
  EXPECT_EQ(r.rcv_nxt, 1000u);
  EXPECT_EQ(rcv_nxt_reasoning(r, kA, kB), "seq 1000 + len 0 of 10.0.0.1:40000's segment");
}

TEST(RcvNxt, AcrossTheWrap) {
  // 20 bytes from 2^32 - 4: 4 before the wrap, 16 after.
  const RcvNxtReading r = read_rcv_nxt(lab_segment(kAck | kPsh, 0xFFFFFFFCu, 7000, 20), true);
  EXPECT_EQ(r.rcv_nxt, 16u);
  EXPECT_EQ(rcv_nxt_reasoning(r, kA, kB), "seq 4294967292 + len 20 of 10.0.0.1:40000's segment");
  // A FIN on the last sequence number: B's RCV.NXT becomes 0.
  EXPECT_EQ(read_rcv_nxt(lab_segment(kFin | kAck, 0xFFFFFFFFu, 7000, 0), true).rcv_nxt, 0u);
}

TEST(RcvNxt, FromBsAckIsItsAckNumberAndItsWindowIsKept) {
  const RcvNxtReading r = read_rcv_nxt(lab_segment(kAck, 7000, 1006, 0, 1024), false);
  EXPECT_EQ(r.source, RcvNxtSource::ReceiverAck);
  EXPECT_EQ(r.rcv_nxt, 1006u);
  ASSERT_TRUE(r.receiver_window);
  EXPECT_EQ(*r.receiver_window, 1024u);
  EXPECT_EQ(rcv_nxt_reasoning(r, kA, kB), "the ack 10.0.0.2:80 just sent");
  // B's data: its ack still is its RCV.NXT (its own seq says nothing of it).
  const RcvNxtReading d = read_rcv_nxt(lab_segment(kAck | kPsh, 7000, 0xFFFFFFFEu, 100, 0), false);
  EXPECT_EQ(d.rcv_nxt, 0xFFFFFFFEu);
  EXPECT_EQ(*d.receiver_window, 0u);
}

TEST(RcvNxt, BsSegmentWithoutAckTellsOnlyItsWindow) {
  const RcvNxtReading r = read_rcv_nxt(lab_segment(kPsh, 7000, 0, 5, 300), false);
  EXPECT_EQ(r.source, RcvNxtSource::NoAck);
  EXPECT_FALSE(r.found());
  EXPECT_EQ(r.rcv_nxt, 0u);
  EXPECT_EQ(*r.receiver_window, 300u);
  EXPECT_EQ(rcv_nxt_reasoning(r, kA, kB), "");
}

TEST(RcvNxt, RstAndSynTellNothingFromEitherSide) {
  for (const bool from_a : {true, false}) {
    const RcvNxtReading rst = read_rcv_nxt(lab_segment(kRst | kAck, 1000, 7000, 0), from_a);
    EXPECT_EQ(rst.source, RcvNxtSource::Rst);
    EXPECT_FALSE(rst.found());
    EXPECT_FALSE(rst.receiver_window);
    const RcvNxtReading syn = read_rcv_nxt(lab_segment(kSyn | kAck, 1000, 7000, 0), from_a);
    EXPECT_EQ(syn.source, RcvNxtSource::Syn);
    EXPECT_FALSE(syn.found());
    EXPECT_FALSE(syn.receiver_window);
  }
  // RST wins over SYN.
  EXPECT_EQ(read_rcv_nxt(lab_segment(kSyn | kRst, 1000, 0, 0), true).source, RcvNxtSource::Rst);
}

TEST(AfterRst, ChallengeAckIsAPureAckOfExactlyRcvNxt) {
  EXPECT_EQ(classify_after_rst(lab_segment(kAck, 7000, 1006, 0), 1006),
            AfterRstSegment::ChallengeAck);
  EXPECT_EQ(classify_after_rst(lab_segment(kAck, 7000, 0, 0), 0), AfterRstSegment::ChallengeAck);
  // One off, or an ACK that is not pure, is no challenge ACK.
  EXPECT_EQ(classify_after_rst(lab_segment(kAck, 7000, 1007, 0), 1006), AfterRstSegment::Other);
  EXPECT_EQ(classify_after_rst(lab_segment(kAck, 7000, 1005, 0), 1006), AfterRstSegment::Other);
  EXPECT_EQ(classify_after_rst(lab_segment(kFin | kAck, 7000, 1006, 0), 1006),
            AfterRstSegment::Other);
  EXPECT_EQ(classify_after_rst(lab_segment(kAck | kPsh, 7000, 1006, 1), 1006),
            AfterRstSegment::Data);
  // The ack compared is exact, across the wrap too.
  EXPECT_EQ(classify_after_rst(lab_segment(kAck, 7000, 0xFFFFFFFFu, 0), 0xFFFFFFFFu),
            AfterRstSegment::ChallengeAck);
  EXPECT_EQ(classify_after_rst(lab_segment(kAck, 7000, 0, 0), 0xFFFFFFFFu), AfterRstSegment::Other);
}

TEST(AfterRst, RstDataAndOther) {
  EXPECT_EQ(classify_after_rst(lab_segment(kRst, 7000, 0, 0), 1006), AfterRstSegment::Rst);
  EXPECT_EQ(classify_after_rst(lab_segment(kRst | kAck, 7000, 1006, 0), 1006),
            AfterRstSegment::Rst);
  EXPECT_EQ(classify_after_rst(lab_segment(kPsh, 7000, 0, 3), 1006), AfterRstSegment::Data);
  EXPECT_EQ(classify_after_rst(lab_segment(kFin, 7000, 0, 0), 1006), AfterRstSegment::Other);
  EXPECT_EQ(after_rst_text(AfterRstSegment::Rst),
            "RST from the victim: it no longer has the connection");
  EXPECT_EQ(after_rst_text(AfterRstSegment::ChallengeAck),
            "challenge ACK: ack = RCV.NXT (RFC 5961 3.2), the RST was not accepted");
  EXPECT_EQ(after_rst_text(AfterRstSegment::Data), "data: the connection is alive");
  EXPECT_EQ(after_rst_text(AfterRstSegment::Other), "only a live connection sends this");
}

TEST(AfterRst, NothingSeenIsSilence) {
  const AfterRst seen;
  EXPECT_EQ(seen.outcome(), RstOutcome::Silence);
  EXPECT_EQ(seen.outcome_text(kB, std::chrono::milliseconds(1500)),
            "outcome: nothing from 10.0.0.2:80 within 1500ms: consistent with the RST being "
            "accepted (its socket now reports ECONNRESET)");
}

TEST(AfterRst, RstAloneIsAccepted) {
  AfterRst seen;
  EXPECT_EQ(seen.take(lab_segment(kRst, 7000, 0, 0), 1006), AfterRstSegment::Rst);
  EXPECT_EQ(seen.outcome(), RstOutcome::AnsweredRst);
  EXPECT_EQ(seen.outcome_text(kB, std::chrono::seconds(1)),
            "outcome: 10.0.0.2:80 answered the next segment with RST: the RST was accepted "
            "(its socket reports ECONNRESET, and so does its peer's after that RST)");
}

TEST(AfterRst, ChallengeAckOutweighsEverything) {
  AfterRst seen;
  seen.take(lab_segment(kRst, 7000, 0, 0), 1006);
  seen.take(lab_segment(kAck | kPsh, 7000, 1006, 10), 1006);
  EXPECT_EQ(seen.take(lab_segment(kAck, 7010, 1006, 0), 1006), AfterRstSegment::ChallengeAck);
  EXPECT_EQ(seen.outcome(), RstOutcome::ChallengeAck);
  EXPECT_EQ(seen.outcome_text(kB, std::chrono::seconds(1)),
            "outcome: 10.0.0.2:80 answered with a challenge ACK: the connection survives");
}

TEST(AfterRst, LiveSegmentsOutweighARst) {
  AfterRst data;
  data.take(lab_segment(kRst, 7000, 0, 0), 1006);
  data.take(lab_segment(kFin | kAck, 7000, 1006, 0), 1006);
  data.take(lab_segment(kAck | kPsh, 7000, 1006, 10), 1006);
  EXPECT_EQ(data.outcome(), RstOutcome::KeptTalking);
  EXPECT_EQ(data.outcome_text(kB, std::chrono::seconds(1)),
            "outcome: 10.0.0.2:80 kept talking after our RST (data): the connection survives");
  AfterRst other;
  other.take(lab_segment(kFin | kAck, 7000, 1006, 0), 1006);
  other.take(lab_segment(kRst, 7001, 0, 0), 1006);
  EXPECT_EQ(other.outcome(), RstOutcome::KeptTalking);
  EXPECT_EQ(other.outcome_text(kB, std::chrono::seconds(1)),
            "outcome: 10.0.0.2:80 kept talking after our RST (a segment without RST): the "
            "connection survives");
}

}  // namespace
}  // namespace tcpinspect::core
