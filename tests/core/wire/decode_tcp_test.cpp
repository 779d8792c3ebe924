// SPDX-License-Identifier: MIT
// TCP header: flags, lengths, snaplen cuts, checksum against an independent computation.
#include <gtest/gtest.h>

#include "tests/core/wire/decode_fixtures.hpp"
#include "tests/core/wire/decode_test_util.hpp"

namespace tcpinspect::core {
namespace {

using namespace test_fixtures;
using test_util::decode;
using test_util::decode_prefix;
using test_util::fix_ipv4_checksum;
using test_util::problem;
using test_util::ref_checksum;

// Independent TCP checksum over the IPv4 pseudo-header and the segment at `tcp_at`, with the
// checksum field taken as zero.
uint16_t ref_tcp4_checksum(const std::vector<uint8_t>& f, size_t ip_at) {
  const size_t ihl = (f[ip_at] & 0x0F) * 4u;
  const size_t total = (f[ip_at + 2] << 8) | f[ip_at + 3];
  const size_t tcp_at = ip_at + ihl;
  const size_t tcp_len = total - ihl;
  // Built byte by byte: GCC 12 misreads vector::insert here (-Wstringop-overflow).
  std::vector<uint8_t> buf;
  buf.reserve(12 + tcp_len);
  for (size_t i = 12; i < 20; ++i)
    buf.push_back(f[ip_at + i]);  // addresses
  for (uint8_t b :
       {uint8_t{0}, uint8_t{6}, static_cast<uint8_t>(tcp_len >> 8), static_cast<uint8_t>(tcp_len)})
    buf.push_back(b);
  for (size_t i = 0; i < tcp_len; ++i)
    buf.push_back(i == 16 || i == 17 ? 0 : f[tcp_at + i]);
  return ref_checksum(buf);
}

TEST(DecodeTcp, FixtureChecksumsMatchIndependentComputation) {
  EXPECT_EQ(ref_tcp4_checksum(kEthIpv4Syn, 14), 0xacb2);
  EXPECT_EQ(decode(LinkType::Ethernet, kEthIpv4Syn).tcp.checksum, 0xacb2);
  const auto data = decode(LinkType::Ethernet, kEthIpv4Data);
  EXPECT_EQ(ref_tcp4_checksum(kEthIpv4Data, 14), data.tcp.checksum);
  EXPECT_EQ(ref_tcp4_checksum(kRawIpv4Options, 0),
            decode(LinkType::Raw, kRawIpv4Options).tcp.checksum);
}

TEST(DecodeTcp, BadChecksumDetectedGoodAccepted) {
  EXPECT_EQ(decode(LinkType::Ethernet, kEthIpv4Data).tcp_checksum, ChecksumStatus::Good);
  std::vector<uint8_t> f = kEthIpv4Data;
  f.back() ^= 0x01;  // one payload bit flipped
  auto p = decode(LinkType::Ethernet, f);
  ASSERT_EQ(p.result, DecodeResult::Tcp);
  EXPECT_EQ(p.tcp_checksum, ChecksumStatus::Bad);
  EXPECT_EQ(p.ip_checksum, ChecksumStatus::Good);
  // Fixing the checksum field by the independent function makes it good again.
  const uint16_t c = ref_tcp4_checksum(f, 14);
  f[14 + 20 + 16] = static_cast<uint8_t>(c >> 8);
  f[14 + 20 + 17] = static_cast<uint8_t>(c);
  EXPECT_EQ(decode(LinkType::Ethernet, f).tcp_checksum, ChecksumStatus::Good);
  // A swapped address changes the pseudo-header: bad.
  std::vector<uint8_t> g = kEthIpv4Data;
  std::swap(g[14 + 15], g[14 + 19]);
  fix_ipv4_checksum(g, 14);
  EXPECT_EQ(decode(LinkType::Ethernet, g).tcp_checksum, ChecksumStatus::Good);  // .10/.20 swap
  g[14 + 15] ^= 0x01;
  fix_ipv4_checksum(g, 14);
  EXPECT_EQ(decode(LinkType::Ethernet, g).tcp_checksum, ChecksumStatus::Bad);
}

TEST(DecodeTcp, Ipv6BadChecksumDetected) {
  std::vector<uint8_t> f = kSll2Ipv6;
  f[20 + 40 + 4] ^= 0x80;  // sequence number
  const auto p = decode(LinkType::LinuxSll2, f);
  ASSERT_EQ(p.result, DecodeResult::Tcp);
  EXPECT_EQ(p.tcp_checksum, ChecksumStatus::Bad);
}

TEST(DecodeTcp, SnaplenCutPayloadKeepsIpPayloadLength) {
  // 71-byte frame captured to 68: 2 of 5 payload bytes.
  const auto p = decode_prefix(LinkType::Ethernet, kEthIpv4Data, 68);
  ASSERT_EQ(p.result, DecodeResult::Tcp) << problem(p);
  EXPECT_EQ(p.problem, nullptr);
  EXPECT_EQ(p.payload_len, 5u);
  EXPECT_EQ(p.captured_payload_len, 2u);
  EXPECT_EQ(p.payload, kEthIpv4Data.data() + 66);
  EXPECT_EQ(p.tcp_checksum, ChecksumStatus::Unverified);
  EXPECT_EQ(p.ip_checksum, ChecksumStatus::Good);
}

TEST(DecodeTcp, HeaderCutBySnaplen) {
  const auto p = decode_prefix(LinkType::Ethernet, kEthIpv4Syn, 60);  // fixed part cut
  EXPECT_EQ(p.result, DecodeResult::Truncated);
  EXPECT_EQ(problem(p), "TCP header cut by snaplen");
  EXPECT_EQ(p.tcp.src_port, 54321);  // ports were captured
  EXPECT_EQ(p.tcp.dst_port, 80);
  EXPECT_EQ(p.src, test_util::v4(192, 168, 1, 10));
  const auto q = decode_prefix(LinkType::Ethernet, kEthIpv4Syn, 70);  // options cut
  EXPECT_EQ(q.result, DecodeResult::Truncated);
  EXPECT_EQ(problem(q), "TCP header cut by snaplen");
  EXPECT_EQ(q.tcp.header_len, 40);
}

TEST(DecodeTcp, AccurateEcnFlags) {
  const auto p = decode(LinkType::Raw, kRawIpv4AeSyn);
  ASSERT_EQ(p.result, DecodeResult::Tcp) << problem(p);
  EXPECT_EQ(p.tcp.flags, kAe | kCwr | kEce | kSyn);
  EXPECT_EQ(p.tcp.flags, 0x1c2);
  EXPECT_EQ(p.tos, 0x02);
  EXPECT_EQ(p.tcp_checksum, ChecksumStatus::Good);
}

TEST(DecodeTcp, ReservedBitsAreNotFlags) {
  std::vector<uint8_t> f = kRawIpv4AeSyn;
  f[32] |= 0x0e;  // the three reserved bits above AE
  const auto p = decode(LinkType::Raw, f, /*verify=*/false);
  ASSERT_EQ(p.result, DecodeResult::Tcp);
  EXPECT_EQ(p.tcp.flags, 0x1c2);
  EXPECT_EQ(p.tcp.header_len, 20);
}

TEST(DecodeTcp, DataOffsetBelowFive) {
  for (uint8_t off = 0; off < 5; ++off) {
    std::vector<uint8_t> f = kRawIpv4AeSyn;
    f[32] = static_cast<uint8_t>((off << 4) | 0x01);  // keep the AE bit
    const auto p = decode(LinkType::Raw, f);
    EXPECT_EQ(p.result, DecodeResult::Malformed);
    EXPECT_EQ(problem(p), "TCP data offset " + std::to_string(off) + " < 5");
    EXPECT_EQ(p.tcp.src_port, 50001);
    EXPECT_EQ(p.ip_version, 4);
  }
}

TEST(DecodeTcp, HeaderLongerThanIpPayload) {
  std::vector<uint8_t> f = kRawIpv4AeSyn;
  f[32] = 0x61;  // data offset 6 (24 bytes) in a 20-byte IP payload
  const auto p = decode(LinkType::Raw, f);
  EXPECT_EQ(p.result, DecodeResult::Malformed);
  EXPECT_EQ(problem(p), "TCP header longer than the IP payload");
}

TEST(DecodeTcp, IpPayloadTooShortForTcp) {
  std::vector<uint8_t> f(kRawIpv4AeSyn.begin(), kRawIpv4AeSyn.begin() + 30);
  f[3] = 30;  // total length: 10 bytes of "TCP"
  fix_ipv4_checksum(f, 0);
  const auto p = decode(LinkType::Raw, f);
  EXPECT_EQ(p.result, DecodeResult::Malformed);
  EXPECT_EQ(problem(p), "IP payload too short for a TCP header");
  EXPECT_EQ(p.tcp.src_port, 50001);
}

}  // namespace
}  // namespace tcpinspect::core
