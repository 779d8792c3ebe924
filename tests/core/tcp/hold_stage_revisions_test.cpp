// SPDX-License-Identifier: MIT
// Corrections that reach records the hold stage had already handed on: it reports each one
// once, as an event of its own naming the frames, the side and both states, so that views
// which keep records redraw them and nothing else decides which rows change.
#include <gtest/gtest.h>

#include "scenario.hpp"

namespace {

using namespace scenario;
using enum tcpinspect::core::TcpState;

struct IsnPair {
  uint32_t x, y;
};

class HoldStage : public ::testing::TestWithParam<IsnPair> {
 protected:
  Recorder play(const std::vector<Seg>& segs) { return run(segs, GetParam().x, GetParam().y); }
};

const SegmentRecord& at_frame(const Recorder& r, uint64_t frame) {
  for (const auto& s : r.segments)
    if (s.frame == frame) return s;
  static SegmentRecord none{};
  ADD_FAILURE() << "no record of frame " << frame;
  return none;
}

TEST_P(HoldStage, CrossingSynAfterTheHoldIsAnEventOfItsOwn) {
  const Recorder r = play(kCrossingSynAfterTheHold);
  // The SYN's record went out past the hold as the analysis saw it then: the server took
  // the SYN (unconfirmed).
  const SegmentRecord& syn = at_frame(r, 1);
  EXPECT_EQ(syn.server_after, SynRcvd);
  EXPECT_EQ(syn.unconfirmed & 2, 2);
  ASSERT_EQ(r.revisions.size(), 1u);
  const RevisionEvent& rev = r.revisions[0];
  EXPECT_EQ(rev.conn_id, 1u);
  EXPECT_EQ(rev.first_frame, 1u);
  EXPECT_EQ(rev.last_frame, 2u);  // everything before the server's SYN, which reveals it
  EXPECT_FALSE(rev.client_side);
  EXPECT_EQ(rev.shown, SynRcvd);
  EXPECT_EQ(rev.real, Closed);
  EXPECT_FALSE(rev.unconfirmed);  // the state it kept: nothing to confirm
  EXPECT_TRUE(rev.from_start);    // it was never listening
  EXPECT_EQ(rev.cause, RevisionCause::CrossingSyn);
  // The revealing record: the server sent its SYN, then took the client's.
  const SegmentRecord& crossing = at_frame(r, 3);
  EXPECT_TRUE(crossing.revised);
  EXPECT_EQ(crossing.server_before, Closed);
  EXPECT_EQ(crossing.server_after, SynRcvd);
  EXPECT_EQ(crossing.via[1], (std::vector<TcpState>{SynSent}));
  EXPECT_EQ(r.conn(1).server_path, states({"CLOSED", "SYN_SENT", "SYN_RCVD", "ESTABLISHED"}));
}

TEST_P(HoldStage, SynSentAgainPastTheHoldNamesOnlyTheRecordThatWentOut) {
  // The SYN at 0, 1 s and 3 s: the 1 s record is handed on at 2.6 s (past the 1.5 s hold,
  // as another connection's segment shows the time), before the third SYN shows the
  // listener never took the second.
  const Recorder r = play({
      {C, kSyn, 0, 0, 0, 0},
      {C, kSyn, 0, 0, 0, 1000},
      {.from = C, .flags = kSyn, .seq_off = 0, .ack_off = 0, .t_ms = 2600, .client_port = 40001},
      {C, kSyn, 0, 0, 0, 3000},
      {S, kSyn | kAck, 0, 1, 0, 3001},
      {C, kAck, 1, 1, 0, 3002},
  });
  // The first correction (at 1 s) came while the first record was still held: corrected in
  // place, no event.
  EXPECT_EQ(at_frame(r, 1).server_after, Listen);
  EXPECT_EQ(at_frame(r, 2).server_after, SynRcvd);
  ASSERT_EQ(r.revisions.size(), 1u);
  const RevisionEvent& rev = r.revisions[0];
  EXPECT_EQ(rev.conn_id, 1u);
  EXPECT_EQ(rev.first_frame, 2u);
  EXPECT_EQ(rev.last_frame, 3u);  // up to the third SYN, which reveals it
  EXPECT_FALSE(rev.client_side);
  EXPECT_EQ(rev.shown, SynRcvd);
  EXPECT_EQ(rev.real, Listen);
  EXPECT_FALSE(rev.from_start);
  EXPECT_EQ(rev.cause, RevisionCause::SynSentAgain);
}

TEST_P(HoldStage, CorrectionsOfHeldRecordsAreNoEvents) {
  // The same crossing within the hold: corrected before anything went out.
  const Recorder r = play({
      {C, kSyn, 0, 0, 0, 0},
      {S, kSyn, 0, 0, 0, 5},
      {C, kSyn | kAck, 0, 1, 0, 6},
      {S, kSyn | kAck, 0, 1, 0, 7},
      {C, kAck, 1, 1, 0, 8},
  });
  EXPECT_TRUE(r.revisions.empty());
  EXPECT_EQ(r.segments.at(0).server_after, Closed);
}

TEST_P(HoldStage, UnansweredSynPastTheHoldIsCorrectedAtTheEnd) {
  // The SYN's record goes out past the hold; the capture ends with it unanswered.
  const Recorder r = play({
      {C, kSyn, 0, 0, 0, 0},
      {.from = C, .flags = kSyn, .seq_off = 0, .ack_off = 0, .t_ms = 1700, .client_port = 40001},
  });
  // The other connection's SYN was still held at the end: corrected in place.
  ASSERT_EQ(r.revisions.size(), 1u);
  const RevisionEvent& rev = r.revisions[0];
  EXPECT_EQ(rev.conn_id, 1u);
  EXPECT_EQ(rev.first_frame, 1u);
  EXPECT_EQ(rev.last_frame, RevisionEvent::kLatest);  // nothing of it held any more
  EXPECT_EQ(rev.shown, SynRcvd);
  EXPECT_EQ(rev.real, Listen);
  EXPECT_EQ(rev.cause, RevisionCause::SynUnanswered);
}

INSTANTIATE_TEST_SUITE_P(Isns, HoldStage,
                         ::testing::Values(IsnPair{1000, 5000}, IsnPair{0xFFFFFFF0, 0xFFFFFFFE},
                                           IsnPair{0xFFFFFFFF, 0x7FFFFFFF},
                                           IsnPair{0x7FFFFFC0, 0xFFFFFF9C}));

}  // namespace
