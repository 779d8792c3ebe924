// SPDX-License-Identifier: MIT
// ICMP / ICMPv6 destination unreachable quoting TCP (RFC 792, RFC 4443 3.1).
#include <gtest/gtest.h>

#include "tests/core/wire/decode_fixtures.hpp"
#include "tests/core/wire/decode_test_util.hpp"

namespace tcpinspect::core {
namespace {

using namespace test_fixtures;
using test_util::decode;
using test_util::fix_ipv4_checksum;
using test_util::problem;
using test_util::v4;
using test_util::v6;

constexpr size_t kOuterIp = 14;    // outer IPv4 header in kEthIcmpUnreach
constexpr size_t kQuotedIp = 42;   // quoted IPv4 header
constexpr size_t kQuotedTcp = 62;  // quoted TCP bytes (8 of them)

// kEthIcmpUnreach with the quote cut to `tcp_bytes` bytes of TCP, lengths kept consistent.
std::vector<uint8_t> icmp_with_quoted_tcp(size_t tcp_bytes) {
  std::vector<uint8_t> f(kEthIcmpUnreach.begin(), kEthIcmpUnreach.begin() + kQuotedTcp + tcp_bytes);
  const size_t total = f.size() - kOuterIp;
  f[kOuterIp + 2] = static_cast<uint8_t>(total >> 8);
  f[kOuterIp + 3] = static_cast<uint8_t>(total);
  fix_ipv4_checksum(f, kOuterIp);
  return f;
}

TEST(DecodeIcmp, Ipv4UnreachableQuotingTcp) {
  const auto p = decode(LinkType::Ethernet, kEthIcmpUnreach);
  ASSERT_EQ(p.result, DecodeResult::IcmpUnreachable) << problem(p);
  EXPECT_EQ(p.problem, nullptr);
  // Outer header: the router that sent the error.
  EXPECT_EQ(p.src, v4(192, 168, 1, 1));
  EXPECT_EQ(p.dst, v4(192, 168, 1, 10));
  EXPECT_EQ(p.protocol, 1);
  EXPECT_EQ(p.ttl, 255);
  EXPECT_EQ(p.tos, 0xc0);
  EXPECT_EQ(p.ip_checksum, ChecksumStatus::Good);
  // The quoted segment is the original sender's.
  EXPECT_EQ(p.icmp.type, 3);
  EXPECT_EQ(p.icmp.code, 4);
  EXPECT_EQ(p.icmp.quoted_src, v4(192, 168, 1, 10));
  EXPECT_EQ(p.icmp.quoted_dst, v4(192, 168, 1, 20));
  EXPECT_EQ(p.icmp.quoted_src_port, 54321);
  EXPECT_EQ(p.icmp.quoted_dst_port, 80);
  EXPECT_TRUE(p.icmp.has_quoted_seq);
  EXPECT_EQ(p.icmp.quoted_seq, 0x01020304u);
}

TEST(DecodeIcmp, QuoteWithPortsOnly) {
  const auto p = decode(LinkType::Ethernet, icmp_with_quoted_tcp(4));
  ASSERT_EQ(p.result, DecodeResult::IcmpUnreachable) << problem(p);
  EXPECT_EQ(p.icmp.quoted_src_port, 54321);
  EXPECT_FALSE(p.icmp.has_quoted_seq);
}

TEST(DecodeIcmp, QuoteWithoutPortsIsNotTcp) {
  EXPECT_EQ(decode(LinkType::Ethernet, icmp_with_quoted_tcp(3)).result, DecodeResult::NotTcp);
  EXPECT_EQ(decode(LinkType::Ethernet, icmp_with_quoted_tcp(0)).result, DecodeResult::NotTcp);
}

TEST(DecodeIcmp, QuotedUdpOrOtherTypeIsNotTcp) {
  std::vector<uint8_t> udp = kEthIcmpUnreach;
  udp[kQuotedIp + 9] = 17;
  EXPECT_EQ(decode(LinkType::Ethernet, udp).result, DecodeResult::NotTcp);
  std::vector<uint8_t> redirect = kEthIcmpUnreach;
  redirect[kOuterIp + 20] = 5;  // ICMP redirect also quotes a header, but is not ours
  EXPECT_EQ(decode(LinkType::Ethernet, redirect).result, DecodeResult::NotTcp);
  std::vector<uint8_t> frag = kEthIcmpUnreach;
  frag[kQuotedIp + 7] = 0x10;  // quoted non-first fragment: no TCP header in it
  EXPECT_EQ(decode(LinkType::Ethernet, frag).result, DecodeResult::NotTcp);
}

TEST(DecodeIcmp, Ipv6UnreachableQuotingTcp) {
  const auto p = decode(LinkType::Raw, kRawIcmpv6Unreach);
  ASSERT_EQ(p.result, DecodeResult::IcmpUnreachable) << problem(p);
  EXPECT_EQ(p.protocol, 58);
  EXPECT_EQ(p.src, v6({0x20, 0x01, 0x0d, 0xb8, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff}));
  EXPECT_EQ(p.icmp.type, 1);
  EXPECT_EQ(p.icmp.code, 1);
  EXPECT_EQ(p.icmp.quoted_src, v6({0x20, 0x01, 0x0d, 0xb8, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1}));
  EXPECT_EQ(p.icmp.quoted_dst, v6({0x20, 0x01, 0x0d, 0xb8, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 2}));
  EXPECT_EQ(p.icmp.quoted_src_port, 5000);
  EXPECT_EQ(p.icmp.quoted_dst_port, 22);
  EXPECT_TRUE(p.icmp.has_quoted_seq);
  EXPECT_EQ(p.icmp.quoted_seq, 0x80000000u);
}

TEST(DecodeIcmp, Ipv6QuoteWithExtensionHeader) {
  // Insert a destination-options header (8 bytes) in the quote, after the quoted fixed header.
  std::vector<uint8_t> f(kRawIcmpv6Unreach.begin(), kRawIcmpv6Unreach.begin() + 88);
  f.insert(f.end(), {6, 0, 1, 4, 0, 0, 0, 0});  // next TCP, len 0, PadN 4
  f.insert(f.end(), kRawIcmpv6Unreach.begin() + 88, kRawIcmpv6Unreach.end());
  f[5] = static_cast<uint8_t>(f.size() - 40);  // outer payload length
  f[48 + 6] = 60;                              // quoted next header: destination options
  const auto p = decode(LinkType::Raw, f);
  ASSERT_EQ(p.result, DecodeResult::IcmpUnreachable) << problem(p);
  EXPECT_EQ(p.icmp.quoted_dst_port, 22);
}

// kRawIcmpv6Unreach with `ext` inserted after the quoted fixed header, whose next header
// becomes `ext_type`.
std::vector<uint8_t> icmpv6_quote_with(uint8_t ext_type, const std::vector<uint8_t>& ext) {
  std::vector<uint8_t> f(kRawIcmpv6Unreach.begin(), kRawIcmpv6Unreach.begin() + 88);
  for (uint8_t b : ext)
    f.push_back(b);
  for (size_t i = 88; i < kRawIcmpv6Unreach.size(); ++i)
    f.push_back(kRawIcmpv6Unreach[i]);
  f[5] = static_cast<uint8_t>(f.size() - 40);  // outer payload length
  f[48 + 6] = ext_type;                        // quoted next header
  return f;
}

TEST(DecodeIcmp, Ipv6QuotedFragments) {
  // fragment header: next TCP, reserved, offset 0 with M=1, identification
  auto p = decode(LinkType::Raw, icmpv6_quote_with(44, {6, 0, 0x00, 0x01, 0, 0, 0, 9}));
  ASSERT_EQ(p.result, DecodeResult::IcmpUnreachable) << problem(p);
  EXPECT_EQ(p.icmp.quoted_src_port, 5000);
  // offset 8 bytes: a later fragment carries no TCP header
  p = decode(LinkType::Raw, icmpv6_quote_with(44, {6, 0, 0x00, 0x08, 0, 0, 0, 9}));
  EXPECT_EQ(p.result, DecodeResult::NotTcp);
}

TEST(DecodeIcmp, Ipv6QuoteOfOtherProtocolOrCutExtension) {
  std::vector<uint8_t> udp = kRawIcmpv6Unreach;
  udp[48 + 6] = 17;
  EXPECT_EQ(decode(LinkType::Raw, udp).result, DecodeResult::NotTcp);
  // destination options claiming 32 bytes where the quote has 8 + 12
  auto f = icmpv6_quote_with(60, {6, 3, 1, 4, 0, 0, 0, 0});
  EXPECT_EQ(decode(LinkType::Raw, f).result, DecodeResult::NotTcp);
  // the quote ends right after the quoted fixed header, inside the extension header chain
  std::vector<uint8_t> cut(kRawIcmpv6Unreach.begin(), kRawIcmpv6Unreach.begin() + 89);
  cut[5] = static_cast<uint8_t>(cut.size() - 40);
  cut[48 + 6] = 60;
  EXPECT_EQ(decode(LinkType::Raw, cut).result, DecodeResult::NotTcp);
}

TEST(DecodeIcmp, OtherIcmpv6IsNotTcp) {
  std::vector<uint8_t> f = kRawIcmpv6Unreach;
  f[40] = 2;  // packet too big
  EXPECT_EQ(decode(LinkType::Raw, f).result, DecodeResult::NotTcp);
  f[40] = 128;  // echo request
  EXPECT_EQ(decode(LinkType::Raw, f).result, DecodeResult::NotTcp);
}

}  // namespace
}  // namespace tcpinspect::core
