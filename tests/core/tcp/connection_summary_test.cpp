// SPDX-License-Identifier: MIT
// The summary a connection ends with: exact numbers from hand-written conversations, read
// once from the final connection (every view prints these). Rerun at ISN pairs that wrap.
#include "core/tcp/connection_summary.hpp"

#include <gtest/gtest.h>

#include "scenario.hpp"

namespace {

using namespace scenario;
using enum tcpinspect::core::TcpState;

constexpr int64_t kMs = 1'000'000;

std::vector<TcpState> path_of(const StatePath& p) {
  std::vector<TcpState> out;
  for (size_t i = 0; i < p.size(); ++i)
    out.push_back(p[i]);
  return out;
}

const std::vector<uint8_t> kWscale7 = {3, 3, 7};  // window scale option, shift 7
const std::vector<uint8_t> kWscale9 = {3, 3, 9};

struct IsnPair {
  uint32_t x, y;
};

class Summary : public ::testing::TestWithParam<IsnPair> {
 protected:
  ConnectionSummary play(const std::vector<Seg>& segs) {
    const Recorder r = run(segs, GetParam().x, GetParam().y);
    EXPECT_EQ(r.summaries.size(), 1u);
    return r.summaries.empty() ? ConnectionSummary{} : r.summaries.front();
  }
};

TEST_P(Summary, AGracefulConnection) {
  const uint32_t x = GetParam().x, y = GetParam().y;
  const ConnectionSummary s = play({
      {C, kSyn, 0, 0, 0, 0, 1000, 64, 0, kWscale7},          // SYN seq=x, wscale 7
      {S, kSyn | kAck, 0, 1, 0, 25, 1000, 64, 0, kWscale9},  // SYN-ACK 25 ms later
      {C, kAck, 1, 1, 0, 26},                                // ACK 1 ms after that
      {C, kAck | kPsh, 1, 1, 100, 30},                       // 100 bytes
      {S, kAck | kPsh, 1, 101, 300, 40},                     // 300 bytes back
      {C, kAck, 101, 301, 0, 41},                            // acks them
      {C, kFin | kAck, 101, 301, 0, 50},                     // the client closes first
      {S, kFin | kAck, 301, 102, 0, 60},                     // its FIN acked, and the server's
      {C, kAck, 102, 302, 0, 61},                            // the last ACK
  });
  EXPECT_EQ(s.id, 1u);
  EXPECT_EQ(endpoint_to_string(s.client.addr, s.client.port), "192.0.2.10:40000");
  EXPECT_EQ(endpoint_to_string(s.server.addr, s.server.port), "198.51.100.20:80");
  EXPECT_EQ(s.client.isn, x);
  EXPECT_EQ(s.server.isn, y);
  EXPECT_TRUE(s.client.isn_known && s.client.isn_set && s.server.isn_known && s.server.isn_set);
  EXPECT_FALSE(s.isn_inferred);
  EXPECT_EQ(s.client.window_scale, 7);  // both SYNs carried the option: in effect
  EXPECT_EQ(s.server.window_scale, 9);
  EXPECT_EQ(s.client.packets, 6u);
  EXPECT_EQ(s.client.payload_bytes, 100u);
  EXPECT_EQ(s.server.packets, 3u);
  EXPECT_EQ(s.server.payload_bytes, 300u);
  EXPECT_EQ(s.retransmissions, 0u);
  EXPECT_EQ(s.rtt_syn_synack_ns, 25 * kMs);
  EXPECT_EQ(s.rtt_synack_ack_ns, 1 * kMs);
  EXPECT_EQ(s.since_syn_ns, 61 * kMs);
  EXPECT_EQ(s.duration_ns, 61 * kMs);
  EXPECT_EQ(s.last_ts_ns - s.first_ts_ns, 61 * kMs);
  EXPECT_EQ(s.close, CloseKind::Graceful);
  EXPECT_FALSE(s.inferred || s.evicted || s.simultaneous_open || s.simultaneous_close);
  // The capture ends within 2*MSL of the last ACK: the client is still in TIME_WAIT.
  EXPECT_EQ(s.client.state, TimeWait);
  EXPECT_EQ(s.server.state, Closed);
  EXPECT_EQ(path_of(s.client.path),
            (std::vector<TcpState>{Closed, SynSent, Established, FinWait1, TimeWait}));
  EXPECT_EQ(path_of(s.server.path),
            (std::vector<TcpState>{Listen, SynRcvd, Established, CloseWait, LastAck, Closed}));
  EXPECT_EQ(s.zeek.conn_state, "SF");
  EXPECT_EQ(s.zeek.history(), "ShADdFf");  // the server sent no pure ACK: no "a"
  EXPECT_EQ(s.zeek.orig_bytes, 100u);
  EXPECT_EQ(s.zeek.resp_bytes, 300u);
  EXPECT_FALSE(s.zeek.roles_swapped);
}

TEST_P(Summary, AWindowScaleOfferedByOneSideOnlyIsNotInEffect) {
  const ConnectionSummary s = play({
      {C, kSyn, 0, 0, 0, 0, 1000, 64, 0, kWscale7},
      {S, kSyn | kAck, 0, 1, 0, 10},
      {C, kAck, 1, 1, 0, 11},
  });
  EXPECT_EQ(s.client.window_scale, 0);
  EXPECT_EQ(s.server.window_scale, 0);
  EXPECT_EQ(s.close, CloseKind::Open);
}

TEST_P(Summary, MidStreamTheIsnsAreInferredAndNoRoundTripIsClaimed) {
  const uint32_t x = GetParam().x, y = GetParam().y;
  const ConnectionSummary s = play({
      {C, kAck | kPsh, 1, 1, 50, 0},  // seq=x+1 ack=y+1: the handshake was before the capture
      {S, kAck, 1, 51, 0, 5},
  });
  EXPECT_TRUE(s.inferred);
  EXPECT_TRUE(s.isn_inferred);
  EXPECT_FALSE(s.client.isn_known);
  EXPECT_TRUE(s.client.isn_set);
  EXPECT_EQ(s.client.isn, x);  // first seq - 1
  EXPECT_EQ(s.server.isn, y);  // the client's first ack - 1
  EXPECT_FALSE(s.rtt_syn_synack_ns.has_value());
  EXPECT_FALSE(s.rtt_synack_ack_ns.has_value());
  EXPECT_FALSE(s.since_syn_ns.has_value());
  EXPECT_EQ(s.duration_ns, 5 * kMs);
  EXPECT_EQ(s.client.payload_bytes, 50u);
}

TEST_P(Summary, AnUnansweredSynCountsItsRetransmissionsFromTheFirstSyn) {
  const ConnectionSummary s = play({
      {C, kSyn, 0, 0, 0, 0}, {C, kSyn, 0, 0, 0, 1000},  // the same SYN a second later
  });
  EXPECT_EQ(s.close, CloseKind::NoAnswer);
  EXPECT_EQ(s.client.retransmissions, 1u);
  EXPECT_EQ(s.since_syn_ns, 1000 * kMs);
  EXPECT_FALSE(s.rtt_syn_synack_ns.has_value());
  EXPECT_FALSE(s.server.isn_set);  // the server sent nothing and nothing acked it
  EXPECT_EQ(s.server.packets, 0u);
  EXPECT_EQ(s.zeek.conn_state, "S0");
}

// What a view needs of the connection per segment arrives in the event: its number and
// the ISNs its symbolic numbers count from, as known once the segment is analysed.
TEST_P(Summary, EachSegmentCarriesItsConnectionAndTheIsnsKnownAfterIt) {
  const uint32_t x = GetParam().x, y = GetParam().y;
  const Recorder r = run({{C, kSyn, 0, 0, 0, 0}, {S, kSyn | kAck, 0, 1, 0, 10}}, x, y);
  ASSERT_EQ(r.segments.size(), 2u);
  EXPECT_EQ(r.segments[0].conn, 1u);
  EXPECT_EQ(r.segments[0].client_isn, x);
  EXPECT_EQ(r.segments[0].server_isn, 0u);  // not known yet
  EXPECT_EQ(r.segments[1].client_isn, x);
  EXPECT_EQ(r.segments[1].server_isn, y);

  const Recorder mid = run({{C, kAck, 1, 1, 10, 0}}, x, y);  // seq=x+1 ack=y+1, no handshake
  ASSERT_EQ(mid.segments.size(), 1u);
  EXPECT_EQ(mid.segments[0].client_isn, x);  // first seq - 1
  EXPECT_EQ(mid.segments[0].server_isn, y);  // ack - 1
}

INSTANTIATE_TEST_SUITE_P(Isns, Summary,
                         ::testing::Values(IsnPair{1000, 5000}, IsnPair{0xFFFFFFF0, 0xFFFFFFFE},
                                           IsnPair{0xFFFFFFFF, 0x7FFFFFFF}));

}  // namespace
