// SPDX-License-Identifier: MIT
// Views that keep records redraw them as the hold stage's corrections say (on_revision),
// and nothing else: the rows named, the side named, the state and mark given.
#include <gtest/gtest.h>

#include <sstream>
#include <string>
#include <vector>

#include "../tcp/scenario.hpp"
#include "core/render/conn_record.hpp"
#include "core/render/render.hpp"

namespace {

using namespace scenario;
using tcpinspect::core::render::ConnRecorder;
using tcpinspect::core::render::SegRecord;
using enum tcpinspect::core::TcpState;

// A segment event of connection 1 as the hold stage hands it on.
SegmentEvent event(const DecodedPacket& p, uint64_t frame, TcpState client, TcpState server,
                   uint8_t unconfirmed) {
  SegmentEvent ev;
  ev.packet = &p;
  ev.conn_id = 1;
  ev.frame = frame;
  ev.client_after = client;
  ev.server_after = server;
  ev.unconfirmed = unconfirmed;
  return ev;
}

TEST(ConnRecorder, AppliesARevisionToTheRowsItNames) {
  const DecodedPacket p{};
  ConnRecorder rec(64);
  rec.on_segment(event(p, 1, SynSent, SynRcvd, 2));
  rec.on_segment(event(p, 4, SynSent, SynRcvd, 2));
  rec.on_segment(event(p, 7, SynSent, SynRcvd, 2));
  RevisionEvent rev;
  rev.conn_id = 1;
  rev.first_frame = 4;
  rev.last_frame = 6;
  rev.client_side = false;
  rev.shown = SynRcvd;
  rev.real = Listen;
  rec.on_revision(rev);
  ConnectionSummary c;
  c.id = 1;
  const auto rows = rec.take(c).rows;
  ASSERT_EQ(rows.size(), 3u);
  // Before the range and after it: as they were.
  EXPECT_EQ(rows[0].server, SynRcvd);
  EXPECT_EQ(rows[0].unconfirmed, 2);
  EXPECT_EQ(rows[2].server, SynRcvd);
  EXPECT_EQ(rows[2].unconfirmed, 2);
  // In it: the real state, and no longer unconfirmed (a state kept needs no confirmation).
  EXPECT_EQ(rows[1].server, Listen);
  EXPECT_EQ(rows[1].unconfirmed, 0);
  EXPECT_EQ(rows[1].client, SynSent);  // the other side is not touched
}

TEST(ConnRecorder, FromTheStartCorrectsTheRowsBeforeTheRange) {
  const DecodedPacket p{};
  ConnRecorder rec(64);
  rec.on_segment(event(p, 1, SynSent, Listen, 0));
  rec.on_segment(event(p, 2, SynSent, SynRcvd, 2));
  RevisionEvent rev;
  rev.conn_id = 1;
  rev.first_frame = 2;
  rev.last_frame = RevisionEvent::kLatest;
  rev.client_side = false;
  rev.shown = SynRcvd;
  rev.real = Closed;
  rev.from_start = true;
  rec.on_revision(rev);
  rev.conn_id = 2;  // another connection's: nothing here
  rec.on_revision(rev);
  ConnectionSummary c;
  c.id = 1;
  const auto rows = rec.take(c).rows;
  ASSERT_EQ(rows.size(), 2u);
  EXPECT_EQ(rows[0].server, Closed);
  EXPECT_EQ(rows[1].server, Closed);
  EXPECT_EQ(rows[1].unconfirmed, 0);
}

std::string render(OutputFormat format, const std::vector<Seg>& segs) {
  std::string out;
  RenderOptions options;
  options.format = format;
  auto sink = make_renderer(options, [&out](std::string_view s) { out.append(s); });
  play_into(*sink, segs, 1000, 5000);
  return out;
}

std::vector<std::string> lines_of(const std::string& text) {
  std::vector<std::string> lines;
  std::istringstream in(text);
  for (std::string line; std::getline(in, line);)
    lines.push_back(line);
  return lines;
}

// The client's SYN went out (past the hold) showing the server in SYN_RCVD; the server's
// own SYN at 2 s shows it never was.
TEST(RevisionRows, LadderRedrawsARowThatWentOutBeforeTheCrossingSyn) {
  const auto lines = lines_of(render(OutputFormat::Ladder, kCrossingSynAfterTheHold));
  std::vector<std::string> conn1;
  bool in1 = false;
  for (const auto& l : lines) {
    if (l.rfind("#", 0) == 0) in1 = l.rfind("#1 ", 0) == 0;
    if (in1 && (l.rfind("0.", 0) == 0 || l.rfind("2.", 0) == 0)) conn1.push_back(l);
  }
  ASSERT_EQ(conn1.size(), 5u) << render(OutputFormat::Ladder, kCrossingSynAfterTheHold);
  // The SYN's row: the client SYN_SENT, the server CLOSED, marked as the revision says (the
  // state it kept needs no confirmation).
  EXPECT_EQ(conn1[0].substr(0, 11 + 12), "0.000000   SYN_SENT    ");
  EXPECT_TRUE(conn1[0].ends_with(" CLOSED")) << conn1[0];
  // The server's SYN: it is SYN_RCVD after it (having sent its own first).
  EXPECT_NE(conn1[1].find("<-- SYN seq=y"), std::string::npos) << conn1[1];
  EXPECT_NE(conn1[1].find(" SYN_RCVD"), std::string::npos) << conn1[1];
  // No row of it is marked unconfirmed any more, so no legend for the mark either.
  const std::string all = render(OutputFormat::Ladder, kCrossingSynAfterTheHold);
  EXPECT_EQ(all.find("STATE? = unconfirmed"), std::string::npos) << all;
}

TEST(RevisionRows, ExplainTellsTheSynAsItReallyWasAndTheCrossingInOneStep) {
  const std::string out = render(OutputFormat::Explain, kCrossingSynAfterTheHold);
  EXPECT_EQ(out.find("The server went LISTEN"), std::string::npos) << out;
  EXPECT_NE(out.find("The server went CLOSED → SYN_SENT → SYN_RCVD"), std::string::npos) << out;
}

TEST(RevisionRows, TextStillSaysSoOnALineOfItsOwn) {
  const std::string out = render(OutputFormat::Text, kCrossingSynAfterTheHold);
  EXPECT_NE(out.find("revised: #1 from frame 1 the server was CLOSED, not SYN_RCVD"),
            std::string::npos)
      << out;
}

}  // namespace
