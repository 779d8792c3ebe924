// SPDX-License-Identifier: MIT
// TCP options (RFC 9293 3.2, RFC 7323, RFC 2018, RFC 7413): each kind and each bad length.
#include <gtest/gtest.h>

#include "tests/core/wire/decode_test_util.hpp"

namespace tcpinspect::core {
namespace {

using test_util::ipv4_tcp_with_options;

// Decodes a raw IPv4 + TCP frame carrying `opts`; the segment must stay Tcp whatever the
// options say (graceful degradation).
TcpOptions options_of(const std::vector<uint8_t>& opts) {
  const auto frame = ipv4_tcp_with_options(opts, 3);
  const auto p = test_util::decode(LinkType::Raw, frame, /*verify=*/false);
  EXPECT_EQ(p.result, DecodeResult::Tcp) << test_util::problem(p);
  EXPECT_EQ(p.payload_len, 3u);
  return p.tcp.options;
}

std::vector<uint8_t> kinds_of(const TcpOptions& o) {
  return {o.kinds.begin(), o.kinds.begin() + o.kind_count};
}

TEST(DecodeOptions, Mss) {
  const auto o = options_of({2, 4, 0x05, 0xb4});  // MSS 1460
  EXPECT_TRUE(o.has_mss);
  EXPECT_EQ(o.mss, 1460);
  EXPECT_EQ(o.problem, TcpOptionProblem::None);
  EXPECT_EQ(kinds_of(o), (std::vector<uint8_t>{2}));
}

TEST(DecodeOptions, WindowScaleKeepsRawShift) {
  const auto o = options_of({1, 3, 3, 14});  // NOP, WS 14
  EXPECT_TRUE(o.has_window_scale);
  EXPECT_EQ(o.window_scale, 14);
  const auto big = options_of({1, 3, 3, 15});  // > 14 is for analysis to flag
  EXPECT_EQ(big.window_scale, 15);
  EXPECT_EQ(big.problem, TcpOptionProblem::None);
}

TEST(DecodeOptions, SackPermitted) {
  const auto o = options_of({1, 1, 4, 2});
  EXPECT_TRUE(o.sack_permitted);
  EXPECT_EQ(kinds_of(o), (std::vector<uint8_t>{1, 1, 4}));
}

TEST(DecodeOptions, SackOneBlock) {
  const auto o = options_of({1, 1, 5, 10,               // NOP NOP SACK len 10
                             0x00, 0x00, 0x10, 0x00,    // left 4096
                             0x00, 0x00, 0x20, 0x00});  // right 8192
  ASSERT_EQ(o.sack_block_count, 1);
  EXPECT_EQ(o.sack_blocks[0].left, 4096u);
  EXPECT_EQ(o.sack_blocks[0].right, 8192u);
}

TEST(DecodeOptions, SackFourBlocksAcrossWrap) {
  const auto o = options_of({1,    1,    5,    34,                            // NOP NOP SACK len 34
                             0xff, 0xff, 0xff, 0x00, 0x00, 0x00, 0x00, 0x10,  // wraps
                             0x00, 0x00, 0x01, 0x00, 0x00, 0x00, 0x02, 0x00,  // 256-512
                             0x00, 0x00, 0x03, 0x00, 0x00, 0x00, 0x04, 0x00,  // 768-1024
                             0x80, 0x00, 0x00, 0x00, 0x80, 0x00, 0x00, 0x01});  // 2^31
  ASSERT_EQ(o.sack_block_count, 4);
  EXPECT_EQ(o.sack_blocks[0].left, 0xffffff00u);
  EXPECT_EQ(o.sack_blocks[0].right, 0x10u);
  EXPECT_EQ(o.sack_blocks[1].left, 256u);
  EXPECT_EQ(o.sack_blocks[2].right, 1024u);
  EXPECT_EQ(o.sack_blocks[3].left, 0x80000000u);
  EXPECT_EQ(o.sack_blocks[3].right, 0x80000001u);
  EXPECT_EQ(o.problem, TcpOptionProblem::None);
}

TEST(DecodeOptions, Timestamps) {
  const auto o = options_of({1, 1, 8, 10, 0xde, 0xad, 0xbe, 0xef, 0x00, 0x00, 0x00, 0x07});
  EXPECT_TRUE(o.has_timestamps);
  EXPECT_EQ(o.ts_val, 0xdeadbeefu);
  EXPECT_EQ(o.ts_ecr, 7u);
}

TEST(DecodeOptions, FastOpenCookie) {
  const auto o = options_of({34, 10, 0xc1, 0xc2, 0xc3, 0xc4, 0xc5, 0xc6, 0xc7, 0xc8, 1, 1});
  EXPECT_TRUE(o.has_fast_open);
  ASSERT_EQ(o.fast_open_cookie_len, 8);
  EXPECT_EQ(o.fast_open_cookie[0], 0xc1);
  EXPECT_EQ(o.fast_open_cookie[7], 0xc8);
  EXPECT_EQ(o.fast_open_cookie[8], 0);
  EXPECT_EQ(kinds_of(o), (std::vector<uint8_t>{34, 1, 1}));
}

TEST(DecodeOptions, FastOpenCookieRequest) {
  const auto o = options_of({2, 4, 0x05, 0xb4, 34, 2, 1, 1});
  EXPECT_TRUE(o.has_fast_open);
  EXPECT_EQ(o.fast_open_cookie_len, 0);
  EXPECT_EQ(o.mss, 1460);
}

TEST(DecodeOptions, FastOpenLongestCookie) {
  std::vector<uint8_t> opt = {34, 18};
  for (uint8_t i = 0; i < 16; ++i)
    opt.push_back(i + 1);
  opt.insert(opt.end(), {1, 1});
  const auto o = options_of(opt);
  ASSERT_EQ(o.fast_open_cookie_len, 16);
  EXPECT_EQ(o.fast_open_cookie[15], 16);
}

TEST(DecodeOptions, ExperimentalFastOpen) {
  const auto o = options_of({254, 8, 0xf9, 0x89, 0xaa, 0xbb, 0xcc, 0xdd});
  EXPECT_TRUE(o.has_fast_open);
  ASSERT_EQ(o.fast_open_cookie_len, 4);
  EXPECT_EQ(o.fast_open_cookie[0], 0xaa);
  EXPECT_EQ(o.fast_open_cookie[3], 0xdd);
  // Another experiment on kind 254 is listed but not parsed.
  const auto other = options_of({254, 4, 0x12, 0x34});
  EXPECT_FALSE(other.has_fast_open);
  EXPECT_EQ(other.problem, TcpOptionProblem::None);
  EXPECT_EQ(kinds_of(other), (std::vector<uint8_t>{254}));
}

TEST(DecodeOptions, UnknownKindKeptAndSkipped) {
  // MPTCP (30) with 4 bytes of data, then an MSS that must still be found.
  const auto o = options_of({30, 6, 0x00, 0x81, 0x00, 0x00, 2, 4, 0x02, 0x18});
  EXPECT_EQ(o.problem, TcpOptionProblem::None);
  EXPECT_EQ(kinds_of(o), (std::vector<uint8_t>{30, 2, 0}));  // builder pads with EOL
  EXPECT_EQ(o.mss, 536);
}

TEST(DecodeOptions, EolStopsParsing) {
  const auto o = options_of({1, 0, 2, 4, 0x05, 0xb4, 0, 0});
  EXPECT_FALSE(o.has_mss);
  EXPECT_EQ(kinds_of(o), (std::vector<uint8_t>{1, 0}));
  EXPECT_EQ(o.problem, TcpOptionProblem::None);
}

TEST(DecodeOptions, FortyNops) {
  const auto o = options_of(std::vector<uint8_t>(40, 1));
  EXPECT_EQ(o.kind_count, 40);
  EXPECT_EQ(o.problem, TcpOptionProblem::None);
}

struct BadCase {
  std::vector<uint8_t> opts;
  // The stable id (what jsonl shows) and the text for people, both pinned here.
  std::string_view id;
  std::string_view text;
  std::vector<uint8_t> kinds;
};

TEST(DecodeOptions, BadLengthsStopParsingButKeepTheSegment) {
  const std::vector<BadCase> cases = {
      {{2, 3, 0x05, 0x00}, "tcp_mss_option_length_not_4", "TCP MSS option length is not 4", {2}},
      {{2, 5, 0x05, 0xb4, 0x00, 1, 1, 1},
       "tcp_mss_option_length_not_4",
       "TCP MSS option length is not 4",
       {2}},
      {{3, 4, 7, 0},
       "tcp_window_scale_option_length_not_3",
       "TCP window scale option length is not 3",
       {3}},
      {{4, 3, 0, 1},
       "tcp_sack_permitted_option_length_not_2",
       "TCP SACK-permitted option length is not 2",
       {4}},
      {{5, 2, 1, 1},
       "tcp_sack_option_length_invalid",
       "TCP SACK option length is not 2 + 8n (n = 1..4)",
       {5}},
      {{1, 5, 9, 0, 0, 0, 0, 0, 0, 0, 0, 1},
       "tcp_sack_option_length_invalid",
       "TCP SACK option length is not 2 + 8n (n = 1..4)",
       {1, 5}},
      {std::vector<uint8_t>{1, 1, 5, 42, 0},
       "tcp_option_runs_past_header",
       "TCP option runs past the header",
       {1, 1, 5}},
      {{8, 8, 0, 0, 0, 0, 0, 0},
       "tcp_timestamps_option_length_not_10",
       "TCP timestamps option length is not 10",
       {8}},
      {{1, 1, 8, 10, 0, 0, 0, 0},
       "tcp_option_runs_past_header",
       "TCP option runs past the header",
       {1, 1, 8}},
      {{1, 1, 1, 2},
       "tcp_option_length_past_header",
       "TCP option length byte past the header",
       {1, 1, 1, 2}},
      {{2, 1, 1, 1}, "tcp_option_length_below_2", "TCP option length < 2", {2}},
      {{30, 0, 1, 1}, "tcp_option_length_below_2", "TCP option length < 2", {30}},
  };
  for (const auto& c : cases) {
    const auto o = options_of(c.opts);
    ASSERT_NE(o.problem, TcpOptionProblem::None) << c.text;
    EXPECT_EQ(tcp_option_problem_id(o.problem), c.id);
    EXPECT_EQ(tcp_option_problem_text(o.problem), c.text);
    EXPECT_EQ(kinds_of(o), c.kinds) << c.text;
  }
  // 19-byte Fast Open (17-byte cookie) fits in the header but is too long.
  std::vector<uint8_t> tfo = {34, 19};
  tfo.resize(19, 0x55);
  tfo.push_back(1);
  EXPECT_EQ(options_of(tfo).problem, TcpOptionProblem::FastOpenTooLong);
  EXPECT_EQ(tcp_option_problem_id(TcpOptionProblem::FastOpenTooLong),
            "tcp_fast_open_option_too_long");
  EXPECT_EQ(tcp_option_problem_text(TcpOptionProblem::FastOpenTooLong),
            "TCP Fast Open option longer than 18");
  // The experimental form has two magic bytes more: 21 bytes is a 17-byte cookie.
  std::vector<uint8_t> exp = {254, 21, 0xf9, 0x89};
  exp.resize(21, 0x66);
  EXPECT_EQ(options_of(exp).problem, TcpOptionProblem::ExperimentalFastOpenTooLong);
  EXPECT_EQ(tcp_option_problem_id(TcpOptionProblem::ExperimentalFastOpenTooLong),
            "tcp_experimental_fast_open_option_too_long");
  EXPECT_EQ(tcp_option_problem_text(TcpOptionProblem::ExperimentalFastOpenTooLong),
            "TCP experimental Fast Open option longer than 20");
}

TEST(DecodeOptions, OptionsBeforeABadOneAreKept) {
  const auto o = options_of({2, 4, 0x05, 0xb4, 1, 3, 2, 0});  // MSS, NOP, WS with length 2
  EXPECT_TRUE(o.has_mss);
  EXPECT_EQ(o.mss, 1460);
  EXPECT_FALSE(o.has_window_scale);
  EXPECT_EQ(o.problem, TcpOptionProblem::WindowScaleLength);
  EXPECT_EQ(kinds_of(o), (std::vector<uint8_t>{2, 1, 3}));
}

}  // namespace
}  // namespace tcpinspect::core
