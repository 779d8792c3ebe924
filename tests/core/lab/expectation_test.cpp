// SPDX-License-Identifier: MIT
// The RFC 9293 3.10.7 reply table (RFC 5961 for synchronized connections) and the probe
// verdicts built on it.
#include <gtest/gtest.h>

#include <string>

#include "core/lab/probe_verdict.hpp"
#include "core/lab/tcp_expectation.hpp"
#include "core/wire/packet.hpp"

namespace tcpinspect::core {
namespace {

struct Row {
  const char* name;
  PeerState state;
  SentSegment sent;
  ReplyKind reply;
  bool check_seq;
  uint32_t seq;
  bool check_ack;
  uint32_t ack;
  const char* rfc;
};

constexpr uint16_t kXmas = kFin | kPsh | kUrg;

const Row kTable[] = {
    // Closed port (3.10.7.1)
    {"syn_closed",
     PeerState::Closed,
     {kSyn, 1000, 0, 0},
     ReplyKind::RstAck,
     true,
     0,
     true,
     1001,
     "RFC 9293 3.10.7.1"},
    {"syn_data_closed",
     PeerState::Closed,
     {kSyn, 1000, 0, 10},
     ReplyKind::RstAck,
     true,
     0,
     true,
     1011,
     "RFC 9293 3.10.7.1"},
    {"fin_closed",
     PeerState::Closed,
     {kFin, 5, 0, 0},
     ReplyKind::RstAck,
     true,
     0,
     true,
     6,
     "RFC 9293 3.10.7.1"},
    {"null_closed",
     PeerState::Closed,
     {0, 5, 0, 0},
     ReplyKind::RstAck,
     true,
     0,
     true,
     5,
     "RFC 9293 3.10.7.1"},
    {"xmas_closed",
     PeerState::Closed,
     {kXmas, 0xffffffff, 0, 0},
     ReplyKind::RstAck,
     true,
     0,
     true,
     0,
     "RFC 9293 3.10.7.1"},
    {"ack_closed",
     PeerState::Closed,
     {kAck, 1, 777, 0},
     ReplyKind::Rst,
     true,
     777,
     false,
     0,
     "RFC 9293 3.10.7.1"},
    {"data_closed",
     PeerState::Closed,
     {kPsh | kAck, 1, 9, 100},
     ReplyKind::Rst,
     true,
     9,
     false,
     0,
     "RFC 9293 3.10.7.1"},
    {"synack_closed",
     PeerState::Closed,
     {kSyn | kAck, 1, 42, 0},
     ReplyKind::Rst,
     true,
     42,
     false,
     0,
     "RFC 9293 3.10.7.1"},
    {"rst_closed",
     PeerState::Closed,
     {kRst, 1, 0, 0},
     ReplyKind::Nothing,
     false,
     0,
     false,
     0,
     "RFC 9293 3.10.7.1"},
    {"rstack_closed",
     PeerState::Closed,
     {kRst | kAck, 1, 1, 0},
     ReplyKind::Nothing,
     false,
     0,
     false,
     0,
     "RFC 9293 3.10.7.1"},
    // Listening port (3.10.7.2)
    {"syn_listen",
     PeerState::Listen,
     {kSyn, 1000, 0, 0},
     ReplyKind::SynAck,
     false,
     0,
     true,
     1001,
     "RFC 9293 3.10.7.2"},
    {"syn_wrap_listen",
     PeerState::Listen,
     {kSyn, 0xffffffff, 0, 0},
     ReplyKind::SynAck,
     false,
     0,
     true,
     0,
     "RFC 9293 3.10.7.2"},
    {"ack_listen",
     PeerState::Listen,
     {kAck, 1, 555, 0},
     ReplyKind::Rst,
     true,
     555,
     false,
     0,
     "RFC 9293 3.10.7.2"},
    {"fin_listen",
     PeerState::Listen,
     {kFin, 1, 0, 0},
     ReplyKind::Nothing,
     false,
     0,
     false,
     0,
     "RFC 9293 3.10.7.2"},
    {"null_listen",
     PeerState::Listen,
     {0, 1, 0, 0},
     ReplyKind::Nothing,
     false,
     0,
     false,
     0,
     "RFC 9293 3.10.7.2"},
    {"xmas_listen",
     PeerState::Listen,
     {kXmas, 1, 0, 0},
     ReplyKind::Nothing,
     false,
     0,
     false,
     0,
     "RFC 9293 3.10.7.2"},
    {"rst_listen",
     PeerState::Listen,
     {kRst, 1, 0, 0},
     ReplyKind::Nothing,
     false,
     0,
     false,
     0,
     "RFC 9293 3.10.7.2"},
};

TEST(Expectation, Rfc9293Table) {
  for (const Row& r : kTable) {
    const Expectation e = expect_reply(r.state, r.sent);
    EXPECT_EQ(e.reply, r.reply) << r.name;
    EXPECT_EQ(e.check_seq, r.check_seq) << r.name;
    if (r.check_seq) {
      EXPECT_EQ(e.seq, r.seq) << r.name;
    }
    EXPECT_EQ(e.check_ack, r.check_ack) << r.name;
    if (r.check_ack) {
      EXPECT_EQ(e.ack, r.ack) << r.name;
    }
    EXPECT_EQ(e.rfc, r.rfc) << r.name;
    EXPECT_FALSE(e.why.empty()) << r.name;
  }
}

TEST(Expectation, EstablishedRstRfc5961) {
  const ReceiverWindow w{5000, 64000};
  Expectation exact = expect_reply(PeerState::Established, {kRst, 5000, 0, 0}, w);
  EXPECT_EQ(exact.reply, ReplyKind::Nothing);
  EXPECT_TRUE(exact.resets_connection);
  Expectation off = expect_reply(PeerState::Established, {kRst, 6000, 0, 0}, w);
  EXPECT_EQ(off.reply, ReplyKind::Ack);
  EXPECT_FALSE(off.resets_connection);
  EXPECT_EQ(off.ack, 5000u);
  EXPECT_EQ(off.rfc, "RFC 5961 3.2");
  Expectation outside = expect_reply(PeerState::Established, {kRst, 5000 + 64000, 0, 0}, w);
  EXPECT_EQ(outside.reply, ReplyKind::Nothing);
  EXPECT_FALSE(outside.resets_connection);
  Expectation before = expect_reply(PeerState::Established, {kRst, 4999, 0, 0}, w);
  EXPECT_EQ(before.reply, ReplyKind::Nothing);
  EXPECT_FALSE(before.resets_connection);
  // Across the wrap.
  const ReceiverWindow wrap{0xfffffff0, 1000};
  EXPECT_EQ(expect_reply(PeerState::Established, {kRst, 0x10, 0, 0}, wrap).reply, ReplyKind::Ack);
  EXPECT_TRUE(
      expect_reply(PeerState::Established, {kRst, 0xfffffff0, 0, 0}, wrap).resets_connection);
  Expectation syn = expect_reply(PeerState::Established, {kSyn, 1, 0, 0}, w);
  EXPECT_EQ(syn.reply, ReplyKind::Ack);
  EXPECT_EQ(syn.rfc, "RFC 5961 4.2");
}

TEST(Expectation, ReplyMatching) {
  const Expectation rstack = expect_reply(PeerState::Closed, {kSyn, 1000, 0, 0});
  EXPECT_TRUE(reply_matches(rstack, kRst | kAck, 0, 1001));
  EXPECT_FALSE(reply_matches(rstack, kRst | kAck, 0, 1000));
  EXPECT_FALSE(reply_matches(rstack, kRst, 0, 1001));
  EXPECT_FALSE(reply_matches(rstack, kSyn | kAck, 0, 1001));
  const Expectation synack = expect_reply(PeerState::Listen, {kSyn, 1000, 0, 0});
  EXPECT_TRUE(reply_matches(synack, kSyn | kAck, 123456, 1001));
  EXPECT_FALSE(reply_matches(synack, kSyn | kAck | kRst, 123456, 1001));
  const Expectation rst = expect_reply(PeerState::Closed, {kAck, 1, 777, 0});
  EXPECT_TRUE(reply_matches(rst, kRst, 777, 0));
  EXPECT_FALSE(reply_matches(rst, kRst, 778, 0));
  const Expectation nothing = expect_reply(PeerState::Listen, {kFin, 1, 0, 0});
  EXPECT_FALSE(reply_matches(nothing, kRst | kAck, 0, 2));
}

TEST(Expectation, DescriptionsRelativeToTheSegmentSent) {
  const SentSegment syn{kSyn, 1000, 0, 0};
  EXPECT_EQ(describe_expectation(expect_reply(PeerState::Closed, syn), syn),
            "RST/ACK expected, seq=0 ack=your seq+1 (RFC 9293 3.10.7.1: closed port, ACK off: "
            "<SEQ=0><ACK=SEG.SEQ+SEG.LEN><CTL=RST,ACK>)");
  const SentSegment ack{kAck, 1000, 5555, 0};
  EXPECT_EQ(describe_expectation(expect_reply(PeerState::Closed, ack), ack),
            "RST expected, seq=your ack (RFC 9293 3.10.7.1: closed port, ACK on: "
            "<SEQ=SEG.ACK><CTL=RST>)");
  EXPECT_EQ(relative_to_sent(1001, syn), "your seq+1");
  EXPECT_EQ(relative_to_sent(1000, syn), "your seq");
  EXPECT_EQ(relative_to_sent(5556, ack), "your ack+1");
  EXPECT_EQ(relative_to_sent(0, syn), "0");
  EXPECT_EQ(relative_to_sent(0, SentSegment{kSyn, 0xffffffff, 0, 0}), "your seq+1");  // wrap
  EXPECT_EQ(relative_to_sent(5, SentSegment{kSyn, 0xfffffffe, 0, 4}), "your seq+7");
  EXPECT_EQ(relative_to_sent(3000000000u, syn), "3000000000");
}

// An unanswered ACK probe says something dropped it, not what kind of rule: a stateless
// "tcp dport 9 drop" is silent the same way as a stateful firewall.
TEST(ProbeVerdict, AckSilenceClaimsOnlyADrop) {
  const std::string why(verdict_reason(ProbeType::Ack, ProbeResponse::None));
  EXPECT_EQ(why,
            "no answer: the ACK or its RST was dropped on the way (by what, an ACK probe "
            "cannot tell)");
  EXPECT_EQ(why.find("stateful"), std::string::npos);
  EXPECT_EQ(std::string(verdict_reason(ProbeType::Ack, ProbeResponse::Rst)),
            "RST: the ACK reached the host (open and closed ports both answer RST)");
}

TEST(ProbeVerdict, TextbookReadings) {
  using R = ProbeResponse;
  using V = PortVerdict;
  EXPECT_EQ(probe_verdict(ProbeType::Syn, R::SynAck), V::Open);
  EXPECT_EQ(probe_verdict(ProbeType::Syn, R::Rst), V::Closed);
  EXPECT_EQ(probe_verdict(ProbeType::Syn, R::None), V::Filtered);
  EXPECT_EQ(probe_verdict(ProbeType::Syn, R::IcmpUnreachable), V::Filtered);
  for (ProbeType t : {ProbeType::Fin, ProbeType::Null, ProbeType::Xmas}) {
    EXPECT_EQ(probe_verdict(t, R::Rst), V::Closed);
    EXPECT_EQ(probe_verdict(t, R::None), V::OpenFiltered);
    EXPECT_EQ(probe_verdict(t, R::IcmpUnreachable), V::Filtered);
    EXPECT_EQ(probe_verdict(t, R::SynAck), V::Unexpected);
  }
  EXPECT_EQ(probe_verdict(ProbeType::Ack, R::Rst), V::Unfiltered);
  EXPECT_EQ(probe_verdict(ProbeType::Ack, R::None), V::Filtered);
  EXPECT_EQ(port_verdict_name(V::OpenFiltered), "open|filtered");
  EXPECT_EQ(probe_flags(ProbeType::Xmas), kFin | kPsh | kUrg);
  EXPECT_EQ(probe_flags(ProbeType::Null), 0);
  EXPECT_EQ(parse_probe_type("xmas"), ProbeType::Xmas);
  EXPECT_FALSE(parse_probe_type("XMAS"));
  // The probe flags agree with the RFC table: a closed port answers every probe but ACK
  // with RST/ACK, and a listening port drops FIN, NULL and Xmas.
  for (ProbeType t : {ProbeType::Fin, ProbeType::Null, ProbeType::Xmas}) {
    const SentSegment s{probe_flags(t), 1, 0, 0};
    EXPECT_EQ(expect_reply(PeerState::Closed, s).reply, ReplyKind::RstAck);
    EXPECT_EQ(expect_reply(PeerState::Listen, s).reply, ReplyKind::Nothing);
  }
}

}  // namespace
}  // namespace tcpinspect::core
