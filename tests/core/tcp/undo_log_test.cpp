// SPDX-License-Identifier: MIT
// The undo log's bookkeeping on its own: which steps it keeps, in which order, and when a
// doubt is dropped. The rules that use it are tested through whole conversations
// (inference_rules_test.cpp, analyzer_scenarios_test.cpp).
#include "core/tcp/undo_log.hpp"

#include <gtest/gtest.h>

#include "core/wire/packet.hpp"

namespace tcpinspect::core {
namespace {

UndoStep receipt(uint64_t frame, uint32_t end) {
  UndoStep s;
  s.frame = frame;
  s.end = end;
  s.doubts = UndoStep::kMayBeLost;
  return s;
}

std::vector<uint64_t> frames(const UndoLog& log) {
  std::vector<uint64_t> out;
  for (size_t i = 0; i < log.size(); ++i)
    out.push_back(log[i].frame);
  return out;
}

TEST(UndoLog, KeepsTheNewestUnconfirmedReceiptsInOrder) {
  UndoLog log;
  for (uint64_t f = 1; f <= 6; ++f)
    log.add(receipt(f, static_cast<uint32_t>(100 * f)));
  // Past four, the oldest receipt is forgotten: it can no longer be undone.
  EXPECT_EQ(frames(log), (std::vector<uint64_t>{3, 4, 5, 6}));
}

TEST(UndoLog, AnAckConfirmsTheReceiptsItCoversAcrossTheWrap) {
  UndoLog log;
  log.add(receipt(1, 0xFFFFFFF0u));  // ends just before the wrap
  log.add(receipt(2, 0x00000010u));  // ends just after it
  log.confirm_receipts(0x00000005u);
  EXPECT_EQ(frames(log), (std::vector<uint64_t>{2}));
  log.confirm_receipts(0x00000010u);
  EXPECT_TRUE(log.empty());
}

TEST(UndoLog, APossibleCrossingOutlivesItsReceiptAndIsReplacedByTheNext) {
  UndoLog log;
  UndoStep syn = receipt(1, 1001);
  syn.crossing = kSyn;
  log.add(syn);
  log.confirm_receipts(1001);  // the receipt is confirmed; whether it crossed is still open
  ASSERT_NE(log.crossing(), nullptr);
  EXPECT_EQ(log.crossing()->frame, 1u);
  EXPECT_EQ(log.crossing()->doubts, 0u);
  UndoStep fin = receipt(7, 2001);
  fin.crossing = kFin;
  log.add(fin);
  ASSERT_NE(log.crossing(), nullptr);
  EXPECT_EQ(log.crossing()->frame, 7u);
  EXPECT_EQ(frames(log), (std::vector<uint64_t>{7}));
}

TEST(UndoLog, AForgedRstIsKeptApartFromReceipts) {
  UndoLog log;
  UndoStep rst;
  rst.frame = 3;
  rst.before = TcpState::Established;
  rst.after = TcpState::Closed;
  rst.doubts = UndoStep::kMayBeForged;
  log.add(receipt(2, 50));
  log.add(rst);
  log.drop_doubt(UndoStep::kMayBeLost);  // forgetting receipts leaves the RST
  ASSERT_NE(log.forged_rst(), nullptr);
  EXPECT_EQ(log.forged_rst()->frame, 3u);
  EXPECT_EQ(log.forged_rst()->before, TcpState::Established);
  log.drop_doubt(UndoStep::kMayBeForged);
  EXPECT_TRUE(log.empty());
}

TEST(UndoLog, AStepKeepsWhatItTookIn) {
  UndoStep step;
  ReceiveFacts facts;
  facts.flags = kFin | kAck | kPsh;  // PSH plays no part in a transition: not kept
  facts.acks_our_fin = true;
  step.set_facts(facts);
  step.acked_own = true;
  const ReceiveFacts back = step.facts();
  EXPECT_EQ(back.flags, kFin | kAck);
  EXPECT_FALSE(back.acks_our_syn);
  EXPECT_TRUE(back.acks_our_fin);
  EXPECT_FALSE(back.passive_open);
  EXPECT_EQ(step.cause(), kFin | kAck);
}

TEST(UndoLog, AStepWithNothingInDoubtIsNotLogged) {
  UndoLog log;
  UndoStep sure;
  sure.frame = 9;
  log.add(sure);
  EXPECT_TRUE(log.empty());
}

}  // namespace
}  // namespace tcpinspect::core
