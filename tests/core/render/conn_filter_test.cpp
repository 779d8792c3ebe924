// SPDX-License-Identifier: MIT
// The result filter: its values are read against the enum tables (with a one-line error
// listing the valid ones), its verdicts follow what is known when, and FilteringSink hands
// the renderer exactly the matching connections' events, as they were when they happened.
#include "core/render/conn_filter.hpp"

#include <gtest/gtest.h>

#include <stdexcept>
#include <string>
#include <vector>

#include "core/render/filter_sink.hpp"

namespace tcpinspect::core {
namespace {

uint32_t bit(CloseKind k) {
  return uint32_t{1} << static_cast<unsigned>(k);
}

std::string error_of(void (*add)(ConnFilter&, std::string_view), std::string_view list) {
  ConnFilter f;
  try {
    add(f, list);
  } catch (const std::invalid_argument& e) {
    return e.what();
  }
  return "";
}

TEST(ConnFilter, CloseKindsReadTheTableAndResetMeansBothResets) {
  ConnFilter f;
  add_close_kinds(f, "reset,Refused");
  EXPECT_EQ(f.close_kinds, bit(CloseKind::ResetByClient) | bit(CloseKind::ResetByServer) |
                               bit(CloseKind::Refused));
  add_close_kinds(f, "timed_out");
  EXPECT_EQ(f.close_kinds & bit(CloseKind::TimedOut), bit(CloseKind::TimedOut));
}

TEST(ConnFilter, UnknownValuesNameTheOptionAndListTheValidOnes) {
  EXPECT_EQ(error_of(add_close_kinds, "reset,rest"),
            "--only 'rest': not a close kind (one of: open, graceful, half_closed, "
            "reset_by_client, reset_by_server, refused, timed_out, unreachable, handshake_reset, "
            "no_answer, reset (either reset))");
  const std::string note = error_of(add_notes, "retransmision");
  EXPECT_EQ(note.rfind("--note 'retransmision': not a note (one of: connect_returns, ", 0), 0u)
      << note;
  EXPECT_NE(note.find(", retransmission, "), std::string::npos);
  EXPECT_NE(note.find(", synack_bad_ack, "), std::string::npos);
  EXPECT_NE(note.find(", rst_suspected_forged)"), std::string::npos);
  EXPECT_EQ(error_of(add_conn_states, "SFF"),
            "--conn-state 'SFF': not a Zeek conn_state (one of: S0, S1, SF, REJ, S2, S3, RSTO, "
            "RSTR, RSTOS0, RSTRH, SH, SHR, OTH)");
  EXPECT_NE(error_of(add_states, "TIMEWAIT").find("not a TCP state (one of: CLOSED, LISTEN, "),
            std::string::npos);
  EXPECT_EQ(error_of(add_conn_numbers, "0"),
            "--conn '0': not a connection number (1, 2, ... as the output numbers them: #1)");
  EXPECT_EQ(error_of(add_conn_numbers, "3x"),
            "--conn '3x': not a connection number (1, 2, ... as the output numbers them: #1)");
  EXPECT_EQ(error_of(add_notes, "retransmission,,zero_window"),
            "--note 'retransmission,,zero_window': an empty item in the list");
  EXPECT_EQ(error_of(add_close_kinds, ""), "--only: no value given");
}

TEST(ConnFilter, NamesAreCaseInsensitiveAndStatesTakeASide) {
  ConnFilter f;
  add_conn_states(f, "rej, sf");
  ASSERT_EQ(f.conn_states.size(), 2u);
  EXPECT_EQ(f.conn_states[0], "REJ");
  EXPECT_EQ(f.conn_states[1], "SF");
  add_notes(f, "Retransmission");
  EXPECT_TRUE(f.notes.has(Note::Retransmission));
  add_states(f, "time-wait,server:close_wait");
  ASSERT_EQ(f.states.size(), 2u);
  EXPECT_EQ(f.states[0].side, StateSide::Either);
  EXPECT_EQ(f.states[0].state, TcpState::TimeWait);
  EXPECT_EQ(f.states[1].side, StateSide::Server);
  EXPECT_EQ(f.states[1].state, TcpState::CloseWait);
  add_conn_numbers(f, "3, 12");
  EXPECT_EQ(f.conns, (std::vector<uint32_t>{3, 12}));
}

TEST(ConnFilter, VerdictsComeAsSoonAsTheyAreKnown) {
  NoteSet none, retrans;
  retrans.add(Note::Retransmission);

  ConnFilter by_conn;
  add_conn_numbers(by_conn, "2");
  EXPECT_EQ(judge_so_far(by_conn, 1, none), FilterVerdict::NoMatch);
  EXPECT_EQ(judge_so_far(by_conn, 2, none), FilterVerdict::Match);

  ConnFilter by_note;
  add_notes(by_note, "zero_window,retransmission");
  EXPECT_EQ(judge_so_far(by_note, 1, none), FilterVerdict::Undecided);
  EXPECT_EQ(judge_so_far(by_note, 1, retrans), FilterVerdict::Match);

  ConnFilter by_end = by_note;
  add_close_kinds(by_end, "reset");
  add_conn_numbers(by_end, "4");
  EXPECT_EQ(judge_so_far(by_end, 4, retrans), FilterVerdict::Undecided);  // how it ends
  EXPECT_EQ(judge_so_far(by_end, 5, retrans), FilterVerdict::NoMatch);    // never #4

  EXPECT_EQ(judge_so_far(ConnFilter{}, 9, none), FilterVerdict::Match);
}

// A connection refused by its server, as its summary says when it ends.
ConnectionSummary refused_connection(uint32_t id) {
  Connection c;
  c.id = id;
  c.close = CloseKind::Refused;
  c.client.path.push(TcpState::Closed);
  c.client.path.push(TcpState::SynSent);
  c.client.path.push(TcpState::Closed);
  c.server.path.push(TcpState::Closed);
  c.zeek.on_segment(true, kSyn, 1000, 0, 0, 64240, false);
  c.zeek.on_segment(false, kRst | kAck, 0, 1001, 0, 0, false);
  return summarize(c);
}

TEST(ConnFilter, AtTheEndEveryCriterionMustMatch) {
  const ConnectionSummary c = refused_connection(7);
  ASSERT_EQ(c.zeek.conn_state, "REJ");
  NoteSet notes;
  notes.add(Note::ConnectionRefused);
  auto judge = [&](auto... adds) {
    ConnFilter f;
    (adds(f), ...);
    return judge_at_end(f, c, notes);
  };
  using F = ConnFilter&;
  EXPECT_TRUE(judge([](F f) { add_close_kinds(f, "refused"); }));
  EXPECT_FALSE(judge([](F f) { add_close_kinds(f, "reset,graceful"); }));
  EXPECT_TRUE(judge([](F f) { add_conn_states(f, "S0,REJ"); }));
  EXPECT_FALSE(judge([](F f) { add_conn_states(f, "S0"); }));
  EXPECT_TRUE(judge([](F f) { add_notes(f, "econnrefused"); }));
  EXPECT_FALSE(judge([](F f) { add_notes(f, "econnreset"); }));
  EXPECT_TRUE(judge([](F f) { add_states(f, "client:SYN_SENT"); }));
  EXPECT_FALSE(judge([](F f) { add_states(f, "server:SYN_SENT"); }));
  EXPECT_FALSE(judge([](F f) { add_states(f, "ESTABLISHED"); }));
  EXPECT_TRUE(judge([](F f) { add_conn_numbers(f, "7"); },
                    [](F f) { add_close_kinds(f, "refused"); },
                    [](F f) { add_states(f, "SYN_SENT"); }));
  EXPECT_FALSE(judge([](F f) { add_conn_numbers(f, "7"); },
                     [](F f) { add_close_kinds(f, "refused"); },
                     [](F f) { add_conn_states(f, "SF"); }));
}

// What the renderer behind the filter was given, with the values it could read then.
struct Recorder final : EventSink {
  std::vector<std::string> calls;
  void on_segment(const SegmentEvent& ev) override {
    calls.push_back("seg #" + std::to_string(ev.conn_id) + " frame " + std::to_string(ev.frame) +
                    " x=" + std::to_string(ev.client_isn) + " seq " +
                    std::to_string(ev.packet->tcp.seq));
  }
  void on_timer(const TimerEvent& ev) override {
    calls.push_back("timer #" + std::to_string(ev.conn_id) + " " + std::string(note_id(ev.note)));
  }
  void on_icmp(const IcmpEvent& ev) override {
    calls.push_back("icmp #" + std::to_string(ev.conn_id));
  }
  void on_problem(const ProblemEvent& ev) override {
    calls.push_back("problem " + std::to_string(ev.frame));
  }
  void on_connection_end(const ConnectionSummary& c) override {
    calls.push_back("end #" + std::to_string(c.id));
  }
  void on_finish(const InspectorStats& s) override {
    calls.push_back("finish " + std::to_string(s.connections));
  }
};

// Feeds one segment of `c` from its client, whose ISN the analysis takes to be seq - 1
// when it has seen no SYN.
void segment(EventSink& sink, const ConnectionSummary& c, uint64_t frame, uint32_t seq,
             NoteSet notes = {}) {
  DecodedPacket p;
  p.result = DecodeResult::Tcp;
  p.tcp.seq = seq;
  SegmentEvent ev;
  ev.frame = frame;
  ev.packet = &p;
  ev.conn_id = c.id;
  ev.client_isn = seq - 1;
  ev.notes = notes;
  sink.on_segment(ev);
  p.tcp.seq = 0;  // the frame buffer is reused after the event
}

TEST(FilteringSink, HeldEventsReachTheRendererAsTheyWereWhenTheConnectionMatches) {
  auto inner = std::make_unique<Recorder>();
  Recorder* seen = inner.get();
  ConnFilter f;
  add_close_kinds(f, "refused");
  FilteringSink sink(f, std::move(inner), true, 100, nullptr);

  ConnectionSummary a = refused_connection(1);
  ConnectionSummary b = refused_connection(2);
  b.close = CloseKind::Graceful;
  segment(sink, a, 1, 1000);
  segment(sink, b, 2, 5000);
  segment(sink, a, 3, 1001);
  ProblemEvent problem;
  problem.frame = 4;
  sink.on_problem(problem);
  IcmpEvent stray;  // quotes no tracked connection
  sink.on_icmp(stray);
  TimerEvent t;
  t.conn_id = a.id;
  sink.on_timer(t);
  EXPECT_TRUE(seen->calls.empty());  // nothing is known before the ends
  EXPECT_EQ(sink.held_events(), 4u);
  sink.on_connection_end(b);  // graceful: forgotten
  EXPECT_EQ(sink.held_events(), 3u);
  sink.on_connection_end(a);
  InspectorStats stats;
  stats.connections = 2;
  sink.on_finish(stats);
  EXPECT_EQ(seen->calls, (std::vector<std::string>{
                             "seg #1 frame 1 x=999 seq 1000", "seg #1 frame 3 x=1000 seq 1001",
                             "timer #1 time_wait_expired", "end #1", "finish 2"}));
  EXPECT_EQ(sink.held_events(), 0u);
}

TEST(FilteringSink, AConnectionStreamsOnceANoteDecidesIt) {
  auto inner = std::make_unique<Recorder>();
  Recorder* seen = inner.get();
  ConnFilter f;
  add_notes(f, "retransmission");
  FilteringSink sink(f, std::move(inner), true, 100, nullptr);
  NoteSet retrans;
  retrans.add(Note::Retransmission);
  ConnectionSummary a = refused_connection(1);
  segment(sink, a, 1, 10);
  EXPECT_TRUE(seen->calls.empty());
  segment(sink, a, 2, 10, retrans);
  EXPECT_EQ(seen->calls.size(), 2u);  // the held one, then this one
  segment(sink, a, 3, 11);
  EXPECT_EQ(seen->calls.size(), 3u);  // straight through
  sink.on_connection_end(a);
  EXPECT_EQ(seen->calls,
            (std::vector<std::string>{"seg #1 frame 1 x=9 seq 10", "seg #1 frame 2 x=9 seq 10",
                                      "seg #1 frame 3 x=10 seq 11", "end #1"}));
}

TEST(FilteringSink, ConnNumbersDecideAtOnceAndOtherFramesAreNotShown) {
  auto inner = std::make_unique<Recorder>();
  Recorder* seen = inner.get();
  ConnFilter f;
  add_conn_numbers(f, "2");
  FilteringSink sink(f, std::move(inner), true, 100, nullptr);
  ConnectionSummary a = refused_connection(1), b = refused_connection(2);
  segment(sink, a, 1, 1);
  segment(sink, b, 2, 2);
  ProblemEvent problem;
  sink.on_problem(problem);
  IcmpEvent icmp;
  DecodedPacket p;
  icmp.packet = &p;
  icmp.conn_id = b.id;
  sink.on_icmp(icmp);
  EXPECT_EQ(sink.held_events(), 0u);
  sink.on_connection_end(a);
  sink.on_connection_end(b);
  EXPECT_EQ(seen->calls,
            (std::vector<std::string>{"seg #2 frame 2 x=1 seq 2", "icmp #2", "end #2"}));
}

TEST(FilteringSink, OverTheHoldLimitTheLargestGivesUpItsSegmentsAndSaysSo) {
  auto inner = std::make_unique<Recorder>();
  Recorder* seen = inner.get();
  ConnFilter f;
  add_close_kinds(f, "refused");
  std::vector<std::string> warnings;
  FilteringSink sink(f, std::move(inner), true, 3,
                     [&](std::string_view w) { warnings.emplace_back(w); });
  ConnectionSummary big = refused_connection(1), small = refused_connection(2);
  segment(sink, big, 1, 1);
  segment(sink, big, 2, 2);
  segment(sink, small, 3, 3);
  segment(sink, big, 4, 4);  // the fourth held event: #1 (3 held) gives up
  EXPECT_EQ(sink.held_events(), 1u);
  segment(sink, big, 5, 5);  // not held any more
  EXPECT_EQ(sink.held_events(), 1u);
  sink.on_connection_end(big);
  sink.on_connection_end(small);
  EXPECT_EQ(seen->calls,
            (std::vector<std::string>{"end #1", "seg #2 frame 3 x=2 seq 3", "end #2"}));
  ASSERT_EQ(warnings.size(), 1u);
  EXPECT_EQ(warnings[0],
            "connection #1 matched the filter, but its segments are not shown: more than 3 "
            "events waited for connections to end (--filter-hold)");
}

TEST(FilteringSink, ARendererOfEndsOnlyHoldsNothing) {
  auto inner = std::make_unique<Recorder>();
  Recorder* seen = inner.get();
  ConnFilter f;
  add_close_kinds(f, "refused");
  FilteringSink sink(f, std::move(inner), false, 100, nullptr);
  ConnectionSummary a = refused_connection(1);
  segment(sink, a, 1, 1);
  EXPECT_EQ(sink.held_events(), 0u);
  sink.on_connection_end(a);
  EXPECT_EQ(seen->calls, (std::vector<std::string>{"end #1"}));
}

}  // namespace
}  // namespace tcpinspect::core
