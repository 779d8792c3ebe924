// SPDX-License-Identifier: MIT
// craft_segment() against packets written out by hand, field by field. The checksums were
// worked out separately (RFC 1071 over the pseudo-header + segment), not taken from the
// crafter.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "capture/tcp_crafter.hpp"
#include "cmd/ip_parse.hpp"
#include "core/wire/decode.hpp"
#include "core/wire/packet.hpp"

namespace tcpinspect::capture {
namespace {

core::IpAddress ip(const char* text) {
  auto a = cmd::parse_ip(text);
  EXPECT_TRUE(a.has_value()) << text;
  return a.value_or(core::IpAddress{});
}

SegmentSpec v4_spec() {
  SegmentSpec s;
  s.src = ip("10.202.0.1");
  s.dst = ip("10.202.0.2");
  s.src_port = 40000;
  s.dst_port = 80;
  s.ttl = 64;
  s.dont_fragment = false;
  return s;
}

TEST(Crafter, SynWithMssSackOkTimestampsWindowScale) {
  SegmentSpec s = v4_spec();
  s.flags = core::kSyn;
  s.seq = 1000;
  s.window = 64240;
  s.ip_id = 0x1234;
  s.dont_fragment = true;
  s.options.mss = 1460;
  s.options.sack_permitted = true;
  s.options.timestamps = std::make_pair(1u, 0u);
  s.options.window_scale = 7;
  const std::vector<uint8_t> expected = {
      // IPv4 header
      0x45, 0x00,              // version 4, IHL 5; TOS 0
      0x00, 0x3c,              // total length 60 = 20 + 40
      0x12, 0x34,              // identification
      0x40, 0x00,              // DF, fragment offset 0
      0x40, 0x06,              // TTL 64, protocol TCP
      0x12, 0xf2,              // header checksum
      0x0a, 0xca, 0x00, 0x01,  // 10.202.0.1
      0x0a, 0xca, 0x00, 0x02,  // 10.202.0.2
      // TCP header
      0x9c, 0x40,              // source port 40000
      0x00, 0x50,              // destination port 80
      0x00, 0x00, 0x03, 0xe8,  // seq 1000
      0x00, 0x00, 0x00, 0x00,  // ack 0
      0xa0, 0x02,              // data offset 10 (40 bytes), SYN
      0xfa, 0xf0,              // window 64240
      0x96, 0xff,              // checksum
      0x00, 0x00,              // urgent pointer
      // options, laid out as Linux does
      0x02, 0x04, 0x05, 0xb4,                                      // MSS 1460
      0x04, 0x02,                                                  // SACK permitted
      0x08, 0x0a, 0x00, 0x00, 0x00, 0x01, 0x00, 0x00, 0x00, 0x00,  // TS val 1 ecr 0
      0x01,                                                        // NOP
      0x03, 0x03, 0x07,                                            // window scale 7
  };
  EXPECT_EQ(craft_segment(s), expected);
}

TEST(Crafter, XmasFinPshUrg) {
  SegmentSpec s = v4_spec();
  s.flags = core::kFin | core::kPsh | core::kUrg;
  s.seq = 0x11223344;
  s.window = 1024;
  s.ip_id = 1;
  const std::vector<uint8_t> expected = {
      0x45, 0x00, 0x00, 0x28,  // IPv4, total length 40
      0x00, 0x01, 0x00, 0x00,  // id 1, no flags
      0x40, 0x06, 0x65, 0x39,  // TTL 64, TCP, header checksum
      0x0a, 0xca, 0x00, 0x01,  // source
      0x0a, 0xca, 0x00, 0x02,  // destination
      0x9c, 0x40, 0x00, 0x50,  // ports 40000 -> 80
      0x11, 0x22, 0x33, 0x44,  // seq
      0x00, 0x00, 0x00, 0x00,  // ack 0
      0x50, 0x29,              // data offset 5, flags URG|PSH|FIN = 0x29
      0x04, 0x00,              // window 1024
      0xb5, 0x2e,              // checksum
      0x00, 0x00,              // urgent pointer 0
  };
  EXPECT_EQ(craft_segment(s), expected);
}

TEST(Crafter, NullNoFlagsAtAll) {
  SegmentSpec s = v4_spec();
  s.flags = 0;
  s.seq = 7;
  s.window = 1024;
  s.ip_id = 2;
  const std::vector<uint8_t> expected = {
      0x45, 0x00, 0x00, 0x28, 0x00, 0x02, 0x00, 0x00,  // IPv4, length 40, id 2
      0x40, 0x06, 0x65, 0x38,                          // TTL 64, TCP, header checksum
      0x0a, 0xca, 0x00, 0x01, 0x0a, 0xca, 0x00, 0x02,  // addresses
      0x9c, 0x40, 0x00, 0x50,                          // ports
      0x00, 0x00, 0x00, 0x07,                          // seq 7
      0x00, 0x00, 0x00, 0x00,                          // ack
      0x50, 0x00,                                      // data offset 5, no flag
      0x04, 0x00, 0xf9, 0xb6, 0x00, 0x00,              // window, checksum, urgent
  };
  EXPECT_EQ(craft_segment(s), expected);
}

TEST(Crafter, RstAckAnsweringASyn) {
  SegmentSpec s;
  s.src = ip("10.202.0.2");
  s.dst = ip("10.202.0.1");
  s.src_port = 80;
  s.dst_port = 40000;
  s.flags = core::kRst | core::kAck;
  s.seq = 0;
  s.ack = 1001;
  s.window = 0;
  s.ip_id = 3;
  s.tos = 0x10;
  s.dont_fragment = true;
  const std::vector<uint8_t> expected = {
      0x45, 0x10, 0x00, 0x28,                          // IPv4, TOS 0x10, length 40
      0x00, 0x03, 0x40, 0x00,                          // id 3, DF
      0x40, 0x06, 0x25, 0x27,                          // TTL, TCP, header checksum
      0x0a, 0xca, 0x00, 0x02, 0x0a, 0xca, 0x00, 0x01,  // 10.202.0.2 -> 10.202.0.1
      0x00, 0x50, 0x9c, 0x40,                          // 80 -> 40000
      0x00, 0x00, 0x00, 0x00,                          // seq 0
      0x00, 0x00, 0x03, 0xe9,                          // ack 1001
      0x50, 0x14,                                      // RST|ACK
      0x00, 0x00, 0xf9, 0xc0, 0x00, 0x00,              // window 0, checksum, urgent
  };
  EXPECT_EQ(craft_segment(s), expected);
}

TEST(Crafter, DataWithPsh) {
  SegmentSpec s = v4_spec();
  s.flags = core::kPsh | core::kAck;
  s.seq = 1001;
  s.ack = 5001;
  s.window = 502;
  s.ip_id = 4;
  s.dont_fragment = true;
  s.payload = {'h', 'e', 'l', 'l', 'o'};
  const std::vector<uint8_t> expected = {
      0x45, 0x00, 0x00, 0x2d,                          // IPv4, length 45
      0x00, 0x04, 0x40, 0x00,                          // id 4, DF
      0x40, 0x06, 0x25, 0x31,                          // TTL, TCP, header checksum
      0x0a, 0xca, 0x00, 0x01, 0x0a, 0xca, 0x00, 0x02,  // addresses
      0x9c, 0x40, 0x00, 0x50,                          // ports
      0x00, 0x00, 0x03, 0xe9,                          // seq 1001
      0x00, 0x00, 0x13, 0x89,                          // ack 5001
      0x50, 0x18,                                      // PSH|ACK
      0x01, 0xf6,                                      // window 502
      0xa0, 0x66,                                      // checksum
      0x00, 0x00,                                      // urgent
      'h',  'e',  'l',  'l',  'o',                     // payload
  };
  EXPECT_EQ(craft_segment(s), expected);
}

TEST(Crafter, Ipv6SynWithMss) {
  SegmentSpec s;
  s.src = ip("fd00:202::1");
  s.dst = ip("fd00:202::2");
  s.src_port = 40000;
  s.dst_port = 443;
  s.flags = core::kSyn;
  s.seq = 0xfffffffe;  // next to the wrap
  s.window = 64800;
  s.ttl = 64;
  s.options.mss = 1440;
  const std::vector<uint8_t> expected = {
      0x60, 0x00, 0x00, 0x00,  // version 6, traffic class 0, flow label 0
      0x00, 0x18,              // payload length 24
      0x06, 0x40,              // next header TCP, hop limit 64
      0xfd, 0x00, 0x02, 0x02, 0x00, 0x00, 0x00, 0x00,
      0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x01,  // fd00:202::1
      0xfd, 0x00, 0x02, 0x02, 0x00, 0x00, 0x00, 0x00,
      0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x02,  // fd00:202::2
      0x9c, 0x40, 0x01, 0xbb,                          // 40000 -> 443
      0xff, 0xff, 0xff, 0xfe,                          // seq 2^32 - 2
      0x00, 0x00, 0x00, 0x00,                          // ack
      0x60, 0x02,                                      // data offset 6, SYN
      0xfd, 0x20,                                      // window 64800
      0xff, 0x16,                                      // checksum (IPv6 pseudo-header)
      0x00, 0x00,                                      // urgent
      0x02, 0x04, 0x05, 0xa0,                          // MSS 1440
  };
  EXPECT_EQ(craft_segment(s), expected);
}

TEST(Crafter, BadChecksumDiffersInExactlyTheChecksumBytes) {
  for (const char* dst : {"10.202.0.2", "fd00:202::2"}) {
    SegmentSpec s;
    s.src = ip(dst[0] == 'f' ? "fd00:202::1" : "10.202.0.1");
    s.dst = ip(dst);
    s.src_port = 40000;
    s.dst_port = 80;
    s.seq = 42;
    s.payload = {1, 2, 3};
    const auto good = craft_segment(s);
    s.bad_checksum = true;
    const auto bad = craft_segment(s);
    ASSERT_EQ(good.size(), bad.size());
    const size_t at = (s.src.version == 4 ? 20 : 40) + 16;
    for (size_t i = 0; i < good.size(); ++i) {
      if (i == at || i == at + 1) continue;
      EXPECT_EQ(good[i], bad[i]) << dst << " byte " << i;
    }
    const uint16_t right = static_cast<uint16_t>(good[at] << 8 | good[at + 1]);
    const uint16_t wrong = static_cast<uint16_t>(bad[at] << 8 | bad[at + 1]);
    EXPECT_NE(right, wrong);
    EXPECT_EQ(wrong, static_cast<uint16_t>(~right));
  }
}

TEST(Crafter, CorruptChecksumNeverEquivalent) {
  // 0x0000 and 0xFFFF are the same number in ones' complement: ~x would still verify.
  EXPECT_EQ(corrupt_checksum(0x0000), 0x1234);
  EXPECT_EQ(corrupt_checksum(0xFFFF), 0x1234);
  EXPECT_EQ(corrupt_checksum(0x96ff), 0x6900);
}

TEST(Crafter, OptionLayouts) {
  TcpOptionSpec o;
  o.timestamps = std::make_pair(5u, 6u);
  EXPECT_EQ(encode_tcp_options(o),
            (std::vector<uint8_t>{1, 1, 8, 10, 0, 0, 0, 5, 0, 0, 0, 6}));  // NOP NOP TS
  o = {};
  o.sack_permitted = true;
  EXPECT_EQ(encode_tcp_options(o), (std::vector<uint8_t>{1, 1, 4, 2}));
  o = {};
  o.sack = {{100, 200}};
  EXPECT_EQ(encode_tcp_options(o), (std::vector<uint8_t>{1, 1, 5, 10, 0, 0, 0, 100, 0, 0, 0, 200}));
  o = {};
  o.fast_open_request = true;
  EXPECT_EQ(encode_tcp_options(o), (std::vector<uint8_t>{34, 2, 0, 0}));  // EOL padding
  o = {};
  o.fast_open_cookie = {0xde, 0xad, 0xbe, 0xef};
  EXPECT_EQ(encode_tcp_options(o), (std::vector<uint8_t>{34, 6, 0xde, 0xad, 0xbe, 0xef, 0, 0}));
  o = {};
  o.raw = {{1, {}}, {30, {0xab}}};
  EXPECT_EQ(encode_tcp_options(o), (std::vector<uint8_t>{1, 30, 3, 0xab}));
}

// libtins sized a bodiless option as one byte but wrote two: `craft --tfo-request` failed
// with "Serialization error". The packet must carry the bytes encode_tcp_options() lays out,
// with lengths and checksums that the decoder accepts.
TEST(Crafter, BodilessOptionsSerialize) {
  struct Case {
    const char* name;
    TcpOptionSpec options;
  };
  std::vector<Case> cases(4);
  cases[0].name = "tfo request";
  cases[0].options.fast_open_request = true;
  cases[1].name = "mss, tfo request, raw option after it";
  cases[1].options.mss = 1460;
  cases[1].options.fast_open_request = true;
  cases[1].options.raw = {{30, {0xab, 0xcd}}};
  cases[2].name = "bare raw kind";
  cases[2].options.raw = {{253, {}}, {1, {}}, {1, {}}};
  cases[3].name = "sack-ok alone (libtins' own special case)";
  cases[3].options.sack_permitted = true;
  for (const bool v6 : {false, true}) {
    for (const Case& c : cases) {
      SCOPED_TRACE(std::string(c.name) + (v6 ? " (IPv6)" : " (IPv4)"));
      SegmentSpec s = v4_spec();
      if (v6) {
        s.src = ip("fd00::1");
        s.dst = ip("fd00::2");
      }
      s.options = c.options;
      s.payload = {'h', 'i'};
      const std::vector<uint8_t> opts = encode_tcp_options(c.options);
      std::vector<uint8_t> bytes;
      ASSERT_NO_THROW(bytes = craft_segment(s));
      const size_t ip_len = v6 ? 40 : 20;
      ASSERT_EQ(bytes.size(), ip_len + 20 + opts.size() + 2);
      EXPECT_EQ(
          std::vector<uint8_t>(bytes.begin() + static_cast<long>(ip_len) + 20, bytes.end() - 2),
          opts);
      core::DecodedPacket p;
      core::decode_packet(core::LinkType::Raw, bytes, static_cast<uint32_t>(bytes.size()), p);
      ASSERT_EQ(p.result, core::DecodeResult::Tcp);
      EXPECT_EQ(p.tcp.header_len, 20 + opts.size());
      EXPECT_EQ(p.payload_len, 2u);
      EXPECT_EQ(p.tcp_checksum, core::ChecksumStatus::Good);
      EXPECT_EQ(p.tcp.options.problem, core::TcpOptionProblem::None);
      EXPECT_EQ(p.tcp.options.has_fast_open, c.options.fast_open_request);
      if (c.options.fast_open_request) {
        EXPECT_EQ(p.tcp.options.fast_open_cookie_len, 0);
      }
    }
  }
}

TEST(Crafter, OptionsOverFortyBytesAreRefused) {
  TcpOptionSpec o;
  o.mss = 1460;
  o.timestamps = std::make_pair(1u, 2u);
  o.sack = {{1, 2}, {3, 4}, {5, 6}};  // 4 + 12 + 28 = 44
  EXPECT_THROW(encode_tcp_options(o), CraftError);
  o.sack = {{1, 2}, {3, 4}, {5, 6}, {7, 8}, {9, 10}};
  EXPECT_THROW(encode_tcp_options(o), CraftError);
  TcpOptionSpec odd;
  odd.fast_open_cookie = {1, 2, 3};
  EXPECT_THROW(encode_tcp_options(odd), CraftError);
  TcpOptionSpec nop_with_data;
  nop_with_data.raw = {{1, {0}}};
  EXPECT_THROW(encode_tcp_options(nop_with_data), CraftError);
}

TEST(Crafter, RefusesMixedFamilies) {
  SegmentSpec s = v4_spec();
  s.dst = ip("fd00::2");
  EXPECT_THROW(craft_segment(s), CraftError);
  s.src = {};
  EXPECT_THROW(craft_segment(s), CraftError);
}

}  // namespace
}  // namespace tcpinspect::capture
