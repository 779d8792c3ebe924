// SPDX-License-Identifier: MIT
// SEG.LEN, the end of a segment and a FIN's sequence number (core/wire/seq.hpp), also where
// they cross 2^32.
#include "core/wire/seq.hpp"

#include <gtest/gtest.h>

#include <cstdint>

namespace tcpinspect::core {
namespace {

TEST(SeqLen, SynAndFinEachTakeOneAndOtherFlagsNone) {
  EXPECT_EQ(seq::seg_len(kSyn, 0), 1u);
  EXPECT_EQ(seq::seg_len(kSyn | kAck, 0), 1u);
  EXPECT_EQ(seq::seg_len(kFin | kAck, 10), 11u);
  EXPECT_EQ(seq::seg_len(kSyn | kFin, 0), 2u);
  EXPECT_EQ(seq::seg_len(kSyn | kFin | kPsh, 5), 7u);
  EXPECT_EQ(seq::seg_len(kAck, 0), 0u);
  EXPECT_EQ(seq::seg_len(kAck | kPsh, 1448), 1448u);
  EXPECT_EQ(seq::seg_len(kRst | kAck, 0), 0u);
  // Every flag but SYN and FIN at once takes nothing of the sequence space.
  EXPECT_EQ(seq::seg_len(kRst | kPsh | kAck | kUrg | kEce | kCwr | kAe, 3), 3u);
}

TEST(SeqEnd, IsSeqPlusSegLen) {
  EXPECT_EQ(seq::seg_end(1000, kSyn, 0), 1001u);
  EXPECT_EQ(seq::seg_end(1000, kAck | kPsh, 100), 1100u);
  EXPECT_EQ(seq::seg_end(1000, kFin | kAck, 100), 1101u);
  EXPECT_EQ(seq::seg_end(1000, kAck, 0), 1000u);  // a pure ACK ends where it starts
}

TEST(SeqEnd, WrapsAt2To32) {
  // A SYN at the last sequence number: the next one is 0.
  EXPECT_EQ(seq::seg_end(0xFFFFFFFFu, kSyn, 0), 0u);
  // 100 bytes from 2^32 - 10: 10 before the wrap, 90 after.
  EXPECT_EQ(seq::seg_end(0xFFFFFFF6u, kAck | kPsh, 100), 90u);
  // SYN + 3 bytes + FIN from 2^32 - 2: 5 numbers, ending at 3.
  EXPECT_EQ(seq::seg_end(0xFFFFFFFEu, kSyn | kFin, 3), 3u);
  EXPECT_TRUE(seq::gt(seq::seg_end(0xFFFFFFF6u, kAck, 100), 0xFFFFFFF6u));
}

TEST(FinSeq, IsAfterTheSynAndThePayload) {
  EXPECT_EQ(seq::fin_seq(5000, kFin | kAck, 0), 5000u);
  EXPECT_EQ(seq::fin_seq(5000, kFin | kAck | kPsh, 20), 5020u);
  EXPECT_EQ(seq::fin_seq(5000, kSyn | kFin, 0), 5001u);
  EXPECT_EQ(seq::fin_seq(5000, kSyn | kFin, 7), 5008u);
  // The FIN is the last number of its segment: its end is one past it.
  EXPECT_EQ(seq::fin_seq(5000, kSyn | kFin, 7) + 1, seq::seg_end(5000, kSyn | kFin, 7));
}

TEST(FinSeq, WrapsAt2To32) {
  EXPECT_EQ(seq::fin_seq(0xFFFFFFFFu, kFin | kAck, 0), 0xFFFFFFFFu);
  EXPECT_EQ(seq::fin_seq(0xFFFFFFFFu, kFin | kAck, 1), 0u);
  EXPECT_EQ(seq::fin_seq(0xFFFFFFF0u, kSyn | kFin, 0x20), 0x11u);
  EXPECT_EQ(seq::seg_end(0xFFFFFFFFu, kFin | kAck, 0), 0u);
}

TEST(SeqLen, IsConstexpr) {
  static_assert(seq::seg_len(kSyn | kFin, 1) == 3);
  static_assert(seq::seg_end(0xFFFFFFFFu, kSyn, 0) == 0);
  static_assert(seq::fin_seq(1, kSyn | kFin, 0) == 2);
}

}  // namespace
}  // namespace tcpinspect::core
