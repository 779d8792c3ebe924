// SPDX-License-Identifier: MIT
// Whole-conversation scenarios through the Inspector: exact per-segment states of both
// endpoints, state paths, notes, checks and numbers. Every scenario runs at several ISN
// pairs, including ones where the numbers wrap through 2^32 mid-conversation.
#include <gtest/gtest.h>

#include "scenario.hpp"

namespace {

using namespace scenario;
using tcpinspect::core::TcpState;
using enum tcpinspect::core::TcpState;

struct IsnPair {
  uint32_t x, y;
};

class Scenario : public ::testing::TestWithParam<IsnPair> {
 protected:
  Recorder play(const std::vector<Seg>& segs, InspectorConfig cfg = {}) {
    return run(segs, GetParam().x, GetParam().y, cfg);
  }
};

const std::vector<Seg> kHandshake = {
    {C, kSyn, 0, 0, 0, 0},          // SYN seq=x
    {S, kSyn | kAck, 0, 1, 0, 10},  // SYN-ACK seq=y ack=x+1
    {C, kAck, 1, 1, 0, 11},         // ACK seq=x+1 ack=y+1
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

TEST_P(Scenario, HandshakeArithmetic) {
  auto r = play(kHandshake);
  ASSERT_EQ(r.segments.size(), 3u);
  // SYN: seq=x. SYN-ACK: seq=y ack=x+1. ACK: seq=x+1 ack=y+1.
  EXPECT_EQ(r.segments[0].seq_off, 0);
  EXPECT_EQ(r.segments[1].seq_off, 0);
  EXPECT_EQ(r.segments[1].ack_off, 1);
  EXPECT_EQ(r.segments[2].seq_off, 1);
  EXPECT_EQ(r.segments[2].ack_off, 1);
  EXPECT_EQ(r.segments[1].checks.at(0), (std::pair<std::string, bool>{"synack_acks_syn", true}));
  EXPECT_EQ(r.segments[2].checks.at(0), (std::pair<std::string, bool>{"handshake_ack", true}));
  EXPECT_TRUE(r.has_note(1, "connect_returns"));
  EXPECT_TRUE(r.has_note(2, "accept_returns"));
  EXPECT_EQ(r.segments[2].rel_seq, 1u);
  EXPECT_EQ(r.segments[2].rel_ack, 1u);
  EXPECT_EQ(r.conn(1).client_isn, GetParam().x);
  EXPECT_EQ(r.conn(1).server_isn, GetParam().y);
  EXPECT_EQ(r.conn(1).close, "open");
  EXPECT_EQ(r.conn(1).conn_state, "S1");
}

TEST_P(Scenario, ClientClosesFirst) {
  auto r = play(with_handshake({
      {C, kPsh | kAck, 1, 1, 100, 20},  // 100 bytes: x+1 .. x+100
      {S, kAck, 1, 101, 0, 30},
      {C, kFin | kAck, 101, 1, 0, 40},  // FIN at x+101
      {S, kAck, 1, 102, 0, 50},         // acks x+102: the FIN consumed one
      {S, kFin | kAck, 1, 102, 0, 60},
      {C, kAck, 102, 2, 0, 70},
  }));
  expect_states(r,
                {SynSent, Established, Established, Established, Established, FinWait1, FinWait2,
                 TimeWait, TimeWait},
                {SynRcvd, SynRcvd, Established, Established, Established, CloseWait, CloseWait,
                 LastAck, Closed});
  EXPECT_EQ(r.conn(1).client_path,
            states({"CLOSED", "SYN_SENT", "ESTABLISHED", "FIN_WAIT_1", "FIN_WAIT_2", "TIME_WAIT"}));
  EXPECT_EQ(r.conn(1).server_path,
            states({"LISTEN", "SYN_RCVD", "ESTABLISHED", "CLOSE_WAIT", "LAST_ACK", "CLOSED"}));
  EXPECT_TRUE(r.has_note(5, "read_returns_0"));
  EXPECT_TRUE(r.has_note(7, "read_returns_0"));
  EXPECT_EQ(r.segments[6].checks.at(0), (std::pair<std::string, bool>{"fin_acked", true}));
  EXPECT_EQ(r.segments[5].seq_off, 101);
  EXPECT_EQ(r.segments[6].ack_off, 102);
  EXPECT_EQ(r.segments[5].rel_seq, 101u);
  EXPECT_EQ(r.conn(1).close, "graceful");
  EXPECT_EQ(r.conn(1).conn_state, "SF");
}

TEST_P(Scenario, ServerClosesFirst) {
  auto r = play(with_handshake({
      {S, kFin | kAck, 1, 1, 0, 20},
      {C, kAck, 1, 2, 0, 30},
      {C, kFin | kAck, 1, 2, 0, 40},
      {S, kAck, 2, 2, 0, 50},
  }));
  EXPECT_EQ(r.conn(1).server_path,
            states({"LISTEN", "SYN_RCVD", "ESTABLISHED", "FIN_WAIT_1", "FIN_WAIT_2", "TIME_WAIT"}));
  EXPECT_EQ(r.conn(1).client_path,
            states({"CLOSED", "SYN_SENT", "ESTABLISHED", "CLOSE_WAIT", "LAST_ACK", "CLOSED"}));
  EXPECT_EQ(r.conn(1).close, "graceful");
}

TEST_P(Scenario, ThreeSegmentClose) {
  auto r = play(with_handshake({
      {C, kFin | kAck, 1, 1, 0, 20},
      {S, kFin | kAck, 1, 2, 0, 30},  // ACK of the FIN and the server's FIN together
      {C, kAck, 2, 2, 0, 40},
  }));
  expect_states(r, {SynSent, Established, Established, FinWait1, TimeWait, TimeWait},
                {SynRcvd, SynRcvd, Established, CloseWait, LastAck, Closed});
  EXPECT_EQ(r.conn(1).client_path,
            states({"CLOSED", "SYN_SENT", "ESTABLISHED", "FIN_WAIT_1", "TIME_WAIT"}));
}

TEST_P(Scenario, SimultaneousOpen) {
  auto r = play({
      {C, kSyn, 0, 0, 0, 0},
      {S, kSyn, 0, 0, 0, 5},  // crossed the client's SYN on the wire
      {C, kSyn | kAck, 0, 1, 0, 6},
      {S, kSyn | kAck, 0, 1, 0, 7},
      {C, kAck, 1, 1, 0, 8},
  });
  // Held until the server's own SYN showed it had not received the client's: the first
  // record shows the server as it really was then, CLOSED.
  expect_states(r, {SynSent, SynRcvd, SynRcvd, Established, Established},
                {Closed, SynRcvd, Established, Established, Established});
  EXPECT_TRUE(r.has_note(1, "simultaneous_open"));
  EXPECT_TRUE(r.has_note(2, "connect_returns"));
  EXPECT_TRUE(r.has_note(3, "connect_returns"));
  const auto both = states({"CLOSED", "SYN_SENT", "SYN_RCVD", "ESTABLISHED"});
  EXPECT_EQ(r.conn(1).client_path, both);
  EXPECT_EQ(r.conn(1).server_path, both);
  // The server sent its SYN (SYN_SENT) before it took the client's: one record, two steps.
  EXPECT_EQ(r.segments[1].via[1], (std::vector<TcpState>{SynSent}));
  EXPECT_TRUE(r.segments[1].via[0].empty());
  for (size_t i : {0, 2, 3, 4})
    EXPECT_TRUE(r.segments[i].via[0].empty() && r.segments[i].via[1].empty()) << i;
  for (const auto& s : r.segments)
    EXPECT_TRUE(std::find(s.notes.begin(), s.notes.end(), "retransmission") == s.notes.end());
}

TEST_P(Scenario, SimultaneousClose) {
  auto r = play(with_handshake({
      {C, kFin | kAck, 1, 1, 0, 20},
      {S, kFin | kAck, 1, 1, 0, 21},  // does not ack the client's FIN: they crossed
      {C, kAck, 2, 2, 0, 30},
      {S, kAck, 2, 2, 0, 31},
  }));
  // The client's FIN record is corrected before it is handed on: the server had not
  // received it when it sent its own FIN.
  expect_states(r, {SynSent, Established, Established, FinWait1, Closing, Closing, TimeWait},
                {SynRcvd, SynRcvd, Established, Established, Closing, TimeWait, TimeWait});
  EXPECT_TRUE(r.has_note(4, "simultaneous_close"));
  // The server sent its FIN (FIN_WAIT_1) before it took the client's: one record, two steps.
  EXPECT_EQ(r.segments[4].via[1], (std::vector<TcpState>{FinWait1}));
  EXPECT_TRUE(r.segments[4].via[0].empty());
  for (size_t i : {0, 1, 2, 3, 5, 6})
    EXPECT_TRUE(r.segments[i].via[0].empty() && r.segments[i].via[1].empty()) << i;
  EXPECT_EQ(r.conn(1).client_path,
            states({"CLOSED", "SYN_SENT", "ESTABLISHED", "FIN_WAIT_1", "CLOSING", "TIME_WAIT"}));
  EXPECT_EQ(r.conn(1).server_path,
            states({"LISTEN", "SYN_RCVD", "ESTABLISHED", "FIN_WAIT_1", "CLOSING", "TIME_WAIT"}));
  EXPECT_EQ(r.conn(1).close, "graceful");
}

TEST_P(Scenario, Refused) {
  auto r = play({
      {C, kSyn, 0, 0, 0, 0}, {S, kRst | kAck, 0, 1, 0, 1},  // RST/ACK ack=x+1
  });
  EXPECT_TRUE(r.has_note(1, "econnrefused"));
  EXPECT_EQ(r.segments[1].checks.at(0), (std::pair<std::string, bool>{"rst_acks_syn", true}));
  EXPECT_EQ(r.conn(1).client_path, states({"CLOSED", "SYN_SENT", "CLOSED"}));
  EXPECT_EQ(r.conn(1).server_path, states({"CLOSED"}));
  EXPECT_EQ(r.conn(1).close, "refused");
  EXPECT_EQ(r.conn(1).conn_state, "REJ");
}

TEST_P(Scenario, RstWithWrongAckInSynSentIsIgnored) {
  auto r = play({
      {C, kSyn, 0, 0, 0, 0},
      {S, kRst | kAck, 0, 7, 0, 1},  // acknowledges x+7, not x+1: not for our SYN
  });
  EXPECT_TRUE(r.has_note(1, "rst_out_of_window"));
  EXPECT_EQ(r.segments[1].client_after, SynSent);
}

TEST_P(Scenario, ResetsOutOfWindowChallengedThenAccepted) {
  auto r = play(with_handshake({
      {C, kPsh | kAck, 1, 1, 100, 20},
      {S, kAck, 1, 101, 0, 30},
      {S, kRst, 1 + 100000, 0, 0, 40},  // far outside the client's 1000-byte window
      {S, kRst, 1 + 5, 0, 0, 50},       // in the window but not RCV.NXT: challenge ACK
      {S, kRst, 1, 0, 0, 60},           // exactly RCV.NXT = y+1: accepted
  }));
  EXPECT_TRUE(r.has_note(5, "rst_out_of_window"));
  EXPECT_EQ(r.segments[5].client_after, Established);
  EXPECT_EQ(r.segments[5].server_after, Established);
  EXPECT_TRUE(r.has_note(6, "rst_challenge_ack"));
  EXPECT_EQ(r.segments[6].client_after, Established);
  EXPECT_TRUE(r.has_note(7, "econnreset"));
  EXPECT_EQ(r.segments[7].client_after, Closed);
  EXPECT_EQ(r.segments[7].server_after, Closed);
  EXPECT_EQ(r.conn(1).close, "reset_by_server");
}

TEST_P(Scenario, ClientResetAfterData) {
  auto r = play(with_handshake({
      {C, kPsh | kAck, 1, 1, 100, 20},
      {C, kRst | kAck, 101, 1, 0, 30},
  }));
  EXPECT_EQ(r.conn(1).close, "reset_by_client");
  EXPECT_EQ(r.conn(1).client_path, states({"CLOSED", "SYN_SENT", "ESTABLISHED", "CLOSED"}));
  EXPECT_EQ(r.conn(1).server_path, states({"LISTEN", "SYN_RCVD", "ESTABLISHED", "CLOSED"}));
}

TEST_P(Scenario, HalfClose) {
  auto r = play(with_handshake({
      {C, kFin | kAck, 1, 1, 0, 20},
      {S, kAck, 1, 2, 0, 30},
      {S, kPsh | kAck, 1, 2, 100, 40},  // data still flows towards the closed side
      {C, kAck, 2, 101, 0, 50},
      {S, kFin | kAck, 101, 2, 0, 60},
      {C, kAck, 2, 102, 0, 70},
  }));
  EXPECT_TRUE(r.has_note(5, "half_close"));
  expect_states(
      r,
      {SynSent, Established, Established, FinWait1, FinWait2, FinWait2, FinWait2, TimeWait,
       TimeWait},
      {SynRcvd, SynRcvd, Established, CloseWait, CloseWait, CloseWait, CloseWait, LastAck, Closed});
  EXPECT_EQ(r.conn(1).close, "graceful");
}

TEST_P(Scenario, UnansweredSynRetransmitted) {
  auto r = play({
      {C, kSyn, 0, 0, 0, 0},
      {C, kSyn, 0, 0, 0, 1000},
      {C, kSyn, 0, 0, 0, 3000},
  });
  EXPECT_TRUE(r.has_note(1, "syn_retransmission"));
  EXPECT_TRUE(r.has_note(2, "syn_retransmission"));
  EXPECT_EQ(r.conn(1).client_path, states({"CLOSED", "SYN_SENT"}));
  EXPECT_EQ(r.conn(1).server_path, states({"LISTEN"}));
  // The capture shows no give-up: the client may still be retrying.
  EXPECT_EQ(r.conn(1).close, "no_answer");
  EXPECT_EQ(r.conn(1).conn_state, "S0");
  for (size_t i : {1u, 2u}) {
    EXPECT_TRUE(r.segments[i].checks.empty()) << i;  // a resend is not an arithmetic error
    EXPECT_EQ(r.segments[i].client_after, SynSent) << i;
  }
}

TEST_P(Scenario, TimeWaitEndsAfterTwoMslThenPortIsReused) {
  InspectorConfig cfg;
  cfg.msl_ns = 1'000'000'000;  // TIME_WAIT lasts 2 s
  auto segs = with_handshake({
      {C, kFin | kAck, 1, 1, 0, 20},
      {S, kFin | kAck, 1, 2, 0, 30},
      {C, kAck, 2, 2, 0, 40},       // client enters TIME_WAIT at 30 ms
      {C, kSyn, 5000, 0, 0, 5000},  // a new connection on the same four-tuple
  });
  auto r = play(segs, cfg);
  ASSERT_EQ(r.timers.size(), 1u);
  EXPECT_TRUE(r.timers[0].client_side);
  EXPECT_EQ(r.timers[0].rel_ts_ns, 2'030'000'000);
  EXPECT_EQ(r.conn(1).client_path,
            states({"CLOSED", "SYN_SENT", "ESTABLISHED", "FIN_WAIT_1", "TIME_WAIT", "CLOSED"}));
  ASSERT_EQ(r.connections.size(), 2u);
  EXPECT_EQ(r.segments.back().conn, 2u);
  // The old connection was over and forgotten: the SYN simply opens a new one.
  EXPECT_FALSE(r.has_note(r.segments.size() - 1, "port_reuse"));
  EXPECT_EQ(r.conn(2).client_isn, GetParam().x + 5000);
}

TEST_P(Scenario, NewSynDuringTimeWaitReusesTheFourTuple) {
  InspectorConfig cfg;
  cfg.msl_ns = 1'000'000'000;
  auto r = play(with_handshake({
                    {C, kFin | kAck, 1, 1, 0, 20},
                    {S, kFin | kAck, 1, 2, 0, 30},
                    {C, kAck, 2, 2, 0, 40},
                    {C, kSyn, 5000, 0, 0, 1000},  // still within the client's TIME_WAIT
                }),
                cfg);
  ASSERT_EQ(r.connections.size(), 2u);
  EXPECT_TRUE(r.timers.empty());
  EXPECT_TRUE(r.has_note(r.segments.size() - 1, "port_reuse"));
  EXPECT_EQ(r.conn(1).client_path.back(), "TIME_WAIT");
  EXPECT_EQ(r.conn(2).client_path, states({"CLOSED", "SYN_SENT"}));
}

TEST_P(Scenario, TimeWaitStillRunningAtEndOfCapture) {
  auto r = play(with_handshake({
      {C, kFin | kAck, 1, 1, 0, 20},
      {S, kFin | kAck, 1, 2, 0, 30},
      {C, kAck, 2, 2, 0, 40},
  }));
  EXPECT_TRUE(r.timers.empty());
  EXPECT_EQ(r.conn(1).client_path.back(), "TIME_WAIT");
}

TEST_P(Scenario, MidStreamStartIsInferred) {
  auto r = play({
      {S, kPsh | kAck, 1, 1, 100, 0},  // from port 80: Zeek's rules make it the responder
      {C, kAck, 1, 101, 0, 1},
      {C, kFin | kAck, 1, 101, 0, 2},
      {S, kFin | kAck, 101, 2, 0, 3},
      {C, kAck, 2, 102, 0, 4},
  });
  EXPECT_TRUE(r.has_note(0, "inferred_midstream"));
  EXPECT_EQ(r.segments[0].dir, Direction::ServerToClient);
  EXPECT_EQ(r.segments[0].rel_seq, 1u);  // Wireshark: first byte seen is seq 1
  EXPECT_EQ(r.segments[0].rel_ack, 1u);
  EXPECT_TRUE(r.conn(1).inferred);
  EXPECT_EQ(r.conn(1).client, "192.0.2.10:40000");
  EXPECT_EQ(r.conn(1).client_path, states({"ESTABLISHED", "FIN_WAIT_1", "TIME_WAIT"}));
  EXPECT_EQ(r.conn(1).server_path, states({"ESTABLISHED", "CLOSE_WAIT", "LAST_ACK", "CLOSED"}));
}

TEST_P(Scenario, NewSynAfterResetIsANewConnection) {
  auto r = play(with_handshake({
      {C, kRst | kAck, 1, 1, 0, 20},
      {C, kSyn, 77777, 0, 0, 1000},
      {S, kSyn | kAck, 55555, 77778, 0, 1001},
  }));
  ASSERT_EQ(r.connections.size(), 2u);
  EXPECT_TRUE(r.has_note(4, "port_reuse"));
  EXPECT_EQ(r.segments[5].conn, 2u);
  EXPECT_EQ(r.segments[5].ack_off, 1);  // ack = the new ISN + 1
  EXPECT_EQ(r.conn(1).close, "reset_by_client");
}

TEST_P(Scenario, SynAckAcknowledgingTheWrongNumber) {
  auto r = play({
      {C, kSyn, 0, 0, 0, 0},
      {S, kSyn | kAck, 0, 5, 0, 1},
  });
  EXPECT_TRUE(r.has_note(1, "synack_bad_ack"));
  EXPECT_EQ(r.segments[1].checks.at(0), (std::pair<std::string, bool>{"synack_acks_syn", false}));
}

TEST_P(Scenario, RetransmissionGapAndUnseenAck) {
  auto r = play(with_handshake({
      {C, kPsh | kAck, 1, 1, 100, 20},
      {C, kPsh | kAck, 1, 1, 100, 220},    // same bytes again
      {C, kPsh | kAck, 301, 1, 100, 230},  // x+101..x+300 never captured
      {S, kAck, 1, 501, 0, 240},           // acks x+501: more than was sent
  }));
  EXPECT_TRUE(r.has_note(4, "retransmission"));
  EXPECT_TRUE(r.has_note(5, "previous_segment_not_captured"));
  EXPECT_TRUE(r.has_note(6, "acked_unseen_segment"));
}

TEST_P(Scenario, SegmentFillingAGapIsOutOfOrderNotARetransmission) {
  auto r = play(with_handshake({
      {C, kPsh | kAck, 1, 1, 100, 20},    // x+1..x+100
      {C, kPsh | kAck, 201, 1, 100, 30},  // x+201..x+300: x+101..x+200 not seen yet
      {C, kPsh | kAck, 101, 1, 50, 40},   // x+101..x+150 arrives late: fills the gap's start
      {C, kPsh | kAck, 151, 1, 50, 50},   // x+151..x+200: the rest; the gap is closed
      {C, kPsh | kAck, 151, 1, 50, 60},   // the same bytes again: now a retransmission
      {C, kPsh | kAck, 51, 1, 100, 70},   // overlaps bytes seen before the gap: retransmission
  }));
  EXPECT_TRUE(r.has_note(4, "previous_segment_not_captured"));
  for (size_t i : {5u, 6u}) {
    EXPECT_TRUE(r.has_note(i, "out_of_order")) << i;
    EXPECT_FALSE(r.has_note(i, "retransmission")) << i;
  }
  for (size_t i : {7u, 8u}) {
    EXPECT_TRUE(r.has_note(i, "retransmission")) << i;
    EXPECT_FALSE(r.has_note(i, "out_of_order")) << i;
  }
}

TEST_P(Scenario, ANewGapReplacesTheOldOne) {
  auto r = play(with_handshake({
      {C, kPsh | kAck, 101, 1, 100, 20},  // x+1..x+100 missing
      {C, kPsh | kAck, 301, 1, 100, 30},  // x+201..x+300 missing too: the gap tracked now
      {C, kPsh | kAck, 201, 1, 100, 40},  // fills the newer gap
      {C, kPsh | kAck, 1, 1, 100, 50},    // the older gap was forgotten: a retransmission
  }));
  EXPECT_TRUE(r.has_note(3, "previous_segment_not_captured"));
  EXPECT_TRUE(r.has_note(4, "previous_segment_not_captured"));
  EXPECT_TRUE(r.has_note(5, "out_of_order"));
  EXPECT_TRUE(r.has_note(6, "retransmission"));
}

TEST_P(Scenario, DataReachingTheEdgeOfTheWindowFillsIt) {
  // The server advertised 1000 bytes (no window scaling) with ack x+1: its window ends at
  // x+1001.
  auto r = play(with_handshake({
      {C, kPsh | kAck, 1, 1, 999, 20},   // ends at x+1000: one byte short
      {C, kPsh | kAck, 1000, 1, 1, 30},  // ends at x+1001: the window is full
      {S, kAck, 1, 1001, 0, 40, 2000},   // acks it all, opens 2000 more: edge x+3001
      {C, kPsh | kAck, 1001, 1, 2000, 50},
      {C, kFin | kAck, 3001, 1, 0, 60},  // a FIN is never "window full"
  }));
  EXPECT_FALSE(r.has_note(3, "window_full"));
  EXPECT_TRUE(r.has_note(4, "window_full"));
  EXPECT_FALSE(r.has_note(5, "window_full"));
  EXPECT_TRUE(r.has_note(6, "window_full"));
  EXPECT_FALSE(r.has_note(7, "window_full"));
}

TEST_P(Scenario, WindowFullNeedsBothSyns) {
  // Mid-stream: the window scale is unknown, so the edge of the window is too.
  auto r = play({
      {S, kAck, 1, 1, 0, 0},
      {C, kPsh | kAck, 1, 1, 1000, 10},
  });
  EXPECT_FALSE(r.has_note(1, "window_full"));
}

TEST_P(Scenario, DuplicateAckComparesWithTheLastAcknowledgementEvenWithData) {
  auto r = play(with_handshake({
      {C, kPsh | kAck, 1, 1, 100, 20},   // request x+1..x+100
      {S, kPsh | kAck, 1, 101, 50, 30},  // response with ack x+101: an ACK carrying data
      {C, kAck, 101, 51, 100, 40},       // more client data, x+101..x+200
      {C, kAck, 201, 51, 100, 41},       // x+201..x+300
      {S, kAck, 51, 101, 0, 50},         // same ack and window as the response: duplicate
      {S, kAck, 51, 101, 0, 51},         // and again
      {S, kAck, 51, 301, 0, 60},         // all acknowledged
      {S, kAck, 51, 301, 0, 61},         // same again, but nothing outstanding: not one
  }));
  EXPECT_FALSE(r.has_note(4, "duplicate_ack"));
  EXPECT_TRUE(r.has_note(7, "duplicate_ack"));
  EXPECT_TRUE(r.has_note(8, "duplicate_ack"));
  EXPECT_FALSE(r.has_note(9, "duplicate_ack"));
  EXPECT_FALSE(r.has_note(10, "duplicate_ack"));
}

TEST_P(Scenario, KeepAliveIsNotARetransmission) {
  auto r = play(with_handshake({
      {C, kAck, 0, 1, 0, 5000},  // seq = next - 1, no data: a keep-alive probe
  }));
  EXPECT_TRUE(r.has_note(3, "keep_alive"));
  EXPECT_FALSE(r.has_note(3, "retransmission"));
}

INSTANTIATE_TEST_SUITE_P(Isns, Scenario,
                         ::testing::Values(IsnPair{1000, 5000}, IsnPair{0xFFFFFFF0, 0xFFFFFFFE},
                                           IsnPair{0xFFFFFFFF, 0x7FFFFFFF},
                                           IsnPair{0x7FFFFFC0, 0xFFFFFF9C}));

TEST(ConnectionCap, OldestIsEvictedAndCounted) {
  InspectorConfig cfg;
  cfg.max_connections = 2;
  Recorder rec;
  Inspector inspector(cfg, rec);
  for (uint16_t i = 0; i < 3; ++i) {
    auto f = ipv4_tcp_frame(kClientIp, kServerIp, static_cast<uint16_t>(50000 + i), 80, 100, 0,
                            kSyn, 1000, 0);
    feed_frame(inspector, Frame{i + 1u, 1'000'000'000LL * i, f, static_cast<uint32_t>(f.size())});
  }
  inspector.finish();
  EXPECT_EQ(rec.stats.evicted, 1u);
  EXPECT_EQ(rec.stats.peak_connections, 2u);
  ASSERT_EQ(rec.connections.size(), 3u);
  EXPECT_EQ(rec.connections[0].id, 1u);  // the first, least recently active, went first
  EXPECT_TRUE(rec.connections[0].evicted);
  EXPECT_FALSE(rec.connections[1].evicted);
}

TEST(IdleExpiry, SilentConnectionIsForgotten) {
  InspectorConfig cfg;
  cfg.idle_timeout_ns = 10'000'000'000;
  Recorder rec;
  Inspector inspector(cfg, rec);
  auto a = ipv4_tcp_frame(kClientIp, kServerIp, 50000, 80, 100, 0, kSyn, 1000, 0);
  auto b = ipv4_tcp_frame(kClientIp, kServerIp, 50001, 80, 100, 0, kSyn, 1000, 0);
  feed_frame(inspector, Frame{1, 0, a, static_cast<uint32_t>(a.size())});
  feed_frame(inspector, Frame{2, 11'000'000'000, b, static_cast<uint32_t>(b.size())});
  ASSERT_EQ(rec.connections.size(), 1u);  // ended before the second frame was analysed
  EXPECT_EQ(rec.connections[0].id, 1u);
  inspector.finish();
  EXPECT_EQ(rec.stats.idle_expired, 1u);
}

}  // namespace
