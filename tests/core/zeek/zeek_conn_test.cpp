// SPDX-License-Identifier: MIT
// ZeekConn against Zeek's own logic. Every expectation below is derived by hand from Zeek's
// sources (paths in docs/zeek.md), not from this implementation's output: the comment on
// each scenario names the code path that produces each letter and the final state.
// Every scenario runs at several ISN pairs, including ones that wrap past 2^32.
#include <gtest/gtest.h>

#include <cstdint>
#include <string>
#include <string_view>
#include <tuple>
#include <vector>

#include "core/wire/packet.hpp"
#include "core/zeek/zeek_conn.hpp"
#include "core/zeek/zeek_server_ports.hpp"

namespace tcpinspect::core {
namespace {

constexpr uint16_t S = kSyn;
constexpr uint16_t A = kAck;
constexpr uint16_t F = kFin;
constexpr uint16_t R = kRst;
constexpr uint16_t P = kPsh;

// One segment. dir 'O' = the originator as labelled after the creation-time flip, 'R' the
// responder; this frame stays fixed even if Zeek flips roles later (ZeekConn maps it).
struct Seg {
  char dir;
  uint16_t flags;
  uint32_t seq_off;      // added to the sender's ISN (absolute when abs_seq)
  uint32_t ack_off = 0;  // added to the receiver's ISN (only used with ACK)
  uint32_t len = 0;
  uint16_t window = 65535;
  bool bad_checksum = false;
  bool abs_seq = false;
  bool captured = true;
  int repeat = 1;
};

struct Scenario {
  const char* name;
  uint16_t first_src_port;  // ports of the first packet, which decide Zeek's creation flip
  uint16_t first_dst_port;
  std::vector<Seg> segs;
  const char* conn_state;
  const char* history;
  int64_t orig_size = -1;  // -1: not checked
  int64_t resp_size = -1;
  // Where Zeek's own arithmetic gives another answer at one ISN pair (see the scenario).
  const char* override_isn = nullptr;
  const char* override_conn_state = nullptr;
  int64_t override_orig_size = -1;
};

Seg rep(Seg s, int n) {
  s.repeat = n;
  return s;
}
Seg bad(Seg s) {
  s.bad_checksum = true;
  return s;
}
Seg win(Seg s, uint16_t w) {
  s.window = w;
  return s;
}
Seg lost(Seg s) {
  s.captured = false;
  return s;
}

// The common handshake: SYN, SYN-ACK, ACK (TCPSessionAdapter::UpdateInactiveState: orig
// SYN -> SYN_SENT; resp SYN-ACK -> both ESTABLISHED; update_history: 'S', 'h', 'A').
std::vector<Seg> handshake_then(std::vector<Seg> rest) {
  std::vector<Seg> v = {{'O', S, 0}, {'R', S | A, 0, 1}, {'O', A, 1, 1}};
  v.insert(v.end(), rest.begin(), rest.end());
  return v;
}

std::vector<Scenario> scenarios() {
  return {
      // ---- conn_state values (scripts/base/protocols/conn/main.zeek conn_state()) ----------
      // Data both ways, FIN both ways. 'D'/'d' once per direction (HIST_DATA_PKT), 'a' from
      // the responder's pure ACK, the originator's later pure ACK adds nothing (HIST_ACK_PKT
      // already set); FINs move ESTABLISHED -> CLOSED (UpdateEstablishedState): SF.
      // Sizes (TCP_Endpoint::Size): max(last, ack) - start - SYN octet - FIN octet.
      {"SF_normal", 40000, 80,
       handshake_then({{'O', P | A, 1, 1, 10},
                       {'R', A, 1, 11},
                       {'R', P | A, 1, 11, 20},
                       {'O', A, 11, 21},
                       {'O', F | A, 11, 21},
                       {'R', F | A, 21, 12},
                       {'O', A, 12, 22}}),
       "SF", "ShADadFf", 10, 20},
      // A lone SYN: orig SYN_SENT, resp INACTIVE -> S0.
      {"S0_lone_syn", 40000, 80, {{'O', S, 0}}, "S0", "S"},
      // Retransmitted SYNs with the same ISN: CheckHistory(HIST_SYN_PKT) is set and rel_seq
      // equals hist_last_SYN, so no second 'S'.
      {"S0_syn_retransmitted", 40000, 80, {rep({'O', S, 0}, 3)}, "S0", "S"},
      // SYN answered by RST-ACK (seq 0, window 0): resp INACTIVE -> RESET; orig still
      // SYN_SENT -> REJ. A zero window in a RST is not a 'w' (update_window: ! flags.RST()).
      {"REJ_rst_ack",
       40000,
       80,
       {{'O', S, 0}, win({'R', R | A, 0, 1, 0, 0, false, true}, 0)},
       "REJ",
       "Sr"},
      // Established, data, no close -> S1.
      {"S1_established", 40000, 80, handshake_then({{'O', P | A, 1, 1, 5}, {'R', A, 1, 6}}), "S1",
       "ShADa"},
      // Only the originator's FIN: os CLOSED, rs ESTABLISHED -> S2.
      {"S2_orig_fin", 40000, 80, handshake_then({{'O', F | A, 1, 1}}), "S2", "ShAF"},
      // Only the responder's FIN: rs CLOSED, os ESTABLISHED -> S3.
      {"S3_resp_fin", 40000, 80, handshake_then({{'R', F | A, 1, 1}}), "S3", "ShAf"},
      // Originator RST after establishment: os RESET, rs ESTABLISHED -> RSTO.
      {"RSTO", 40000, 80, handshake_then({{'O', R, 1}}), "RSTO", "ShAR"},
      // Responder RST after establishment: rs RESET, os ESTABLISHED -> RSTR.
      {"RSTR", 40000, 80, handshake_then({{'R', R, 1}}), "RSTR", "ShAr"},
      // SYN then RST from the originator (UpdateSYN_SentState): os RESET, rs INACTIVE and
      // the history matches /\^?S[^HAFGIQ]*R.*/ -> RSTOS0.
      {"RSTOS0", 40000, 80, {{'O', S, 0}, {'O', R, 1}}, "RSTOS0", "SR"},
      // Same, but an 'A' between S and R fails the pattern -> OTH.
      {"OTH_syn_ack_rst_no_reply",
       40000,
       80,
       {{'O', S, 0}, {'O', A, 1, 1}, {'O', R, 1}},
       "OTH",
       "SAR"},
      // First packet a SYN-ACK from port 80 (WantConnection flips: '^'); it is the
      // responder's ('h'); its RST ('r'): rs RESET, os INACTIVE -> RSTRH.
      {"RSTRH_synack_first", 80, 40000, {{'R', S | A, 0, 1}, {'R', R, 1}}, "RSTRH", "^hr"},
      // SYN then FIN from the originator: SYN_SENT -> CLOSED, rs INACTIVE -> SH.
      {"SH_syn_fin", 40000, 80, {{'O', S, 0}, {'O', F, 1}}, "SH", "SF"},
      // Flipped SYN-ACK then the responder's FIN: rs CLOSED, os INACTIVE -> SHR.
      {"SHR_synack_first_fin", 80, 40000, {{'R', S | A, 0, 1}, {'R', F | A, 1, 1}}, "SHR", "^hf"},
      // Flipped SYN-ACK then the originator's pure ACK: UpdateInactiveState's "missed the
      // SYN" branch makes the originator ESTABLISHED -> S1.
      {"S1_synack_first_then_ack", 80, 40000, {{'R', S | A, 0, 1}, {'O', A, 1, 1}}, "S1", "^hA"},
      // Midstream: data without SYN from a client port (no flip), then an ACK: both PARTIAL
      // -> OTH.
      {"OTH_midstream", 40000, 80, {{'O', P | A, 1, 1, 10}, {'R', A, 1, 11}}, "OTH", "Da"},
      // A responder that acks the SYN before its SYN-ACK stays INACTIVE (the
      // "ftp.microsoft.com" case), then the SYN-ACK establishes -> S1.
      {"S1_ack_before_synack",
       40000,
       80,
       {{'O', S, 0}, {'R', A, 0, 1}, {'R', S | A, 0, 1}, {'O', A, 1, 1}},
       "S1",
       "SahA"},

      // ---- history letters -------------------------------------------------------------
      // Bad checksum (TCPAnalyzer::ValidateChecksum -> ChecksumError): 'C', the packet is
      // dropped, so its good copy is new data ('D') and not a retransmission.
      {"C_bad_checksum_orig", 40000, 80,
       handshake_then({bad({'O', P | A, 1, 1, 10}), {'O', P | A, 1, 1, 10}, {'R', A, 1, 11}}), "S1",
       "ShACDa"},
      {"c_bad_checksum_resp",
       40000,
       80,
       {{'O', S, 0}, bad({'R', S | A, 0, 1}), {'R', S | A, 0, 1}, {'O', A, 1, 1}},
       "S1",
       "SchA"},
      // The same data twice: update_last_seq sees delta_last <= 0 with len > 0 -> DidRxmit.
      {"T_retransmission", 40000, 80,
       handshake_then({{'O', P | A, 1, 1, 10},
                       {'O', P | A, 1, 1, 10},
                       {'R', A, 1, 11},
                       {'O', F | A, 11, 1},
                       {'R', F | A, 1, 12},
                       {'O', A, 12, 2}}),
       "SF", "ShADTaFf"},
      {"t_retransmission_resp", 40000, 80,
       handshake_then({{'R', P | A, 1, 1, 5}, {'R', P | A, 1, 1, 5}}), "S1", "ShAdt"},
      // Data arriving late (below the highest seq seen) also counts as 'T' in Zeek.
      {"T_out_of_order_no_gap", 40000, 80,
       handshake_then({{'O', P | A, 11, 1, 10}, {'O', P | A, 1, 1, 10}, {'R', A, 1, 21}}), "S1",
       "ShADTa"},
      // A keep-alive probe (one old byte at last_seq - 1) does not advance last_seq: 'T'.
      // ignore_keep_alive_rexmit only affects the disabled TCPStats analyzer, not history.
      {"T_keepalive_probe", 40000, 80,
       handshake_then(
           {{'O', P | A, 1, 1, 10}, {'R', A, 1, 11}, {'O', A, 10, 1, 1}, {'R', A, 1, 11}}),
       "S1", "ShADaT"},
      // Zero windows (update_window -> ZeroWindow): 'w' after the 'a' of the same packet.
      {"W_zero_window", 40000, 80,
       handshake_then({{'O', P | A, 1, 1, 10},
                       win({'R', A, 1, 11}, 0),
                       win({'R', A, 1, 11}, 8192),
                       win({'O', A, 11, 1}, 0)}),
       "S1", "ShADawW"},
      // A zero window after the peer's FIN is not recorded.
      {"W_ignored_after_peer_fin", 40000, 80,
       handshake_then({{'O', F | A, 1, 1}, win({'R', A, 1, 2}, 0)}), "S2", "ShAFa"},
      // SYN+FIN: HIST_MULTI_FLAG_PKT 'Q'; SYN_SENT then CLOSED -> SH.
      {"Q_syn_fin", 40000, 80, {{'O', S | F, 0}}, "SH", "Q"},
      // FIN+RST: HIST_FIN_RST_PKT 'I'; the RST resets -> RSTO.
      {"I_fin_rst", 40000, 80, handshake_then({{'O', F | R | A, 1, 1}}), "RSTO", "ShAI"},
      // A second FIN whose end differs from hist_last_FIN adds another 'F'.
      {"F_repeated_new_seq", 40000, 80, handshake_then({{'O', F | A, 1, 1}, {'O', F | A, 1, 1, 4}}),
       "S2", "ShAFF"},
      // The same RST twice adds one 'R' (rel_seq == hist_last_RST).
      {"R_repeated_same_seq", 40000, 80, handshake_then({{'O', R, 1}, {'O', R, 1}}), "RSTO",
       "ShAR"},
      // SYN/SYN-ACK reversal between two non-server ports (no creation flip): the SYN-ACK
      // sender becomes SYN_ACK_SENT ('H'), the peer's SYN ('s') makes UpdateInactiveState
      // flip roles ('^'); afterwards the client is Zeek's originator ('A'), the server the
      // responder ('d').
      {"flip_syn_synack_reversal",
       50000,
       40000,
       {{'O', S | A, 0, 1}, {'R', S, 0}, {'R', A, 1, 1}, {'O', P | A, 1, 1, 5}},
       "S1",
       "Hs^Ad"},
      // ---- the late flip (TCP_Endpoint::CheckHistory, Zeek 5.1+, zeek/zeek#2191) ---------
      // A first SYN-ACK between two non-server ports is not flipped at creation: its sender
      // is the originator, SYN_ACK_SENT, history "H". The receiver's pure ACK finds the
      // history still "H": roles flip, the history becomes "^h", and the ACK is the new
      // originator's 'A'. UpdateInactiveState still gets Process's stale is_orig (false), and
      // the peer is SYN_ACK_SENT, not ESTABLISHED, so the acker becomes PARTIAL. Data from the
      // SYN-ACK's sender is now the responder's 'd' (UpdateSYN_SentState: a weird only); the
      // FINs close PARTIAL (UpdateEstablishedState) and SYN_ACK_SENT (UpdateSYN_SentState)
      // -> SF. Sizes: the acker sent only its FIN (0), the SYN-ACK's sender 10 bytes.
      {"late_flip_ack_from_synack_receiver",
       50000,
       40000,
       {{'O', S | A, 0, 1},
        {'R', A, 1, 1},
        {'O', P | A, 1, 1, 10},
        {'R', A, 1, 11},
        {'R', F | A, 1, 11},
        {'O', F | A, 11, 2},
        {'R', A, 2, 12}},
       "SF",
       "^hAdFf",
       0,
       10},
      // The SYN-ACK's sender's own ACK also flips ("in either direction"): its ACK and FIN
      // are then the responder's 'a' and 'f' (the one-sided capture of zeek/zeek#5047 logs
      // "^haf"); the acker never spoke, so rs CLOSED with os INACTIVE -> SHR.
      {"late_flip_ack_from_synack_sender",
       50000,
       40000,
       {{'O', S | A, 0, 1}, {'O', A, 1, 1}, {'O', F | A, 1, 1}},
       "SHR",
       "^haf"},
      // Data (not only a pure ACK) flips too.
      {"late_flip_data_from_synack_receiver",
       50000,
       40000,
       {{'O', S | A, 0, 1}, {'R', P | A, 1, 1, 7}},
       "OTH",
       "^hD"},
      // A stealth scan's SYN-ACK draws a RST, which does not flip: resp RESET with orig
      // SYN_ACK_SENT -> REJ.
      {"no_late_flip_after_rst", 50000, 40000, {{'O', S | A, 0, 1}, {'R', R, 1}}, "REJ", "Hr"},
      // Once anything else was recorded the history is no longer just "H": no flip.
      {"no_late_flip_once_history_grew",
       50000,
       40000,
       {{'O', S | A, 0, 1}, bad({'R', A, 1, 1}), {'R', A, 1, 1}},
       "OTH",
       "Hca"},
      // A SYN-ACK retransmitted with the same sequence number adds no letter (hist_last_SYN),
      // so the ACK after it still flips.
      {"late_flip_after_synack_retransmission",
       50000,
       40000,
       {{'O', S | A, 0, 1}, {'O', S | A, 0, 1}, {'R', A, 1, 1}},
       "OTH",
       "^hA"},

      // Content gap (TCP_Reassembler::Undelivered -> Gap): the ack covers 10 bytes never
      // seen, both sides ESTABLISHED -> 'G' for the sender of the missing data.
      {"G_content_gap", 40000, 80,
       handshake_then({{'O', P | A, 1, 1, 10}, {'O', P | A, 21, 1, 10}, {'R', A, 1, 31}}), "S1",
       "ShADaG"},
      // Payload cut by the snaplen never reaches the reassembler (TCP_Endpoint::DataSent).
      {"G_payload_not_captured", 40000, 80,
       handshake_then({lost({'O', P | A, 1, 1, 100}), {'R', A, 1, 101}}), "S1", "ShADaG"},

      // The reassembler gives up when more than tcp_max_above_hole_without_any_acks
      // (16384) bytes sit above a hole and none of the sender's data was acked
      // (TCP_Reassembler::DataSent -> skip_deliveries); later acks report no gap.
      {"G_suppressed_after_reassembler_gives_up", 40000, 80,
       handshake_then({{'O', P | A, 1, 1, 10}, {'O', P | A, 100, 1, 20000}, {'R', A, 1, 20100}}),
       "S1", "ShADa"},
      // Two midstream RSTs: both RESET with zero sizes (TCP_Endpoint::Size) -> REJ.
      {"REJ_two_midstream_rsts", 40000, 80, {{'O', R, 1}, {'R', R, 1}}, "REJ", "Rr", 0, 0},
      // The originator sent 10 bytes first, so its size is 10 and it is RSTR instead.
      // Zeek quirk, reproduced: when the first seen byte is seq 0, init_endpoint() sets
      // start_seq = 0xFFFFFFFF and last_seq = 0 without counting a wrap, and with no ack
      // ever seen Size() = max(last, ack) - start = 0xFFFFFFFF - 0xFFFFFFFF = 0 -> REJ.
      {"RSTR_midstream_data_then_rsts",
       40000,
       80,
       {{'O', P | A, 1, 1, 10}, {'O', R, 11}, {'R', R, 1}},
       "RSTR",
       "DRr",
       10,
       0,
       "at_wrap",
       "REJ",
       0},

      // ---- repeated letters: 1st, 10th, 100th occurrence (ScaledHistoryEntry) --------------
      {"T_x9", 40000, 80, handshake_then({{'O', P | A, 1, 1, 10}, rep({'O', P | A, 1, 1, 10}, 9)}),
       "S1", "ShADT"},
      {"T_x10", 40000, 80,
       handshake_then({{'O', P | A, 1, 1, 10}, rep({'O', P | A, 1, 1, 10}, 10)}), "S1", "ShADTT"},
      {"T_x99", 40000, 80,
       handshake_then({{'O', P | A, 1, 1, 10}, rep({'O', P | A, 1, 1, 10}, 99)}), "S1", "ShADTT"},
      {"T_x100", 40000, 80,
       handshake_then({{'O', P | A, 1, 1, 10}, rep({'O', P | A, 1, 1, 10}, 100)}), "S1", "ShADTTT"},
      {"C_x10_only_bad_syns", 40000, 80, {rep(bad({'O', S, 0}), 10)}, "OTH", "CC"},
      {"w_x10", 40000, 80, handshake_then({rep(win({'R', A, 1, 1}, 0), 10)}), "S1", "ShAaww"},
  };
}

struct IsnPair {
  const char* name;
  uint32_t orig;
  uint32_t resp;
};

const IsnPair kIsns[] = {
    {"low", 1000, 5000},
    {"near_wrap", 0xFFFFFFF0U, 0xFFFFFFF8U},
    {"at_wrap", 0xFFFFFFFFU, 0xFFFFFFFEU},
    {"sign_boundary", 0x7FFFFFFFU, 0x80000000U},
};

// Feeds a scenario the way an analyzer would: creation flip decided by the first packet.
ZeekConn run(const Scenario& sc, const IsnPair& isn, std::vector<ZeekSegmentOutcome>* outcomes) {
  ZeekConn z;
  const Seg& first = sc.segs.front();
  const bool flips = zeek_first_packet_flips(first.flags, sc.first_src_port, sc.first_dst_port);
  // The scenario tables label a flipped connection's first packet as the responder's.
  EXPECT_EQ(flips, first.dir == 'R') << "scenario direction labels disagree with the flip";
  if (flips) z.flip();
  for (const Seg& s : sc.segs) {
    const bool from_orig = s.dir == 'O';
    const uint32_t own = from_orig ? isn.orig : isn.resp;
    const uint32_t other = from_orig ? isn.resp : isn.orig;
    const uint32_t seq = s.abs_seq ? s.seq_off : own + s.seq_off;
    const uint32_t ack = (s.flags & kAck) ? other + s.ack_off : 0;
    for (int i = 0; i < s.repeat; ++i) {
      const auto out =
          z.on_segment(from_orig, s.flags, seq, ack, s.len, s.window, s.bad_checksum, s.captured);
      if (outcomes != nullptr) outcomes->push_back(out);
    }
  }
  return z;
}

class ZeekScenario : public ::testing::TestWithParam<std::tuple<Scenario, IsnPair>> {};

TEST_P(ZeekScenario, ConnStateAndHistory) {
  const auto& [sc, isn] = GetParam();
  const ZeekConn z = run(sc, isn, nullptr);
  const bool overridden =
      sc.override_isn != nullptr && std::string_view(sc.override_isn) == isn.name;
  EXPECT_EQ(z.conn_state(), overridden ? sc.override_conn_state : sc.conn_state);
  EXPECT_EQ(z.history(), sc.history);
  EXPECT_FALSE(z.history_truncated());
  const int64_t orig_size = overridden ? sc.override_orig_size : sc.orig_size;
  if (orig_size >= 0) {
    EXPECT_EQ(z.orig_size(), static_cast<uint64_t>(orig_size));
  }
  if (sc.resp_size >= 0) {
    EXPECT_EQ(z.resp_size(), static_cast<uint64_t>(sc.resp_size));
  }
}

INSTANTIATE_TEST_SUITE_P(Zeek, ZeekScenario,
                         ::testing::Combine(::testing::ValuesIn(scenarios()),
                                            ::testing::ValuesIn(kIsns)),
                         [](const ::testing::TestParamInfo<ZeekScenario::ParamType>& info) {
                           return std::string(std::get<0>(info.param).name) + "_" +
                                  std::get<1>(info.param).name;
                         });

const Scenario& find(std::string_view name) {
  static const std::vector<Scenario> all = scenarios();
  for (const Scenario& s : all) {
    if (name == s.name) return s;
  }
  ADD_FAILURE() << "no scenario " << name;
  return all.front();
}

TEST(ZeekConn, EndpointStatesOfNormalClose) {
  for (const IsnPair& isn : kIsns) {
    SCOPED_TRACE(isn.name);
    const ZeekConn z = run(find("SF_normal"), isn, nullptr);
    EXPECT_EQ(z.orig_state(), ZeekEndpointState::Closed);
    EXPECT_EQ(z.resp_state(), ZeekEndpointState::Closed);
    EXPECT_EQ(zeek_endpoint_state_name(z.orig_state()), "TCP_CLOSED");
  }
}

TEST(ZeekConn, ReversalReportsTheFlipAndMapsLaterSegments) {
  for (const IsnPair& isn : kIsns) {
    SCOPED_TRACE(isn.name);
    std::vector<ZeekSegmentOutcome> out;
    const ZeekConn z = run(find("flip_syn_synack_reversal"), isn, &out);
    ASSERT_EQ(out.size(), 4U);
    EXPECT_EQ(out[0], ZeekSegmentOutcome::Processed);
    EXPECT_EQ(out[1], ZeekSegmentOutcome::RolesFlipped);
    EXPECT_EQ(out[2], ZeekSegmentOutcome::Processed);
    EXPECT_TRUE(z.zeek_roles_swapped());
    EXPECT_EQ(z.orig_state(), ZeekEndpointState::Established);
    EXPECT_EQ(z.resp_state(), ZeekEndpointState::Established);
  }
}

TEST(ZeekConn, LateFlipReportsTheFlipAndMapsLaterSegments) {
  for (const IsnPair& isn : kIsns) {
    SCOPED_TRACE(isn.name);
    std::vector<ZeekSegmentOutcome> out;
    const ZeekConn z = run(find("late_flip_ack_from_synack_receiver"), isn, &out);
    ASSERT_EQ(out.size(), 7U);
    EXPECT_EQ(out[0], ZeekSegmentOutcome::Processed);
    EXPECT_EQ(out[1], ZeekSegmentOutcome::RolesFlipped);
    EXPECT_EQ(out[2], ZeekSegmentOutcome::Processed);
    EXPECT_TRUE(z.zeek_roles_swapped());  // Zeek's originator is the table's 'R'
    EXPECT_EQ(z.orig_state(), ZeekEndpointState::Closed);
    EXPECT_EQ(z.resp_state(), ZeekEndpointState::Closed);
  }
}

// A caller that names the first SYN-ACK's sender the server (handshake evidence) while Zeek
// keeps it as originator: swap_caller_frame() maps the sides without a letter; the late flip
// then brings Zeek's roles back in line with the caller's.
TEST(ZeekConn, SwappedCallerFrameMeetsTheLateFlip) {
  for (const IsnPair& isn : kIsns) {
    SCOPED_TRACE(isn.name);
    ZeekConn z;
    z.swap_caller_frame();
    EXPECT_TRUE(z.zeek_roles_swapped());
    // The caller's server (is_orig = false) sends the SYN-ACK: Zeek's originator, 'H'.
    EXPECT_EQ(z.on_segment(false, S | A, isn.resp, isn.orig + 1, 0, 1000, false),
              ZeekSegmentOutcome::Processed);
    EXPECT_EQ(z.history(), "H");
    EXPECT_EQ(z.orig_state(), ZeekEndpointState::SynAckSent);
    // The caller's client acknowledges it: the late flip.
    EXPECT_EQ(z.on_segment(true, A, isn.orig + 1, isn.resp + 1, 0, 1000, false),
              ZeekSegmentOutcome::RolesFlipped);
    EXPECT_EQ(z.history(), "^hA");
    EXPECT_FALSE(z.zeek_roles_swapped());
    EXPECT_EQ(z.orig_state(), ZeekEndpointState::Partial);
    EXPECT_EQ(z.resp_state(), ZeekEndpointState::SynAckSent);
    // The client's data is the originator's.
    z.on_segment(true, P | A, isn.orig + 1, isn.resp + 1, 5, 1000, false);
    EXPECT_EQ(z.history(), "^hAD");
  }
}

TEST(ZeekConn, SwapCallerFrameRecordsNothing) {
  ZeekConn z;
  z.swap_caller_frame();
  EXPECT_EQ(z.history(), "");
  z.on_segment(true, S, 1000, 0, 0, 1000, false);  // the caller's originator: Zeek's responder
  EXPECT_EQ(z.history(), "s");
  // UpdateInactiveState: a responder's SYN with no SYN-ACK before it ("simultaneous_open"
  // weird) still sets the responder ESTABLISHED; the originator never spoke.
  EXPECT_EQ(z.resp_state(), ZeekEndpointState::Established);
  EXPECT_EQ(z.orig_state(), ZeekEndpointState::Inactive);
}

TEST(ZeekConn, BadChecksumIsDroppedBeforeTheStateMachine) {
  ZeekConn z;
  EXPECT_EQ(z.on_segment(true, S, 100, 0, 0, 1000, true), ZeekSegmentOutcome::ChecksumDropped);
  EXPECT_EQ(z.orig_state(), ZeekEndpointState::Inactive);
  EXPECT_EQ(z.history(), "C");
  EXPECT_EQ(z.conn_state(), "OTH");
}

TEST(ZeekConn, EmptyConnection) {
  const ZeekConn z;
  EXPECT_EQ(z.history(), "");
  EXPECT_EQ(z.conn_state(), "OTH");
  EXPECT_FALSE(z.zeek_roles_swapped());
}

// TCPSessionAdapter::IsReuse.
TEST(ZeekConn, ReuseOnlyForANewSyn) {
  for (const IsnPair& isn : kIsns) {
    SCOPED_TRACE(isn.name);
    ZeekConn z;
    z.on_segment(true, S, isn.orig, 0, 0, 1000, false);
    EXPECT_FALSE(z.is_reuse(S, isn.orig));        // retransmitted SYN
    EXPECT_TRUE(z.is_reuse(S, isn.orig + 5000));  // a new ISN on an open connection
    EXPECT_FALSE(z.is_reuse(A, isn.orig + 1));    // only SYNs
    EXPECT_FALSE(z.is_reuse(S | A, isn.resp));    // SYN-ACK: originator already spoke
  }
}

// Zeek quirk: a dropped bad-checksum SYN initialised nothing (start_seq 0), so the good
// retransmission does not match the originator's ISN and starts a new connection.
TEST(ZeekConn, GoodSynAfterBadChecksumSynIsAReuse) {
  for (const IsnPair& isn : kIsns) {
    SCOPED_TRACE(isn.name);
    if (isn.orig == 0) continue;
    ZeekConn z;
    z.on_segment(true, S, isn.orig, 0, 0, 1000, true);
    EXPECT_TRUE(z.is_reuse(S, isn.orig));
  }
}

TEST(ZeekConn, ReuseAfterClose) {
  for (const IsnPair& isn : kIsns) {
    SCOPED_TRACE(isn.name);
    const ZeekConn z = run(find("SF_normal"), isn, nullptr);
    EXPECT_TRUE(z.is_reuse(S, isn.orig));  // IsClosed(): even the same ISN starts anew
  }
}

TEST(ZeekConn, NoReuseForTheSynAnsweringAnEarlierSynAck) {
  for (const IsnPair& isn : kIsns) {
    SCOPED_TRACE(isn.name);
    ZeekConn z;
    z.on_segment(true, S | A, isn.orig, isn.resp + 1, 0, 1000, false);
    EXPECT_FALSE(z.is_reuse(S, isn.resp));     // the SYN the SYN-ACK acknowledged
    EXPECT_TRUE(z.is_reuse(S, isn.resp + 7));  // some other SYN
  }
}

// After a RST (prev state SYN_SENT) SYNs are not re-based, so each new ISN adds an 'S';
// the history stops growing at kHistoryCapacity.
TEST(ZeekConn, HistoryIsCappedAndSaysSo) {
  ZeekConn z;
  z.on_segment(true, S, 1000, 0, 0, 1000, false);
  z.on_segment(true, R, 1001, 0, 0, 1000, false);
  for (uint32_t i = 0; i < 80; ++i)
    z.on_segment(true, S, 2000 + 10 * i, 0, 0, 1000, false);
  const std::string expected = "SR" + std::string(ZeekConn::kHistoryCapacity - 2, 'S');
  EXPECT_EQ(z.history(), expected);
  EXPECT_TRUE(z.history_truncated());
  EXPECT_EQ(z.conn_state(), "RSTOS0");
}

TEST(ZeekConn, FitsTheMemoryBudget) {
  EXPECT_LE(sizeof(ZeekConn), 256U);
}

// TCPAnalyzer::WantConnection with Zeek's default likely_server_ports.
TEST(ZeekFirstPacket, FlipDecisions) {
  struct Case {
    uint16_t flags;
    uint16_t src;
    uint16_t dst;
    bool flips;
  };
  const Case cases[] = {
      {S, 40000, 80, false},                                // a bare SYN never flips
      {S | A, 80, 40000, true},                             // SYN-ACK from a server port
      {S | A, 40000, 50000, false}, {A, 80, 40000, true},   // midstream from a server port
      {P | A, 443, 51000, true},    {A, 40000, 80, false},  // midstream from a client port
      {A, 80, 443, true},  // both likely servers: flip towards the lower port
      {A, 443, 80, false},          {S | A, 80, 443, false},  // ...but never a SYN-ACK in that case
      {R, 22, 5555, true},          {S | F, 80, 1234, false},  // SYN without ACK counts as a SYN
      {A, 20000, 60000, true},  // DNP3 (registered via Analyzer::register_for_ports)
      {A, 8081, 60000, false},  // not a default server port
  };
  for (const Case& c : cases) {
    EXPECT_EQ(zeek_first_packet_flips(c.flags, c.src, c.dst), c.flips)
        << "flags " << c.flags << " " << c.src << "->" << c.dst;
  }
}

TEST(ZeekFirstPacket, ServerPortList) {
  EXPECT_EQ(kZeekLikelyServerTcpPorts.size(), 47U);
  EXPECT_TRUE(zeek_likely_server_port(21));
  EXPECT_TRUE(zeek_likely_server_port(6669));
  EXPECT_FALSE(zeek_likely_server_port(6670));
  EXPECT_FALSE(zeek_likely_server_port(0));
  EXPECT_FALSE(zeek_likely_server_port(65535));
}

}  // namespace
}  // namespace tcpinspect::core
