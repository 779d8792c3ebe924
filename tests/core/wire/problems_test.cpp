// SPDX-License-Identifier: MIT
// Decode and option problem ids are part of the jsonl format: pinned here, exactly, and
// reached through decode_packet() for a few real frames.
#include "core/wire/problems.hpp"

#include <gtest/gtest.h>

#include <set>
#include <string>
#include <vector>

#include "tests/core/wire/decode_test_util.hpp"

namespace tcpinspect::core {
namespace {

bool snake_case(std::string_view id) {
  if (id.empty() || id.front() == '_' || id.back() == '_') return false;
  for (char c : id)
    if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_')) return false;
  return true;
}

TEST(Problems, DecodeIdsAreStable) {
  // Every enumerator, in order: adding one means adding it here and to docs/json.md.
  const std::vector<std::string_view> ids = {
      "",
      "unsupported_link_type",
      "ethernet_header_cut",
      "vlan_tag_cut",
      "linux_sll_header_cut",
      "linux_sll2_header_cut",
      "loopback_header_cut",
      "ip_header_cut",
      "raw_ip_version_not_4_or_6",
      "ipv4_header_cut",
      "ipv4_header_longer_than_packet",
      "ipv4_options_cut",
      "ipv4_version_not_4",
      "ipv4_header_length_below_20",
      "ipv4_total_length_below_header_length",
      "ipv4_total_length_exceeds_frame",
      "ipv4_total_length_zero",
      "ipv6_header_cut",
      "ipv6_header_longer_than_packet",
      "ipv6_version_not_6",
      "ipv6_payload_length_exceeds_frame",
      "ipv6_payload_length_zero",
      "ipv6_extension_header_longer_than_payload",
      "ipv6_extension_header_cut",
      "ip_payload_shorter_than_tcp_header",
      "tcp_header_cut",
      "tcp_data_offset_below_5",
      "tcp_header_longer_than_ip_payload",
  };
  ASSERT_EQ(ids.size(), static_cast<size_t>(DecodeProblem::kCount));
  for (size_t i = 0; i < ids.size(); ++i)
    EXPECT_EQ(decode_problem_id(static_cast<DecodeProblem>(i)), ids[i]) << i;
}

TEST(Problems, OptionIdsAreStable) {
  const std::vector<std::string_view> ids = {
      "",
      "tcp_option_length_past_header",
      "tcp_option_length_below_2",
      "tcp_option_runs_past_header",
      "tcp_mss_option_length_not_4",
      "tcp_window_scale_option_length_not_3",
      "tcp_sack_permitted_option_length_not_2",
      "tcp_sack_option_length_invalid",
      "tcp_timestamps_option_length_not_10",
      "tcp_fast_open_option_too_long",
      "tcp_experimental_fast_open_option_too_long",
  };
  ASSERT_EQ(ids.size(), static_cast<size_t>(TcpOptionProblem::kCount));
  for (size_t i = 0; i < ids.size(); ++i)
    EXPECT_EQ(tcp_option_problem_id(static_cast<TcpOptionProblem>(i)), ids[i]) << i;
}

TEST(Problems, IdsAreUniqueSnakeCaseAndEveryOneHasProse) {
  std::set<std::string_view> seen;
  for (const auto& e : kDecodeProblems) {
    if (e.value == DecodeProblem::None) continue;
    EXPECT_TRUE(snake_case(e.id)) << e.id;
    EXPECT_FALSE(e.text.empty()) << e.id;
    EXPECT_TRUE(seen.insert(e.id).second) << e.id;
  }
  for (const auto& e : kTcpOptionProblems) {
    if (e.value == TcpOptionProblem::None) continue;
    EXPECT_TRUE(snake_case(e.id)) << e.id;
    EXPECT_FALSE(e.text.empty()) << e.id;
    EXPECT_TRUE(seen.insert(e.id).second) << e.id;  // one namespace in jsonl `problems`
  }
  EXPECT_EQ(enum_from_id<DecodeProblem>(kDecodeProblems, "tcp_header_cut"),
            DecodeProblem::TcpHeaderCut);
  EXPECT_EQ(enum_from_id<DecodeProblem>(kDecodeProblems, "no_such_problem"), std::nullopt);
}

TEST(Problems, DecodeSetsIdAndProse) {
  // IPv4 total length 100 in a 40-byte frame that was 40 bytes on the wire: decoded anyway
  // (the frame's length is taken), and the problem is kept beside the Tcp result.
  auto frame = test_util::ipv4_tcp_with_options({}, 0);
  frame[2] = 0;
  frame[3] = 100;
  auto p = test_util::decode(LinkType::Raw, frame, false);
  EXPECT_EQ(p.result, DecodeResult::Tcp);
  EXPECT_EQ(p.problem_id, DecodeProblem::Ipv4TotalLengthExceedsFrame);
  EXPECT_STREQ(p.problem, "IPv4 total length exceeds the frame: length taken from the frame");
  EXPECT_TRUE(decode_problem_tolerated(p.problem_id));

  // Total length below the header length still stops decoding.
  frame[3] = 12;
  p = test_util::decode(LinkType::Raw, frame, false);
  EXPECT_EQ(p.result, DecodeResult::Malformed);
  EXPECT_EQ(p.problem_id, DecodeProblem::Ipv4TotalLengthBelowHeader);
  EXPECT_FALSE(decode_problem_tolerated(p.problem_id));

  // Data offset 3: the id is general, the prose keeps the value.
  frame = test_util::ipv4_tcp_with_options({}, 0);
  frame[20 + 12] = 3 << 4;
  p = test_util::decode(LinkType::Raw, frame, false);
  EXPECT_EQ(p.result, DecodeResult::Malformed);
  EXPECT_EQ(decode_problem_id(p.problem_id), "tcp_data_offset_below_5");
  EXPECT_STREQ(p.problem, "TCP data offset 3 < 5");

  // A good frame has neither.
  p = test_util::decode(LinkType::Raw, test_util::ipv4_tcp_with_options({}, 0), false);
  EXPECT_EQ(p.result, DecodeResult::Tcp);
  EXPECT_EQ(p.problem_id, DecodeProblem::None);
  EXPECT_EQ(p.problem, nullptr);
}

}  // namespace
}  // namespace tcpinspect::core
