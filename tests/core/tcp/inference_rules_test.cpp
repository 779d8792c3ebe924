// SPDX-License-Identifier: MIT
// The inference rules of issue 9 (README "How states are inferred"), one scenario each, at
// ISN pairs that wrap through 2^32: unacceptable SYN-ACKs, captures that begin with the
// SYN-ACK, retransmissions as evidence about the receiver, SYNs on open connections, RSTs
// answering a SYN-ACK, and which states stay unconfirmed.
#include <gtest/gtest.h>

#include <algorithm>

#include "scenario.hpp"

namespace {

using namespace scenario;
using tcpinspect::core::TcpState;
using enum tcpinspect::core::TcpState;

struct IsnPair {
  uint32_t x, y;
};

class Rule : public ::testing::TestWithParam<IsnPair> {
 protected:
  Recorder play(const std::vector<Seg>& segs, uint16_t server_port = kServerPort) {
    return run(segs, GetParam().x, GetParam().y, {}, server_port);
  }
};

const std::vector<Seg> kHandshake = {
    {C, kSyn, 0, 0, 0, 0},
    {S, kSyn | kAck, 0, 1, 0, 10},
    {C, kAck, 1, 1, 0, 11},
};

std::vector<Seg> with_handshake(std::vector<Seg> rest) {
  std::vector<Seg> all = kHandshake;
  all.insert(all.end(), rest.begin(), rest.end());
  return all;
}

void expect_states(const Recorder& r, const std::vector<TcpState>& client,
                   const std::vector<TcpState>& server) {
  ASSERT_EQ(r.segments.size(), client.size());
  for (size_t i = 0; i < client.size(); ++i) {
    EXPECT_EQ(state_name(r.segments[i].client_after), state_name(client[i])) << "segment " << i;
    EXPECT_EQ(state_name(r.segments[i].server_after), state_name(server[i])) << "segment " << i;
  }
}

std::vector<uint8_t> unconfirmed_of(const Recorder& r) {
  std::vector<uint8_t> u;
  for (const auto& s : r.segments)
    u.push_back(s.unconfirmed);
  return u;
}

// Rule 1: RFC 9293 3.10.7.3. A SYN-ACK acknowledging x+5000 establishes nothing; the
// client's RST carries that ack as its seq and the client stays SYN_SENT; its next SYN
// gets a proper handshake.
TEST_P(Rule, UnacceptableSynAckLeavesClientInSynSent) {
  auto r = play({
      {C, kSyn, 0, 0, 0, 0},
      {S, kSyn | kAck, 0, 5000, 0, 10},  // ack x+5000: not x+1
      {C, kRst, 5000, 0, 0, 11},         // <SEQ=SEG.ACK><CTL=RST>
      {C, kSyn, 0, 0, 0, 1000},          // the SYN again
      {S, kSyn | kAck, 0, 1, 0, 1010},
      {C, kAck, 1, 1, 0, 1011},
  });
  expect_states(r, {SynSent, SynSent, SynSent, SynSent, Established, Established},
                {SynRcvd, SynRcvd, Listen, SynRcvd, SynRcvd, Established});
  EXPECT_EQ(r.segments[1].checks.at(0), (std::pair<std::string, bool>{"synack_acks_syn", false}));
  EXPECT_TRUE(r.has_note(1, "synack_bad_ack"));
  EXPECT_FALSE(r.has_note(1, "connect_returns"));
  EXPECT_TRUE(r.has_note(2, "rst_answers_bad_synack"));
  EXPECT_FALSE(r.has_note(2, "econnreset"));
  EXPECT_EQ(r.segments[2].checks.at(0), (std::pair<std::string, bool>{"rst_acceptable", true}));
  EXPECT_TRUE(r.has_note(4, "connect_returns"));
  EXPECT_EQ(r.conn(1).client_path, states({"CLOSED", "SYN_SENT", "ESTABLISHED"}));
  EXPECT_EQ(r.conn(1).server_path,
            states({"LISTEN", "SYN_RCVD", "LISTEN", "SYN_RCVD", "ESTABLISHED"}));
  EXPECT_EQ(r.conn(1).close, "open");
}

TEST_P(Rule, UnacceptableSynAckAtTheEndIsNotAnOpenConnection) {
  auto r = play({
      {C, kSyn, 0, 0, 0, 0},
      {S, kSyn | kAck, 0, 77, 0, 10},
      {C, kRst, 77, 0, 0, 11},
  });
  EXPECT_EQ(state_name(r.segments[2].client_after), "SYN_SENT");
  EXPECT_EQ(r.conn(1).client_path, states({"CLOSED", "SYN_SENT"}));
  EXPECT_EQ(r.conn(1).close, "no_answer");  // connect() has not returned
}

// Fast Open (RFC 7413): a SYN with 20 bytes; the SYN-ACK may ack x+1+20 (data accepted) or
// x+1 (data ignored). Both are acceptable.
TEST_P(Rule, FastOpenSynAckAcceptableEitherWay) {
  for (uint32_t acked : {21u, 1u}) {
    auto r = play({
        {C, kSyn, 0, 0, 20, 0},
        {S, kSyn | kAck, 0, acked, 0, 10},
        {C, kAck, 21, 1, 0, 11},
    });
    EXPECT_EQ(r.segments[1].checks.at(0), (std::pair<std::string, bool>{"synack_acks_syn", true}))
        << acked;
    EXPECT_EQ(state_name(r.segments[1].client_after), "ESTABLISHED") << acked;
    EXPECT_FALSE(r.has_note(1, "synack_bad_ack")) << acked;
  }
}

// Rule 2: the capture begins with the SYN-ACK. Its sender is the server whatever the ports
// say (port 80 makes Zeek flip, 45000 does not); the client becomes ESTABLISHED when it
// acknowledges the SYN-ACK.
TEST_P(Rule, CaptureBeginningWithSynAck) {
  for (uint16_t port : {uint16_t{80}, uint16_t{45000}}) {
    auto r = play(
        {
            {S, kSyn | kAck, 0, 1, 0, 0},
            {C, kAck, 1, 1, 0, 1},
            {C, kPsh | kAck, 1, 1, 10, 2},
            {S, kAck, 1, 11, 0, 3},
        },
        port);
    expect_states(r, {SynSent, Established, Established, Established},
                  {SynRcvd, Established, Established, Established});
    EXPECT_TRUE(r.has_note(1, "connect_returns")) << port;
    EXPECT_TRUE(r.has_note(1, "accept_returns")) << port;
    EXPECT_EQ(r.conn(1).client, "192.0.2.10:40000") << port;
    EXPECT_EQ(r.conn(1).server, "198.51.100.20:" + std::to_string(port));
    EXPECT_EQ(r.conn(1).client_path, states({"SYN_SENT", "ESTABLISHED"})) << port;
    EXPECT_EQ(r.conn(1).server_path, states({"LISTEN", "SYN_RCVD", "ESTABLISHED"})) << port;
    EXPECT_EQ(r.segments[0].dir, Direction::ServerToClient);
  }
}

// Rule 4: a SYN sent again with no SYN-ACK in between: the listener never took the first,
// so the first SYN's record shows it still LISTEN (corrected before it was handed on).
TEST_P(Rule, SynSentAgainMeansTheListenerNeverTookIt) {
  auto r = play({
      {C, kSyn, 0, 0, 0, 0},
      {C, kSyn, 0, 0, 0, 1000},
      {S, kSyn | kAck, 0, 1, 0, 1010},
      {C, kAck, 1, 1, 0, 1011},
  });
  expect_states(r, {SynSent, SynSent, Established, Established},
                {Listen, SynRcvd, SynRcvd, Established});
  EXPECT_TRUE(r.segments[0].revised);
  EXPECT_EQ(r.conn(1).server_path, states({"LISTEN", "SYN_RCVD", "ESTABLISHED"}));
}

// Rule 4: the SYN-ACK again after the handshake's ACK: that ACK never arrived, the server
// was still SYN_RCVD until the ACK came again.
TEST_P(Rule, SynAckAgainMeansTheHandshakeAckWasLost) {
  auto r = play(with_handshake({
      {S, kSyn | kAck, 0, 1, 0, 1000},
      {C, kAck, 1, 1, 0, 1001},
      {S, kPsh | kAck, 1, 1, 5, 1002},
  }));
  expect_states(r, {SynSent, Established, Established, Established, Established, Established},
                {SynRcvd, SynRcvd, SynRcvd, SynRcvd, Established, Established});
  EXPECT_TRUE(r.segments[2].revised);
  EXPECT_FALSE(r.has_note(2, "accept_returns"));
  EXPECT_EQ(r.conn(1).server_path, states({"LISTEN", "SYN_RCVD", "ESTABLISHED"}));
}

// Rule 4, FIN: the FIN again after the peer acknowledged it: that ACK never arrived, the
// client stayed FIN_WAIT_1 until the next one.
TEST_P(Rule, FinAgainAfterItsAckMeansTheAckWasLost) {
  auto r = play(with_handshake({
      {C, kFin | kAck, 1, 1, 0, 20},
      {S, kAck, 1, 2, 0, 21},
      {C, kFin | kAck, 1, 1, 0, 300},
      {S, kAck, 1, 2, 0, 301},
  }));
  expect_states(r, {SynSent, Established, Established, FinWait1, FinWait1, FinWait1, FinWait2},
                {SynRcvd, SynRcvd, Established, CloseWait, CloseWait, CloseWait, CloseWait});
  EXPECT_TRUE(r.segments[4].revised);
  EXPECT_EQ(r.conn(1).client_path,
            states({"CLOSED", "SYN_SENT", "ESTABLISHED", "FIN_WAIT_1", "FIN_WAIT_2"}));
}

// Rule 4, FIN: the FIN again with no ACK of it in between: the first never arrived.
TEST_P(Rule, FinAgainWithoutAckMeansTheFinWasLost) {
  auto r = play(with_handshake({
      {C, kFin | kAck, 1, 1, 0, 20},
      {C, kFin | kAck, 1, 1, 0, 300},
      {S, kAck, 1, 2, 0, 301},
  }));
  expect_states(r, {SynSent, Established, Established, FinWait1, FinWait1, FinWait2},
                {SynRcvd, SynRcvd, Established, Established, CloseWait, CloseWait});
  EXPECT_TRUE(r.segments[3].revised);
  EXPECT_FALSE(r.has_note(3, "read_returns_0"));  // the note stays with the record; the
  EXPECT_TRUE(r.has_note(4, "read_returns_0"));   // path is what moved
  EXPECT_EQ(r.conn(1).server_path, states({"LISTEN", "SYN_RCVD", "ESTABLISHED", "CLOSE_WAIT"}));
}

// Rule 5: RFC 5961 4. A SYN with a new sequence number on an established connection is not
// a retransmission and does not move the ISN; the server's answer is a challenge ACK.
TEST_P(Rule, SynInSynchronizedStateDrawsChallengeAck) {
  auto r = play(with_handshake({
      {C, kSyn, 777777, 0, 0, 20},
      {S, kAck, 1, 1, 0, 21},
      {C, kPsh | kAck, 1, 1, 10, 30},
  }));
  expect_states(r, {SynSent, Established, Established, Established, Established, Established},
                {SynRcvd, SynRcvd, Established, Established, Established, Established});
  EXPECT_TRUE(r.has_note(3, "syn_in_synchronized"));
  EXPECT_FALSE(r.has_note(3, "syn_retransmission"));
  EXPECT_FALSE(r.has_note(3, "retransmission"));
  EXPECT_TRUE(r.segments[3].checks.empty());
  EXPECT_TRUE(r.has_note(4, "challenge_ack"));
  EXPECT_EQ(r.conn(1).client_isn, GetParam().x);
  // The data after it is still numbered from the original ISN.
  EXPECT_EQ(r.segments[5].seq_off, 1);
  EXPECT_EQ(r.segments[5].rel_seq, 1u);
  for (const auto& c : r.segments[5].checks)
    EXPECT_TRUE(c.second) << c.first;
}

// Rule 6: RFC 9293 3.10.7.4. An RST answering the SYN-ACK (a half-open scan): the
// listener goes back to LISTEN and nobody sees ECONNRESET.
TEST_P(Rule, RstAnsweringSynAckReturnsListenerToListen) {
  auto r = play({
      {C, kSyn, 0, 0, 0, 0},
      {S, kSyn | kAck, 0, 1, 0, 10},
      {C, kRst, 1, 0, 0, 11},
  });
  expect_states(r, {SynSent, Established, Closed}, {SynRcvd, SynRcvd, Listen});
  EXPECT_TRUE(r.has_note(2, "handshake_reset"));
  EXPECT_FALSE(r.has_note(2, "econnreset"));
  EXPECT_EQ(r.conn(1).server_path, states({"LISTEN", "SYN_RCVD", "LISTEN"}));
  EXPECT_EQ(r.conn(1).close, "handshake_reset");
}

// Rules 2 and 6 together: the capture begins with the SYN-ACK (the SYN was missed) and the
// client answers it with RST (a scan's SYN, sent by a tool rather than the kernel's
// socket). The SYN-ACK's sender is the listener, back in LISTEN; the close is a reset
// handshake like the one with its SYN on the capture.
TEST_P(Rule, RstAnsweringFirstCapturedSynAckReturnsListenerToListen) {
  auto r = play({
      {S, kSyn | kAck, 0, 1, 0, 10},
      {C, kRst, 1, 0, 0, 11},
  });
  expect_states(r, {SynSent, Closed}, {SynRcvd, Listen});
  EXPECT_TRUE(r.has_note(1, "handshake_reset"));
  EXPECT_FALSE(r.has_note(1, "econnreset"));
  EXPECT_EQ(r.conn(1).server_path, states({"LISTEN", "SYN_RCVD", "LISTEN"}));
  EXPECT_EQ(r.conn(1).close, "handshake_reset");
}

// Unconfirmed: in an ordinary conversation every state change is confirmed by a later
// segment of its receiver, except the last: nothing shows the server got the final ACK.
TEST_P(Rule, OnlyTheLastStepStaysUnconfirmed) {
  auto r = play(with_handshake({
      {C, kPsh | kAck, 1, 1, 100, 20},
      {S, kAck, 1, 101, 0, 30},
      {C, kFin | kAck, 101, 1, 0, 40},
      {S, kAck, 1, 102, 0, 50},
      {S, kFin | kAck, 1, 102, 0, 60},
      {C, kAck, 102, 2, 0, 70},
  }));
  // The client's FIN_WAIT_2 (frame 7) came from a pure ACK: no ack can show it arrived (the
  // server's FIN acknowledges the client's FIN just as well), so it stays unconfirmed; the
  // server's LAST_ACK -> CLOSED is the last step.
  EXPECT_EQ(unconfirmed_of(r), (std::vector<uint8_t>{0, 0, 0, 0, 0, 0, 1, 0, 2}));
  // Records stay in frame order although some waited.
  for (size_t i = 0; i < r.segments.size(); ++i)
    EXPECT_EQ(r.segments[i].frame, i + 1);
}

// Rule 4 after a crossing: the server's FIN crossed the client's, which was in fact lost
// (the client sends it again and the server never acknowledged it). The receipt applied
// after the server's own FIN is undone, and what followed it is derived again: the ACK of
// the server's FIN took it to FIN_WAIT_2 (not CLOSING -> TIME_WAIT), the FIN sent again to
// TIME_WAIT. The kernel's own states in the kernel suite's simultaneous_close.
TEST_P(Rule, CrossingFinThatWasLostIsUndoneWithWhatFollowed) {
  auto r = play(with_handshake({
      {C, kFin | kAck, 1, 1, 0, 20},   // lost after the capture point
      {S, kFin | kAck, 1, 1, 0, 21},   // ack y+1: the server has not seen the client's FIN
      {C, kAck, 2, 2, 0, 22},          // the ACK of the server's FIN
      {C, kFin | kAck, 1, 2, 0, 300},  // the client's FIN again
      {S, kAck, 2, 2, 0, 301},
  }));
  expect_states(
      r, {SynSent, Established, Established, FinWait1, Closing, Closing, Closing, TimeWait},
      {SynRcvd, SynRcvd, Established, Established, FinWait1, FinWait2, TimeWait, TimeWait});
  EXPECT_TRUE(r.segments[6].revised);
  EXPECT_EQ(r.conn(1).server_path,
            states({"LISTEN", "SYN_RCVD", "ESTABLISHED", "FIN_WAIT_1", "FIN_WAIT_2", "TIME_WAIT"}));
  EXPECT_EQ(r.conn(1).client_path,
            states({"CLOSED", "SYN_SENT", "ESTABLISHED", "FIN_WAIT_1", "CLOSING", "TIME_WAIT"}));
  // FIN_WAIT_2 and the client's TIME_WAIT came from pure ACKs; the rest is acknowledged.
  EXPECT_EQ(unconfirmed_of(r), (std::vector<uint8_t>{0, 0, 0, 0, 0, 2, 0, 1}));
}

// A crossing FIN that did arrive: the server acknowledges it, nothing is undone.
TEST_P(Rule, CrossingFinThatArrivedIsConfirmedByItsAck) {
  auto r = play(with_handshake({
      {C, kFin | kAck, 1, 1, 0, 20},
      {S, kFin | kAck, 1, 1, 0, 21},
      {C, kAck, 2, 2, 0, 22},
      {S, kAck, 2, 2, 0, 23},
  }));
  expect_states(r, {SynSent, Established, Established, FinWait1, Closing, Closing, TimeWait},
                {SynRcvd, SynRcvd, Established, Established, Closing, TimeWait, TimeWait});
  EXPECT_EQ(unconfirmed_of(r), (std::vector<uint8_t>{0, 0, 0, 0, 0, 2, 1}));
}

// An RST at RCV.NXT in the client's name, then data from the client: the client never sent
// that RST (it raced the real traffic), so it stays ESTABLISHED; the server took the RST and
// answers the data with an RST of its own. The kernel suite's injected_rst.
TEST_P(Rule, DataAfterItsRstShowsTheClientNeverSentIt) {
  auto r = play(with_handshake({
      {C, kPsh | kAck, 1, 1, 10, 20},
      {S, kAck, 1, 11, 0, 21},
      {C, kRst, 11, 0, 0, 30},
      {C, kPsh | kAck, 11, 1, 5, 40},
      {S, kRst, 1, 0, 0, 41},
  }));
  expect_states(r,
                {SynSent, Established, Established, Established, Established, Established,
                 Established, Closed},
                {SynRcvd, SynRcvd, Established, Established, Established, Closed, Closed, Closed});
  EXPECT_TRUE(r.has_note(6, "rst_suspected_forged"));
  EXPECT_FALSE(r.has_note(6, "segment_after_close"));
  EXPECT_EQ(r.conn(1).client_path, states({"CLOSED", "SYN_SENT", "ESTABLISHED", "CLOSED"}));
  EXPECT_EQ(r.conn(1).server_path, states({"LISTEN", "SYN_RCVD", "ESTABLISHED", "CLOSED"}));
}

// A handshake alone: the server's ESTABLISHED is unconfirmed (it sent nothing after the
// ACK); a SYN answered by RST: the client's CLOSED is (nothing after it).
TEST_P(Rule, UnansweredLastStepsAreUnconfirmed) {
  EXPECT_EQ(unconfirmed_of(play(kHandshake)), (std::vector<uint8_t>{0, 0, 2}));
  auto refused = play({{C, kSyn, 0, 0, 0, 0}, {S, kRst | kAck, 0, 1, 0, 1}});
  EXPECT_EQ(unconfirmed_of(refused), (std::vector<uint8_t>{0, 1}));
  // The client's SYN: the server never answered it, so it stays LISTEN, nothing to confirm.
  auto unanswered = play({{C, kSyn, 0, 0, 0, 0}});
  EXPECT_EQ(unconfirmed_of(unanswered), (std::vector<uint8_t>{0}));
  EXPECT_EQ(state_name(unanswered.segments[0].server_after), "LISTEN");
}

// Rule 7: the paths of the connection records are the paths of the segment records.
TEST_P(Rule, PathsAreTheSegmentRecordsPaths) {
  const std::vector<std::vector<Seg>> cases = {
      with_handshake({{S, kSyn | kAck, 0, 1, 0, 1000}, {C, kAck, 1, 1, 0, 1001}}),
      {{C, kSyn, 0, 0, 0, 0}, {C, kSyn, 0, 0, 0, 1000}, {S, kSyn | kAck, 0, 1, 0, 1010}},
      with_handshake({{C, kFin | kAck, 1, 1, 0, 20}, {C, kFin | kAck, 1, 1, 0, 300}}),
  };
  for (const auto& segs : cases) {
    auto r = play(segs);
    std::vector<std::string> client, server;
    auto push = [](std::vector<std::string>& p, TcpState s) {
      if (p.empty() || p.back() != state_name(s)) p.emplace_back(state_name(s));
    };
    for (const auto& s : r.segments) {
      push(client, s.client_before), push(client, s.client_after);
      push(server, s.server_before), push(server, s.server_after);
    }
    EXPECT_EQ(r.conn(1).client_path, client);
    EXPECT_EQ(r.conn(1).server_path, server);
  }
}

INSTANTIATE_TEST_SUITE_P(Isns, Rule,
                         ::testing::Values(IsnPair{1000, 5000}, IsnPair{0xFFFFFFF0, 0xFFFFFFFE},
                                           IsnPair{0xFFFFFFFF, 0x7FFFFFFF},
                                           IsnPair{0x7FFFFFC0, 0xFFFFFF9C}));

}  // namespace
