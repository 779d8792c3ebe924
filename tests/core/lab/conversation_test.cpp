// SPDX-License-Identifier: MIT
// converse's pure part (core/lab/conversation.hpp): the script and our end's TCB, with the
// exact numbers of each segment and of the answer RFC 9293 / RFC 5961 predicts.
#include "core/lab/conversation.hpp"

#include <gtest/gtest.h>

#include "core/lab/port_list.hpp"
#include "core/wire/tcp_flag.hpp"

namespace tcpinspect::core {
namespace {

using namespace std::chrono_literals;

TEST(ConversationStep, ParsesEachKind) {
  const ConversationStep d = parse_step("data:GET / HTTP/1.0\\r\\n\\r\\n");
  EXPECT_EQ(d.kind, StepKind::Data);
  EXPECT_EQ(d.data, "GET / HTTP/1.0\r\n\r\n");
  EXPECT_EQ(d.text, "data:GET / HTTP/1.0\\r\\n\\r\\n");
  EXPECT_EQ(parse_step("data:a:b").data, "a:b");
  EXPECT_EQ(parse_step("oow").kind, StepKind::OutOfWindow);
  EXPECT_EQ(parse_step("oow").data, "x");
  EXPECT_EQ(parse_step("oow:zz").data, "zz");
  EXPECT_EQ(parse_step("rst").kind, StepKind::Rst);
  EXPECT_EQ(parse_step("rst").offset, 0);
  EXPECT_EQ(parse_step("rst:1000").offset, 1000);
  EXPECT_EQ(parse_step("rst:-1").offset, -1);
  EXPECT_EQ(parse_step("fin").kind, StepKind::Fin);
  EXPECT_EQ(parse_step("wait:250ms").wait, 250ms);
  const auto script = default_script();
  ASSERT_EQ(script.size(), 2u);
  EXPECT_EQ(script[0].data, "hello\n");
  EXPECT_EQ(script[1].kind, StepKind::Fin);
}

TEST(ConversationStep, RefusesWhatItCannotRead) {
  for (const char* bad : {"", "hello", "data", "data:", "oow:", "rst:x", "rst:1k", "fin:1", "wait",
                          "wait:soon", "rst:99999999999"}) {
    EXPECT_THROW(parse_step(bad), ParseError) << bad;
  }
  try {
    parse_step("push:1");
  } catch (const ParseError& e) {
    EXPECT_STREQ(e.what(),
                 "step 'push:1': not one of data:TEXT, oow[:TEXT], rst[:OFFSET], fin, "
                 "wait:DURATION");
  }
}

// The whole conversation against a peer whose ISS is 5000, window 1000; ours is 1000.
TEST(UserTcb, HandshakeDataEchoOutOfWindowAndClose) {
  UserTcb t(1000);
  const PlannedSegment syn = t.syn();
  EXPECT_EQ(syn.sent.flags, kSyn);
  EXPECT_EQ(syn.sent.seq, 1000u);
  const Expectation e_syn = t.expect(syn);
  EXPECT_EQ(e_syn.reply, ReplyKind::SynAck);
  EXPECT_EQ(e_syn.ack, 1001u);  // x+1
  t.sent(syn);
  EXPECT_EQ(t.snd_nxt(), 1001u);
  EXPECT_FALSE(t.synchronized());

  PeerSegmentEffect fx = t.receive(kSyn | kAck, 5000, 1001, 0, 1000);
  EXPECT_TRUE(fx.needs_ack);
  EXPECT_TRUE(t.synchronized());
  EXPECT_EQ(t.irs(), 5000u);
  EXPECT_EQ(t.rcv_nxt(), 5001u);  // y+1
  const PlannedSegment ack = t.ack();
  EXPECT_EQ(ack.sent.flags, kAck);
  EXPECT_EQ(ack.sent.seq, 1001u);
  EXPECT_EQ(ack.sent.ack, 5001u);

  const PlannedSegment data = t.segment_for(parse_step("data:hello"));
  EXPECT_EQ(data.sent.flags, kPsh | kAck);
  EXPECT_EQ(data.sent.seq, 1001u);
  EXPECT_EQ(data.sent.ack, 5001u);
  EXPECT_EQ(data.sent.payload_len, 5u);
  EXPECT_EQ(data.payload, "hello");
  const Expectation e_data = t.expect(data);
  EXPECT_EQ(e_data.reply, ReplyKind::Ack);
  EXPECT_EQ(e_data.ack, 1006u);
  t.sent(data);
  EXPECT_EQ(t.snd_nxt(), 1006u);

  fx = t.receive(kPsh | kAck, 5001, 1006, 5, 1000);  // the echo
  EXPECT_TRUE(fx.needs_ack);
  EXPECT_EQ(t.rcv_nxt(), 5006u);

  const PlannedSegment oow = t.segment_for(parse_step("oow"));
  EXPECT_EQ(oow.sent.seq, 1006u + 1000u + 1000u);  // SND.NXT + peer's window + 1000
  const Expectation e_oow = t.expect(oow);
  EXPECT_EQ(e_oow.reply, ReplyKind::Ack);
  EXPECT_EQ(e_oow.ack, 1006u);  // a duplicate ACK with RCV.NXT
  t.sent(oow);
  EXPECT_EQ(t.snd_nxt(), 1006u);  // not in the window: nothing advanced

  const PlannedSegment rst = t.segment_for(parse_step("rst:100"));
  EXPECT_EQ(rst.sent.flags, kRst);
  EXPECT_EQ(rst.sent.seq, 1106u);
  const Expectation e_rst = t.expect(rst);
  EXPECT_EQ(e_rst.reply, ReplyKind::Ack);  // a challenge ACK
  EXPECT_EQ(e_rst.ack, 1006u);
  t.sent(rst);
  EXPECT_FALSE(t.reset());

  const PlannedSegment fin = t.segment_for(parse_step("fin"));
  EXPECT_EQ(fin.sent.flags, kFin | kAck);
  EXPECT_EQ(fin.sent.seq, 1006u);
  EXPECT_EQ(fin.sent.ack, 5006u);
  EXPECT_EQ(t.expect(fin).ack, 1007u);  // the FIN takes one sequence number
  t.sent(fin);
  EXPECT_EQ(t.snd_nxt(), 1007u);
  EXPECT_FALSE(t.our_fin_acked());
  fx = t.receive(kAck, 5006, 1007, 0, 1000);
  EXPECT_FALSE(fx.needs_ack);
  EXPECT_TRUE(t.our_fin_acked());
  fx = t.receive(kFin | kAck, 5006, 1007, 0, 1000);
  EXPECT_TRUE(fx.needs_ack);
  EXPECT_TRUE(t.peer_fin_received());
  EXPECT_EQ(t.rcv_nxt(), 5007u);
  EXPECT_EQ(t.ack().sent.ack, 5007u);
}

TEST(UserTcb, ARstAtRcvNxtEndsIt) {
  UserTcb t(0xFFFFFFFFu);  // SND.NXT wraps to 0 after the SYN
  t.sent(t.syn());
  EXPECT_EQ(t.snd_nxt(), 0u);
  t.receive(kSyn | kAck, 7, 0, 0, 500);
  const PlannedSegment rst = t.segment_for(parse_step("rst"));
  EXPECT_EQ(rst.sent.seq, 0u);
  EXPECT_TRUE(t.expect(rst).resets_connection);
  t.sent(rst);
  EXPECT_TRUE(t.reset());
}

TEST(UserTcb, ASynAckForAnotherSynIsRefused) {
  UserTcb t(1000);
  t.sent(t.syn());
  const PeerSegmentEffect fx = t.receive(kSyn | kAck, 5000, 4242, 0, 1000);
  EXPECT_TRUE(fx.bad_synack);
  EXPECT_FALSE(t.synchronized());
}

TEST(UserTcb, ThePeersResetCountsOnlyAtRcvNxt) {
  UserTcb t(1000);
  t.sent(t.syn());
  t.receive(kSyn | kAck, 5000, 1001, 0, 1000);
  EXPECT_FALSE(t.receive(kRst, 6000, 0, 0, 0).reset);  // blind, out of place
  EXPECT_FALSE(t.reset());
  EXPECT_TRUE(t.receive(kRst | kAck, 5001, 1001, 0, 0).reset);
  EXPECT_TRUE(t.reset());
}

TEST(UserTcb, ARefusedSynIsAReset) {
  UserTcb t(1000);
  t.sent(t.syn());
  EXPECT_TRUE(t.receive(kRst | kAck, 0, 1001, 0, 0).reset);
}

TEST(UserTcb, OutOfOrderPeerDataDrawsADuplicateAck) {
  UserTcb t(1000);
  t.sent(t.syn());
  t.receive(kSyn | kAck, 5000, 1001, 0, 1000);
  const PeerSegmentEffect fx = t.receive(kAck, 5100, 1001, 10, 1000);
  EXPECT_TRUE(fx.needs_ack);
  EXPECT_EQ(t.rcv_nxt(), 5001u);
}

}  // namespace
}  // namespace tcpinspect::core
