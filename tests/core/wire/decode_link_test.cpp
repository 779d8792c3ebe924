// SPDX-License-Identifier: MIT
// Link layers: DLT mapping, Ethernet with VLAN tags, Linux cooked v1/v2, BSD NULL and LOOP.
#include <gtest/gtest.h>

#include "tests/core/wire/decode_fixtures.hpp"
#include "tests/core/wire/decode_test_util.hpp"

namespace tcpinspect::core {
namespace {

using namespace test_fixtures;
using test_util::decode;
using test_util::problem;
using test_util::v4;
using test_util::v6;

const IpAddress kDoc1 = v6({0x20, 0x01, 0x0d, 0xb8, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1});
const IpAddress kDoc2 = v6({0x20, 0x01, 0x0d, 0xb8, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 2});
const IpAddress kLoop6 = v6({0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1});

TEST(DecodeLink, DltMapping) {
  EXPECT_EQ(link_type_from_dlt(0), LinkType::Null);
  EXPECT_EQ(link_type_from_dlt(1), LinkType::Ethernet);
  EXPECT_EQ(link_type_from_dlt(12), LinkType::Raw);
  EXPECT_EQ(link_type_from_dlt(14), LinkType::Raw);
  EXPECT_EQ(link_type_from_dlt(101), LinkType::Raw);
  EXPECT_EQ(link_type_from_dlt(108), LinkType::Loop);
  EXPECT_EQ(link_type_from_dlt(113), LinkType::LinuxSll);
  EXPECT_EQ(link_type_from_dlt(276), LinkType::LinuxSll2);
  EXPECT_EQ(link_type_from_dlt(228), LinkType::Ipv4);
  EXPECT_EQ(link_type_from_dlt(229), LinkType::Ipv6);
  EXPECT_EQ(link_type_from_dlt(105), std::nullopt);  // 802.11
  EXPECT_EQ(link_type_from_dlt(127), std::nullopt);  // radiotap
  EXPECT_EQ(link_type_from_dlt(-1), std::nullopt);
}

TEST(DecodeLink, UnknownLinkTypeIsUnsupported) {
  const auto p = decode(static_cast<LinkType>(105), kEthIpv4Syn);
  EXPECT_EQ(p.result, DecodeResult::UnsupportedLink);
  EXPECT_EQ(p.ip_version, 0);
}

TEST(DecodeLink, EthernetIpv4Syn) {
  const auto p = decode(LinkType::Ethernet, kEthIpv4Syn);
  ASSERT_EQ(p.result, DecodeResult::Tcp) << problem(p);
  EXPECT_EQ(p.problem, nullptr);
  EXPECT_EQ(p.vlan_count, 0);
  EXPECT_EQ(p.ip_version, 4);
  EXPECT_EQ(p.src, v4(192, 168, 1, 10));
  EXPECT_EQ(p.dst, v4(192, 168, 1, 20));
  EXPECT_EQ(p.ttl, 64);
  EXPECT_EQ(p.tos, 0);
  EXPECT_EQ(p.ip_id, 0x1c46);
  EXPECT_TRUE(p.dont_fragment);
  EXPECT_FALSE(p.more_fragments);
  EXPECT_EQ(p.fragment_offset, 0);
  EXPECT_EQ(p.protocol, 6);
  EXPECT_EQ(p.ip_checksum, ChecksumStatus::Good);
  EXPECT_EQ(p.tcp.src_port, 54321);
  EXPECT_EQ(p.tcp.dst_port, 80);
  EXPECT_EQ(p.tcp.seq, 0x01020304u);
  EXPECT_EQ(p.tcp.ack, 0u);
  EXPECT_EQ(p.tcp.header_len, 40);
  EXPECT_EQ(p.tcp.flags, kSyn);
  EXPECT_EQ(p.tcp.window, 64240);
  EXPECT_EQ(p.tcp.checksum, 0xacb2);
  EXPECT_EQ(p.tcp.urgent, 0);
  EXPECT_EQ(p.tcp_checksum, ChecksumStatus::Good);
  EXPECT_EQ(p.payload_len, 0u);
  EXPECT_EQ(p.captured_payload_len, 0u);
  // options_raw points at the 20 option bytes inside the caller's buffer.
  EXPECT_EQ(p.tcp.options_raw.data(), kEthIpv4Syn.data() + 54);
  EXPECT_EQ(p.tcp.options_raw.size(), 20u);
  const TcpOptions& o = p.tcp.options;
  EXPECT_EQ(o.problem, TcpOptionProblem::None);
  EXPECT_TRUE(o.has_mss);
  EXPECT_EQ(o.mss, 1460);
  EXPECT_TRUE(o.sack_permitted);
  EXPECT_TRUE(o.has_timestamps);
  EXPECT_EQ(o.ts_val, 0x11223344u);
  EXPECT_EQ(o.ts_ecr, 0u);
  EXPECT_TRUE(o.has_window_scale);
  EXPECT_EQ(o.window_scale, 7);
  EXPECT_FALSE(o.has_fast_open);
  EXPECT_EQ(o.sack_block_count, 0);
  ASSERT_EQ(o.kind_count, 5);
  EXPECT_EQ(o.kinds[0], 2);
  EXPECT_EQ(o.kinds[1], 4);
  EXPECT_EQ(o.kinds[2], 8);
  EXPECT_EQ(o.kinds[3], 1);
  EXPECT_EQ(o.kinds[4], 3);
}

TEST(DecodeLink, EthernetIpv4DataPayload) {
  const auto p = decode(LinkType::Ethernet, kEthIpv4Data);
  ASSERT_EQ(p.result, DecodeResult::Tcp) << problem(p);
  EXPECT_EQ(p.tos, 0x10);
  EXPECT_EQ(p.ttl, 63);
  EXPECT_EQ(p.tcp.seq, 0xfffffff0u);
  EXPECT_EQ(p.tcp.ack, 0x01020305u);
  EXPECT_EQ(p.tcp.flags, kPsh | kAck);
  EXPECT_EQ(p.tcp.window, 509);
  EXPECT_EQ(p.tcp.header_len, 32);
  EXPECT_EQ(p.payload_len, 5u);
  EXPECT_EQ(p.captured_payload_len, 5u);
  ASSERT_EQ(p.payload, kEthIpv4Data.data() + 66);
  EXPECT_EQ(std::string(reinterpret_cast<const char*>(p.payload), 5), "hello");
  EXPECT_EQ(p.tcp.options.ts_val, 0x0a0b0c0du);
  EXPECT_EQ(p.tcp.options.ts_ecr, 0x11223344u);
  ASSERT_EQ(p.tcp.options.kind_count, 3);
  EXPECT_EQ(p.tcp.options.kinds[0], 1);
  EXPECT_EQ(p.tcp.options.kinds[1], 1);
  EXPECT_EQ(p.tcp.options.kinds[2], 8);
  EXPECT_EQ(p.tcp_checksum, ChecksumStatus::Good);
}

TEST(DecodeLink, EthernetPaddingIsNotPayload) {
  const auto p = decode(LinkType::Ethernet, kEthIpv4Padded);
  ASSERT_EQ(p.result, DecodeResult::Tcp) << problem(p);
  EXPECT_EQ(p.payload_len, 0u);
  EXPECT_EQ(p.captured_payload_len, 0u);
  // The checksum covers the datagram only, so padding must not break it.
  EXPECT_EQ(p.tcp_checksum, ChecksumStatus::Good);
  EXPECT_EQ(p.ip_checksum, ChecksumStatus::Good);
}

TEST(DecodeLink, Vlan8021Q) {
  const auto p = decode(LinkType::Ethernet, kVlanIpv4);
  ASSERT_EQ(p.result, DecodeResult::Tcp) << problem(p);
  ASSERT_EQ(p.vlan_count, 1);
  EXPECT_EQ(p.vlan_ids[0], 100);  // PCP bits masked off
  EXPECT_EQ(p.src, v4(10, 1, 2, 3));
  EXPECT_EQ(p.dst, v4(10, 4, 5, 6));
  EXPECT_FALSE(p.dont_fragment);
  EXPECT_EQ(p.ttl, 128);
  EXPECT_EQ(p.ip_id, 0x4242);
  EXPECT_EQ(p.tcp.src_port, 40000);
  EXPECT_EQ(p.tcp.dst_port, 443);
  EXPECT_EQ(p.payload_len, 4u);
  EXPECT_EQ(p.tcp_checksum, ChecksumStatus::Good);
}

TEST(DecodeLink, QinQ) {
  const auto p = decode(LinkType::Ethernet, kQinQIpv6);
  ASSERT_EQ(p.result, DecodeResult::Tcp) << problem(p);
  ASSERT_EQ(p.vlan_count, 2);
  EXPECT_EQ(p.vlan_ids[0], 200);
  EXPECT_EQ(p.vlan_ids[1], 300);
  EXPECT_EQ(p.ip_version, 6);
  EXPECT_EQ(p.src, kDoc1);
  EXPECT_EQ(p.dst, kDoc2);
  EXPECT_EQ(p.tcp.seq, 0x80000000u);
  EXPECT_EQ(p.tcp.ack, 0x7fffffffu);
  EXPECT_EQ(p.tcp.window, 65535);
  EXPECT_EQ(p.tcp_checksum, ChecksumStatus::Good);
  EXPECT_EQ(p.ip_checksum, ChecksumStatus::Unverified);  // IPv6 has none
}

TEST(DecodeLink, ThirdVlanTagSkippedButNotRecorded) {
  // Insert a third tag (TPID 0x9100, VLAN 7) after the QinQ pair, before the 0x86dd
  // ethertype at offset 20: ids stay the first two, the third is skipped.
  std::vector<uint8_t> f(kQinQIpv6.begin(), kQinQIpv6.begin() + 20);  // MACs + 2 tags
  const std::vector<uint8_t> tag = {0x91, 0x00, 0x00, 0x07};
  f.insert(f.end(), tag.begin(), tag.end());
  f.insert(f.end(), kQinQIpv6.begin() + 20, kQinQIpv6.end());
  const auto p = decode(LinkType::Ethernet, f);
  ASSERT_EQ(p.result, DecodeResult::Tcp) << problem(p);
  EXPECT_EQ(p.vlan_count, 2);
  EXPECT_EQ(p.vlan_ids[0], 200);
  EXPECT_EQ(p.vlan_ids[1], 300);
  EXPECT_EQ(p.tcp.dst_port, 22);
}

TEST(DecodeLink, NonIpEthertypeIsNotTcp) {
  std::vector<uint8_t> arp = kEthIpv4Syn;
  arp[12] = 0x08;
  arp[13] = 0x06;  // ARP
  EXPECT_EQ(decode(LinkType::Ethernet, arp).result, DecodeResult::NotTcp);
  arp[12] = 0x00;
  arp[13] = 0x3c;  // an 802.3 length field, not an ethertype
  EXPECT_EQ(decode(LinkType::Ethernet, arp).result, DecodeResult::NotTcp);
}

TEST(DecodeLink, EthernetTypeSaysIpv4ButVersionIs6) {
  std::vector<uint8_t> f = kEthIpv4Syn;
  f[14] = 0x65;
  const auto p = decode(LinkType::Ethernet, f);
  EXPECT_EQ(p.result, DecodeResult::Malformed);
  EXPECT_EQ(problem(p), "IPv4 version is not 4");
}

TEST(DecodeLink, LinuxCookedV1) {
  const auto p = decode(LinkType::LinuxSll, kSllIpv4);
  ASSERT_EQ(p.result, DecodeResult::Tcp) << problem(p);
  EXPECT_EQ(p.src, v4(192, 168, 1, 20));
  EXPECT_EQ(p.tcp.flags, kRst);
  EXPECT_EQ(p.tcp.seq, 12345u);
  EXPECT_EQ(p.tcp.window, 0);
  EXPECT_EQ(p.tcp_checksum, ChecksumStatus::Good);
}

TEST(DecodeLink, LinuxCookedV2) {
  const auto p = decode(LinkType::LinuxSll2, kSll2Ipv6);
  ASSERT_EQ(p.result, DecodeResult::Tcp) << problem(p);
  EXPECT_EQ(p.ip_version, 6);
  EXPECT_EQ(p.src, kDoc2);
  EXPECT_EQ(p.dst, kDoc1);
  EXPECT_EQ(p.tos, 0xb8);
  EXPECT_EQ(p.ttl, 255);
  EXPECT_EQ(p.tcp.flags, kFin | kAck);
  EXPECT_EQ(p.payload_len, 3u);
  EXPECT_EQ(std::string(reinterpret_cast<const char*>(p.payload), 3), "bye");
  EXPECT_EQ(p.tcp_checksum, ChecksumStatus::Good);
}

TEST(DecodeLink, CookedWithOtherProtocolIsNotTcp) {
  std::vector<uint8_t> f = kSllIpv4;
  f[14] = 0x08;
  f[15] = 0x06;
  EXPECT_EQ(decode(LinkType::LinuxSll, f).result, DecodeResult::NotTcp);
  std::vector<uint8_t> g = kSll2Ipv6;
  g[0] = 0x00;
  g[1] = 0x04;  // 802.2 LLC
  EXPECT_EQ(decode(LinkType::LinuxSll2, g).result, DecodeResult::NotTcp);
}

TEST(DecodeLink, NullLittleEndianIpv4) {
  const auto p = decode(LinkType::Null, kNullLeIpv4);
  ASSERT_EQ(p.result, DecodeResult::Tcp) << problem(p);
  EXPECT_EQ(p.src, v4(127, 0, 0, 1));
  EXPECT_EQ(p.tcp.src_port, 33000);
  EXPECT_EQ(p.tcp.dst_port, 8080);
  EXPECT_EQ(p.tcp_checksum, ChecksumStatus::Good);
}

TEST(DecodeLink, NullBigEndianIpv6) {
  const auto p = decode(LinkType::Null, kNullBeIpv6);
  ASSERT_EQ(p.result, DecodeResult::Tcp) << problem(p);
  EXPECT_EQ(p.src, kLoop6);
  EXPECT_EQ(p.tcp.src_port, 33001);
  EXPECT_EQ(p.tcp_checksum, ChecksumStatus::Good);
}

TEST(DecodeLink, NullAcceptsEveryInet6ValueInBothOrders) {
  for (uint8_t af : {10, 24, 28, 30}) {
    std::vector<uint8_t> be = kNullBeIpv6;
    be[3] = af;
    EXPECT_EQ(decode(LinkType::Null, be).result, DecodeResult::Tcp) << int(af);
    std::vector<uint8_t> le = kNullBeIpv6;
    le[0] = af;
    le[3] = 0;
    EXPECT_EQ(decode(LinkType::Null, le).result, DecodeResult::Tcp) << int(af);
  }
  std::vector<uint8_t> be4 = kNullLeIpv4;
  be4[0] = 0;
  be4[3] = 2;
  EXPECT_EQ(decode(LinkType::Null, be4).result, DecodeResult::Tcp);
  std::vector<uint8_t> other = kNullLeIpv4;
  other[0] = 7;  // AF_NS or similar: not IP
  EXPECT_EQ(decode(LinkType::Null, other).result, DecodeResult::NotTcp);
}

TEST(DecodeLink, LoopIsNetworkOrderOnly) {
  const auto p = decode(LinkType::Loop, kLoopIpv4);
  ASSERT_EQ(p.result, DecodeResult::Tcp) << problem(p);
  EXPECT_EQ(p.tcp.dst_port, 8081);
  EXPECT_EQ(p.payload_len, 1u);
  EXPECT_EQ(p.tcp_checksum, ChecksumStatus::Good);
  // The same frame with a little-endian family is not LOOP.
  std::vector<uint8_t> le = kLoopIpv4;
  le[0] = 2;
  le[3] = 0;
  EXPECT_EQ(decode(LinkType::Loop, le).result, DecodeResult::NotTcp);
}

TEST(DecodeLink, IpLinkTypes) {
  // LINKTYPE_IPV4 / IPV6 are raw IP without the version dispatch.
  const std::span<const uint8_t> ip4(kNullLeIpv4.data() + 4, kNullLeIpv4.size() - 4);
  EXPECT_EQ(decode(LinkType::Ipv4, ip4).result, DecodeResult::Tcp);
  EXPECT_EQ(decode(LinkType::Raw, ip4).result, DecodeResult::Tcp);
  EXPECT_EQ(decode(LinkType::Ipv6, ip4).result, DecodeResult::Malformed);
  const std::span<const uint8_t> ip6(kNullBeIpv6.data() + 4, kNullBeIpv6.size() - 4);
  EXPECT_EQ(decode(LinkType::Ipv6, ip6).result, DecodeResult::Tcp);
  EXPECT_EQ(decode(LinkType::Raw, ip6).result, DecodeResult::Tcp);
  const std::vector<uint8_t> v5 = {0x50, 0, 0, 0};
  const auto p = decode(LinkType::Raw, v5);
  EXPECT_EQ(p.result, DecodeResult::Malformed);
  EXPECT_EQ(problem(p), "raw IP version is neither 4 nor 6");
}

TEST(DecodeLink, ShortLinkHeadersAreTruncated) {
  const std::vector<uint8_t> empty;
  for (LinkType lt : {LinkType::Ethernet, LinkType::LinuxSll, LinkType::LinuxSll2, LinkType::Null,
                      LinkType::Loop, LinkType::Raw}) {
    EXPECT_EQ(decode(lt, empty).result, DecodeResult::Truncated) << static_cast<int>(lt);
  }
  EXPECT_EQ(problem(test_util::decode_prefix(LinkType::Ethernet, kVlanIpv4, 16)),
            "VLAN tag cut by snaplen");
  EXPECT_EQ(problem(test_util::decode_prefix(LinkType::Ethernet, kVlanIpv4, 13)),
            "Ethernet header cut by snaplen");
}

}  // namespace
}  // namespace tcpinspect::core
