// SPDX-License-Identifier: MIT
// Selective-repeat window logic on both ends, with exact numbers.
#include <gtest/gtest.h>

#include <vector>

#include "traffic/udp_transfer_receiver_window.hpp"
#include "traffic/udp_transfer_sender_window.hpp"

namespace tcpinspect::traffic::udp {
namespace {

using std::chrono::milliseconds;

std::vector<uint32_t> send_all(SenderWindow& w, Nanos now, std::vector<uint32_t>* tx = nullptr) {
  std::vector<uint32_t> seqs;
  while (auto d = w.next_send(now)) {
    seqs.push_back(d->seq);
    if (tx) tx->push_back(d->transmission);
  }
  return seqs;
}

TEST(UdpTransferSenderWindow, StopAndWaitWithWindowOne) {
  SenderWindow w(3, 1);
  EXPECT_EQ(send_all(w, milliseconds(0)), (std::vector<uint32_t>{0}));
  AckOutcome o = w.on_ack(1, {}, milliseconds(40));
  EXPECT_EQ(o.newly_acked, 1u);
  ASSERT_TRUE(o.rtt_sample);
  EXPECT_EQ(*o.rtt_sample, milliseconds(40));
  EXPECT_EQ(send_all(w, milliseconds(40)), (std::vector<uint32_t>{1}));
  w.on_timeout();  // lost: the same chunk again, as a retransmission
  std::vector<uint32_t> tx;
  EXPECT_EQ(send_all(w, milliseconds(100), &tx), (std::vector<uint32_t>{1}));
  EXPECT_EQ(tx, (std::vector<uint32_t>{2}));
  EXPECT_EQ(w.retransmissions(), 1u);
  // Karn: the ACK of a retransmitted chunk gives no RTT sample.
  o = w.on_ack(2, {}, milliseconds(130));
  EXPECT_EQ(o.newly_acked, 1u);
  EXPECT_FALSE(o.rtt_sample);
  EXPECT_EQ(send_all(w, milliseconds(130)), (std::vector<uint32_t>{2}));
  w.on_ack(3, {}, milliseconds(170));
  EXPECT_TRUE(w.complete());
}

TEST(UdpTransferSenderWindow, ReceiverWindowLimitsNewData) {
  SenderWindow w(10, 4);
  EXPECT_EQ(w.cwnd(), 4);  // initial cwnd 10 capped by the grant
  EXPECT_EQ(send_all(w, milliseconds(0)), (std::vector<uint32_t>{0, 1, 2, 3}));
  // SACK of 1-2 frees no window space: cum is still 0. Only two later transmissions were
  // acked, fewer than the reordering threshold of 3, so chunk 0 is not presumed lost.
  AckOutcome o = w.on_ack(0, std::vector<SackRange>{{1, 3}}, milliseconds(10));
  EXPECT_EQ(o.newly_acked, 2u);
  EXPECT_EQ(o.newly_lost, 0u);
  EXPECT_EQ(w.in_flight(), 2u);
  EXPECT_EQ(send_all(w, milliseconds(10)), std::vector<uint32_t>{});
  o = w.on_ack(4, {}, milliseconds(12));
  EXPECT_EQ(o.newly_acked, 2u);
  EXPECT_EQ(send_all(w, milliseconds(12)), (std::vector<uint32_t>{4, 5, 6, 7}));
}

TEST(UdpTransferSenderWindow, ThreeLaterAcksMarkALoss) {
  SenderWindow w(10, 4);
  send_all(w, milliseconds(0));  // 0-3
  const AckOutcome o = w.on_ack(0, std::vector<SackRange>{{1, 4}}, milliseconds(10));
  EXPECT_EQ(o.newly_acked, 3u);
  EXPECT_EQ(o.newly_lost, 1u);  // chunk 3 (transmission 4) acked: chunk 0 (transmission 1) lost
  EXPECT_EQ(w.cwnd(), 2);
  std::vector<uint32_t> tx;
  EXPECT_EQ(send_all(w, milliseconds(10), &tx), (std::vector<uint32_t>{0}));  // window full after
  EXPECT_EQ(tx, (std::vector<uint32_t>{2}));
}

TEST(UdpTransferSenderWindow, SackLossDetectionRetransmitsOnlyTheHole) {
  SenderWindow w(20, 16);
  EXPECT_EQ(w.cwnd(), 10);
  EXPECT_EQ(send_all(w, milliseconds(0)).size(), 10u);  // chunks 0-9, transmissions 1-10
  // Chunk 0 missing, 1-4 SACKed: chunk 4 (transmission 5) was sent 4 after chunk 0 -> lost.
  AckOutcome o = w.on_ack(0, std::vector<SackRange>{{1, 5}}, milliseconds(50));
  EXPECT_EQ(o.newly_acked, 4u);
  EXPECT_EQ(o.newly_lost, 1u);
  EXPECT_TRUE(o.window_reduced);
  EXPECT_EQ(w.cwnd(), 5);  // halved
  EXPECT_EQ(w.ssthresh(), 5);
  EXPECT_EQ(w.in_flight(), 5u);  // 5-9
  EXPECT_EQ(w.lost(), 1u);
  EXPECT_FALSE(w.next_send(milliseconds(50)));  // pipe full
  // 5 and 6 arrive: two slots free, the hole goes first, then new data.
  o = w.on_ack(0, std::vector<SackRange>{{1, 7}}, milliseconds(55));
  EXPECT_EQ(o.newly_acked, 2u);
  EXPECT_EQ(o.newly_lost, 0u);
  EXPECT_FALSE(o.window_reduced);  // one cut per flight
  std::vector<uint32_t> tx;
  EXPECT_EQ(send_all(w, milliseconds(55), &tx), (std::vector<uint32_t>{0, 10}));
  EXPECT_EQ(tx, (std::vector<uint32_t>{2, 1}));
  // Everything up to 10 arrives. The RTT sample comes from chunk 10 (sent once at 55ms),
  // never from the retransmitted chunk 0.
  o = w.on_ack(11, {}, milliseconds(75));
  EXPECT_EQ(o.newly_acked, 5u);  // 0, 7, 8, 9, 10
  ASSERT_TRUE(o.rtt_sample);
  EXPECT_EQ(*o.rtt_sample, milliseconds(20));
  EXPECT_EQ(w.cumulative(), 11u);
  EXPECT_EQ(w.retransmissions(), 1u);
  // Recovery is over (cum passed the point of the cut): congestion avoidance, +5/5 chunk.
  EXPECT_DOUBLE_EQ(w.cwnd(), 6.0);
}

TEST(UdpTransferSenderWindow, LostRetransmissionIsDetectedBySendOrder) {
  SenderWindow w(30, 30);
  send_all(w, milliseconds(0));                                    // 0-9, orders 1-10
  w.on_ack(0, std::vector<SackRange>{{1, 10}}, milliseconds(10));  // 0 lost, cwnd 5
  std::vector<uint32_t> tx;
  EXPECT_EQ(send_all(w, milliseconds(10), &tx), (std::vector<uint32_t>{0, 10, 11, 12, 13}));
  EXPECT_EQ(tx, (std::vector<uint32_t>{2, 1, 1, 1, 1}));  // orders 11-15
  // The retransmission of 0 (order 11) is lost too: 10-13 (orders 12-15) arrive.
  AckOutcome o = w.on_ack(0, std::vector<SackRange>{{1, 14}}, milliseconds(20));
  EXPECT_EQ(o.newly_lost, 1u);
  tx.clear();
  const auto again = send_all(w, milliseconds(20), &tx);
  ASSERT_FALSE(again.empty());
  EXPECT_EQ(again[0], 0u);
  EXPECT_EQ(tx[0], 3u);  // third transmission
}

// Issue 12: the first ACK after a retransmitted hole also acknowledges chunks the receiver
// held behind the hole (sent once, long ago, never SACKed). Their age is not a round trip:
// taking it as one sent RTO to ~9 s. Only the newest transmission an ACK covers may give a
// sample, and only if it was a first transmission (Karn).
TEST(UdpTransferSenderWindow, NoRttSampleFromChunksHeldBehindARetransmittedHole) {
  SenderWindow w(20, 20);
  send_all(w, milliseconds(0));  // 0-9, orders 1-10
  // Only chunk 9 reported (the receiver's ACKs for 1-8 were lost): orders 1-7 presumed lost.
  AckOutcome o = w.on_ack(0, std::vector<SackRange>{{9, 10}}, milliseconds(10));
  ASSERT_TRUE(o.rtt_sample);
  EXPECT_EQ(*o.rtt_sample, milliseconds(10));
  EXPECT_EQ(o.newly_lost, 7u);
  std::vector<uint32_t> tx;
  EXPECT_EQ(send_all(w, milliseconds(10), &tx), (std::vector<uint32_t>{0, 1, 2}));  // cwnd 5
  EXPECT_EQ(tx, (std::vector<uint32_t>{2, 2, 2}));
  // 1-8 had arrived the first time; the retransmitted 0 fills the hole and cum jumps to 10.
  // Chunks 3-8 were sent once, at 0 ms: a "sample" of 1000 ms would be their wait, not RTT.
  o = w.on_ack(10, {}, milliseconds(1000));
  EXPECT_EQ(o.newly_acked, 9u);
  EXPECT_FALSE(o.rtt_sample);
  // New data sent after the retransmissions gives a genuine sample again.
  EXPECT_EQ(send_all(w, milliseconds(1000)).front(), 10u);
  o = w.on_ack(11, {}, milliseconds(1004));
  ASSERT_TRUE(o.rtt_sample);
  EXPECT_EQ(*o.rtt_sample, milliseconds(4));
}

TEST(UdpTransferSenderWindow, TimeoutMarksOutstandingLostAndRestartsSlowStart) {
  SenderWindow w(100, 64);
  send_all(w, milliseconds(0));  // 10 chunks
  w.on_ack(0, std::vector<SackRange>{{2, 3}}, milliseconds(5));
  w.on_timeout();
  EXPECT_EQ(w.cwnd(), 1);
  EXPECT_EQ(w.ssthresh(), 5.5);  // half of 11 (slow start grew it by the SACKed chunk)
  EXPECT_EQ(w.in_flight(), 0u);
  EXPECT_EQ(w.lost(), 9u);  // all but the SACKed chunk 2
  std::vector<uint32_t> tx;
  EXPECT_EQ(send_all(w, milliseconds(300), &tx), (std::vector<uint32_t>{0}));
  EXPECT_EQ(tx, (std::vector<uint32_t>{2}));
  // Slow start: each acked chunk adds one to cwnd. Ack of 0 (retransmitted): 1 -> 2.
  w.on_ack(1, {}, milliseconds(310));
  EXPECT_EQ(w.cwnd(), 2);
  EXPECT_EQ(send_all(w, milliseconds(310)), (std::vector<uint32_t>{1, 3}));  // 2 is SACKed
}

TEST(UdpTransferSenderWindow, StaleAndInvalidAcks) {
  SenderWindow w(10, 10);
  send_all(w, milliseconds(0));
  EXPECT_EQ(w.on_ack(5, {}, milliseconds(1)).newly_acked, 5u);
  const AckOutcome stale = w.on_ack(3, {}, milliseconds(2));  // reordered older ACK
  EXPECT_EQ(stale.newly_acked, 0u);
  EXPECT_EQ(w.cumulative(), 5u);
  EXPECT_TRUE(w.on_ack(11, {}, milliseconds(3)).invalid);  // beyond anything sent
  EXPECT_EQ(w.cumulative(), 5u);
  // SACK ranges beyond next_new are clamped, not trusted.
  EXPECT_EQ(w.on_ack(5, std::vector<SackRange>{{8, 1000}}, milliseconds(4)).newly_acked, 2u);
}

TEST(UdpTransferSenderWindow, TimeBasedLossNeedsOnlyOneLaterAck) {
  SenderWindow w(10, 2);
  EXPECT_EQ(w.next_send(milliseconds(0))->seq, 0u);
  EXPECT_EQ(w.next_send(milliseconds(1))->seq, 1u);
  // Chunk 1 acked at 5 ms; one later ack is below the count threshold, but chunk 0 was
  // sent before chunk 1 and has been out for 5 ms >= the 4 ms reordering window: lost.
  AckOutcome o = w.on_ack(0, std::vector<SackRange>{{1, 2}}, milliseconds(5), milliseconds(4));
  EXPECT_EQ(o.newly_lost, 1u);
  // Same situation within the reordering window: not yet.
  SenderWindow v(10, 2);
  v.next_send(milliseconds(0));
  v.next_send(milliseconds(1));
  o = v.on_ack(0, std::vector<SackRange>{{1, 2}}, milliseconds(3), milliseconds(4));
  EXPECT_EQ(o.newly_lost, 0u);
  // Sent in the same instant as the acked chunk: not "before" it, never lost by time.
  SenderWindow u(10, 2);
  send_all(u, milliseconds(0));
  o = u.on_ack(0, std::vector<SackRange>{{1, 2}}, milliseconds(9), milliseconds(4));
  EXPECT_EQ(o.newly_lost, 0u);
}

TEST(UdpTransferSenderWindow, TailLossProbeResendsHighestOutstanding) {
  SenderWindow w(3, 8);
  EXPECT_EQ(send_all(w, milliseconds(0)), (std::vector<uint32_t>{0, 1, 2}));
  w.on_ack(0, std::vector<SackRange>{{2, 3}}, milliseconds(1));  // 2 SACKed
  auto p = w.probe(milliseconds(10));
  ASSERT_TRUE(p);
  EXPECT_EQ(p->seq, 1u);  // highest not yet acknowledged
  EXPECT_EQ(p->transmission, 2u);
  EXPECT_EQ(w.retransmissions(), 1u);
  EXPECT_EQ(w.in_flight(), 2u);  // a probe of an in-flight chunk adds nothing to the pipe
  w.on_ack(3, {}, milliseconds(12));
  EXPECT_TRUE(w.complete());
  EXPECT_FALSE(w.probe(milliseconds(20)));
}

TEST(UdpTransferReceiveWindow, OutOfOrderBufferingAndDelivery) {
  ReceiveWindow r(10, 4);
  EXPECT_EQ(r.on_data(0), DataOutcome::New);
  EXPECT_EQ(r.pop_in_order(), std::optional<uint32_t>(0));
  EXPECT_EQ(r.pop_in_order(), std::nullopt);
  EXPECT_EQ(r.on_data(2), DataOutcome::New);
  EXPECT_EQ(r.on_data(3), DataOutcome::New);
  EXPECT_EQ(r.on_data(5), DataOutcome::BeyondWindow);  // cum 1 + window 4
  EXPECT_EQ(r.on_data(2), DataOutcome::Duplicate);
  EXPECT_EQ(r.on_data(0), DataOutcome::Duplicate);
  EXPECT_EQ(r.on_data(10), DataOutcome::BeyondEnd);
  EXPECT_EQ(r.pop_in_order(), std::nullopt);  // 1 still missing
  Ack a = r.make_ack(7);
  EXPECT_EQ(a.transfer_id, 7u);
  EXPECT_EQ(a.cumulative, 1u);
  ASSERT_EQ(a.sack().size(), 1u);
  EXPECT_EQ(a.sack()[0], (SackRange{2, 4}));
  EXPECT_EQ(r.slot(2), 2u);
  EXPECT_EQ(r.slot(5), 1u);

  EXPECT_EQ(r.on_data(1), DataOutcome::New);
  std::vector<uint32_t> delivered;
  while (auto s = r.pop_in_order())
    delivered.push_back(*s);
  EXPECT_EQ(delivered, (std::vector<uint32_t>{1, 2, 3}));
  EXPECT_EQ(r.cumulative(), 4u);
  EXPECT_EQ(r.make_ack(7).range_count, 0);
  EXPECT_EQ(r.on_data(5), DataOutcome::New);  // now inside the window
}

TEST(UdpTransferReceiveWindow, SackRangesLowestFirstAndBounded) {
  ReceiveWindow r(100, 32);
  for (uint32_t s : {3u, 5u, 6u, 9u, 20u, 21u, 22u})
    EXPECT_EQ(r.on_data(s), DataOutcome::New);
  std::array<SackRange, 8> out;
  ASSERT_EQ(r.sack_ranges(out), 4u);
  EXPECT_EQ(out[0], (SackRange{3, 4}));
  EXPECT_EQ(out[1], (SackRange{5, 7}));
  EXPECT_EQ(out[2], (SackRange{9, 10}));
  EXPECT_EQ(out[3], (SackRange{20, 23}));
  std::array<SackRange, 2> two;
  EXPECT_EQ(r.sack_ranges(two), 2u);
  EXPECT_EQ(two[1], (SackRange{5, 7}));
}

TEST(UdpTransferReceiveWindow, CompleteAndEmpty) {
  ReceiveWindow empty(0, 1);
  EXPECT_TRUE(empty.complete());
  EXPECT_EQ(empty.on_data(0), DataOutcome::BeyondEnd);
  ReceiveWindow one(1, 1);
  EXPECT_EQ(one.on_data(0), DataOutcome::New);
  EXPECT_EQ(one.pop_in_order(), std::optional<uint32_t>(0));
  EXPECT_TRUE(one.complete());
}

}  // namespace
}  // namespace tcpinspect::traffic::udp
