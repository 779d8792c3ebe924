// SPDX-License-Identifier: MIT
// IPv4 and IPv6: options, fragments, TSO/jumbo lengths, extension headers, header checks.
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
using test_util::with_ipv6_ext;

// kNullBeIpv6 without its 4-byte NULL header: ::1 -> ::1, TCP ACK 33001 -> 8080.
std::vector<uint8_t> raw_ipv6_ack() {
  return {kNullBeIpv6.begin() + 4, kNullBeIpv6.end()};
}

TEST(DecodeIpv4, OptionsAreSkipped) {
  const auto p = decode(LinkType::Raw, kRawIpv4Options);
  ASSERT_EQ(p.result, DecodeResult::Tcp) << problem(p);
  EXPECT_EQ(p.src, v4(10, 1, 2, 3));
  EXPECT_EQ(p.dst, v4(10, 4, 5, 6));
  EXPECT_EQ(p.ip_id, 0x0102);
  EXPECT_EQ(p.ttl, 32);
  EXPECT_FALSE(p.dont_fragment);
  EXPECT_EQ(p.ip_checksum, ChecksumStatus::Good);
  EXPECT_EQ(p.tcp.src_port, 1234);
  EXPECT_EQ(p.tcp.seq, 77u);
  EXPECT_EQ(p.tcp.ack, 88u);
  EXPECT_EQ(p.payload_len, 2u);
  EXPECT_EQ(p.payload, kRawIpv4Options.data() + 44);
  EXPECT_EQ(p.tcp_checksum, ChecksumStatus::Good);
  EXPECT_EQ(p.ip_len, 46u);  // the total length: 24 (with options) + 20 + 2, conn.log ip_bytes
}

TEST(DecodeIpv6, IpLengthIsTheFixedHeaderPlusPayloadLength) {
  const auto raw = raw_ipv6_ack();
  const auto p = decode(LinkType::Raw, raw);
  ASSERT_EQ(p.result, DecodeResult::Tcp) << problem(p);
  EXPECT_EQ(p.ip_len, raw.size());
  EXPECT_EQ(p.ip_len, 40u + 20u + p.payload_len + (p.tcp.header_len - 20u));
}

TEST(DecodeIpv4, BadHeaderChecksumIsReportedButTcpStillDecodes) {
  std::vector<uint8_t> f = kRawIpv4Options;
  f[8] = 31;  // TTL changed without fixing the header checksum
  const auto p = decode(LinkType::Raw, f);
  ASSERT_EQ(p.result, DecodeResult::Tcp);
  EXPECT_EQ(p.ip_checksum, ChecksumStatus::Bad);
  EXPECT_EQ(p.tcp_checksum, ChecksumStatus::Good);  // TTL is not in the pseudo-header
}

TEST(DecodeIpv4, VerifyOffLeavesChecksumsUnverified) {
  const auto p = decode(LinkType::Raw, kRawIpv4Options, /*verify=*/false);
  ASSERT_EQ(p.result, DecodeResult::Tcp);
  EXPECT_EQ(p.ip_checksum, ChecksumStatus::Unverified);
  EXPECT_EQ(p.tcp_checksum, ChecksumStatus::Unverified);
}

TEST(DecodeIpv4, NonFirstFragment) {
  const auto p = decode(LinkType::Raw, kRawIpv4NonFirstFrag);
  EXPECT_EQ(p.result, DecodeResult::NonFirstFragment);
  EXPECT_EQ(p.problem, nullptr);
  EXPECT_EQ(p.ip_version, 4);
  EXPECT_EQ(p.src, v4(10, 1, 2, 3));
  EXPECT_EQ(p.dst, v4(10, 4, 5, 6));
  EXPECT_EQ(p.ip_id, 0x0a0b);
  EXPECT_EQ(p.fragment_offset, 1480);
  EXPECT_FALSE(p.more_fragments);
  EXPECT_EQ(p.protocol, 6);
  EXPECT_EQ(p.ip_checksum, ChecksumStatus::Good);
  EXPECT_EQ(p.tcp.src_port, 0);  // no TCP header in this fragment
}

TEST(DecodeIpv4, NonFirstFragmentOfUdpIsNotTcp) {
  std::vector<uint8_t> f = kRawIpv4NonFirstFrag;
  f[9] = 17;
  fix_ipv4_checksum(f, 0);
  EXPECT_EQ(decode(LinkType::Raw, f).result, DecodeResult::NotTcp);
}

TEST(DecodeIpv4, FirstFragmentDecodesTcpWithoutChecksum) {
  std::vector<uint8_t> f = kRawIpv4Options;
  f[6] = 0x20;  // MF, offset 0
  fix_ipv4_checksum(f, 0);
  const auto p = decode(LinkType::Raw, f);
  ASSERT_EQ(p.result, DecodeResult::Tcp) << problem(p);
  EXPECT_TRUE(p.more_fragments);
  EXPECT_EQ(p.fragment_offset, 0);
  EXPECT_EQ(p.ip_checksum, ChecksumStatus::Good);
  EXPECT_EQ(p.tcp_checksum, ChecksumStatus::Unverified);
  EXPECT_EQ(p.tcp.seq, 77u);
}

TEST(DecodeIpv4, TsoZeroTotalLengthUsesWireLength) {
  const auto p = decode(LinkType::Raw, kRawIpv4Tso);
  ASSERT_EQ(p.result, DecodeResult::Tcp) << problem(p);
  EXPECT_EQ(p.payload_len, 10u);
  EXPECT_EQ(p.captured_payload_len, 10u);
  EXPECT_EQ(p.ip_checksum, ChecksumStatus::Good);
  // The checksum field (0) is neither right for the presumed length nor offload's partial
  // sum; with a presumed length that proves nothing (TcpContext::length_known).
  EXPECT_EQ(p.tcp_checksum, ChecksumStatus::Unverified);
  EXPECT_EQ(p.problem_id, DecodeProblem::Ipv4TotalLengthZero);
  EXPECT_EQ(problem(p), "IPv4 total length 0 (segmentation offload): length taken from the frame");
  // Cut by snaplen: the wire length still gives the payload length.
  DecodedPacket q;
  decode_packet(LinkType::Raw, std::span(kRawIpv4Tso).first(44), 50, q);
  ASSERT_EQ(q.result, DecodeResult::Tcp) << problem(q);
  EXPECT_EQ(q.payload_len, 10u);
  EXPECT_EQ(q.captured_payload_len, 4u);
}

TEST(DecodeIpv4, HeaderLengthBelowFive) {
  for (uint8_t ihl = 0; ihl < 5; ++ihl) {
    std::vector<uint8_t> f = kRawIpv4Options;
    f[0] = 0x40 | ihl;
    const auto p = decode(LinkType::Raw, f);
    EXPECT_EQ(p.result, DecodeResult::Malformed);
    EXPECT_EQ(problem(p), "IPv4 header length " + std::to_string(ihl * 4) + " < 20");
    EXPECT_EQ(p.src, v4(10, 1, 2, 3));  // what was decoded is kept
    EXPECT_EQ(p.dst, v4(10, 4, 5, 6));
  }
}

TEST(DecodeIpv4, TotalLengthShorterThanHeader) {
  std::vector<uint8_t> f = kRawIpv4Options;
  f[2] = 0;
  f[3] = 23;  // IHL says 24
  fix_ipv4_checksum(f, 0);
  const auto p = decode(LinkType::Raw, f);
  EXPECT_EQ(p.result, DecodeResult::Malformed);
  EXPECT_EQ(problem(p), "IPv4 total length < header length");
}

// Tolerant decoding, as tshark does: a total length beyond what the frame had on the wire
// (not a snaplen cut) is noted, and the TCP header is decoded with the frame's length.
TEST(DecodeIpv4, TotalLengthBeyondFrameIsDecodedWithTheFrameLength) {
  std::vector<uint8_t> f = kRawIpv4Options;
  f[3] = 47;  // one more than the 46 bytes on the wire
  fix_ipv4_checksum(f, 0);
  const auto p = decode(LinkType::Raw, f);
  ASSERT_EQ(p.result, DecodeResult::Tcp) << problem(p);
  EXPECT_EQ(p.problem_id, DecodeProblem::Ipv4TotalLengthExceedsFrame);
  EXPECT_EQ(problem(p), "IPv4 total length exceeds the frame: length taken from the frame");
  EXPECT_EQ(p.tcp.seq, 77u);
  EXPECT_EQ(p.payload_len, 2u);  // 46 - 24 (IPv4 with options) - 20 (TCP)
  EXPECT_EQ(p.captured_payload_len, 2u);
  EXPECT_EQ(p.ip_checksum, ChecksumStatus::Good);
  EXPECT_EQ(p.tcp_checksum, ChecksumStatus::Unverified);  // which length did the sender sum?

  // A 1500-byte total length in a frame of 60 (a bogus or LSO length): same treatment; and
  // the frame cut by a snaplen on top still takes the wire length, not the captured one.
  f = test_util::ipv4_tcp_with_options({}, 20);
  f[2] = 0x05;
  f[3] = 0xdc;
  DecodedPacket q;
  decode_packet(LinkType::Raw, std::span(f).first(50), 60, q, false);
  ASSERT_EQ(q.result, DecodeResult::Tcp) << problem(q);
  EXPECT_EQ(q.problem_id, DecodeProblem::Ipv4TotalLengthExceedsFrame);
  EXPECT_EQ(q.payload_len, 20u);
  EXPECT_EQ(q.captured_payload_len, 10u);
  EXPECT_EQ(q.tcp.seq, 1u);
  EXPECT_EQ(q.tcp.ack, 2u);
}

// A total length the snaplen explains is no problem: the payload is only cut.
TEST(DecodeIpv4, TotalLengthBeyondTheCapturedBytesOnlyIsASnaplenCut) {
  auto f = test_util::ipv4_tcp_with_options({}, 20);
  DecodedPacket q;
  decode_packet(LinkType::Raw, std::span(f).first(45), 60, q, false);
  ASSERT_EQ(q.result, DecodeResult::Tcp) << problem(q);
  EXPECT_EQ(q.problem_id, DecodeProblem::None);
  EXPECT_EQ(q.payload_len, 20u);
  EXPECT_EQ(q.captured_payload_len, 5u);
}

// A header that does not fit what the frame really carried stays malformed.
TEST(DecodeIpv4, TotalLengthBeyondFrameStillNeedsTheWholeTcpHeader) {
  auto f = test_util::ipv4_tcp_with_options({}, 0);
  f.resize(30);  // 10 bytes of TCP header on the wire
  f[3] = 40;
  const auto p = decode(LinkType::Raw, f, false);
  EXPECT_EQ(p.result, DecodeResult::Malformed);
  EXPECT_EQ(p.problem_id, DecodeProblem::TcpHeaderShorterThan20);
}

TEST(DecodeIpv4, ShortPacketIsMalformedNotTruncated) {
  // 16 bytes on the wire and all of them captured: nothing was cut, the packet is short.
  const auto p = decode(LinkType::Raw, std::span(kRawIpv4Options).first(16));
  EXPECT_EQ(p.result, DecodeResult::Malformed);
  EXPECT_EQ(problem(p), "IPv4 header longer than the packet");
  const auto q = test_util::decode_prefix(LinkType::Raw, kRawIpv4Options, 16);
  EXPECT_EQ(q.result, DecodeResult::Truncated);
  EXPECT_EQ(problem(q), "IPv4 header cut by snaplen");
  const auto r = test_util::decode_prefix(LinkType::Raw, kRawIpv4Options, 22);
  EXPECT_EQ(r.result, DecodeResult::Truncated);
  EXPECT_EQ(problem(r), "IPv4 options cut by snaplen");
}

TEST(DecodeIpv4, OtherProtocolsAreNotTcp) {
  std::vector<uint8_t> f = kRawIpv4Options;
  f[9] = 17;  // UDP
  fix_ipv4_checksum(f, 0);
  const auto p = decode(LinkType::Raw, f);
  EXPECT_EQ(p.result, DecodeResult::NotTcp);
  EXPECT_EQ(p.protocol, 17);
  EXPECT_EQ(p.src, v4(10, 1, 2, 3));
}

TEST(DecodeIpv6, HopByHopAndAtomicFragment) {
  const auto p = decode(LinkType::Raw, kRawIpv6HopFrag);
  ASSERT_EQ(p.result, DecodeResult::Tcp) << problem(p);
  EXPECT_EQ(p.ip_version, 6);
  EXPECT_EQ(p.src, test_util::v6({0xfe, 0x80, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1}));
  EXPECT_EQ(p.dst, test_util::v6({0xfe, 0x80, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 2}));
  EXPECT_EQ(p.protocol, 6);
  EXPECT_EQ(p.fragment_offset, 0);
  EXPECT_FALSE(p.more_fragments);
  EXPECT_EQ(p.tcp.flags, kSyn | kAck);
  EXPECT_EQ(p.tcp.seq, 0xdeadbeefu);
  EXPECT_EQ(p.tcp.header_len, 24);
  EXPECT_TRUE(p.tcp.options.has_mss);
  EXPECT_EQ(p.tcp.options.mss, 1440);
  EXPECT_EQ(p.payload_len, 0u);
  EXPECT_EQ(p.tcp_checksum, ChecksumStatus::Good);
}

TEST(DecodeIpv6, FirstFragmentIsUnverified) {
  std::vector<uint8_t> f = kRawIpv6HopFrag;
  f[51] = 0x01;  // M=1
  const auto p = decode(LinkType::Raw, f);
  ASSERT_EQ(p.result, DecodeResult::Tcp) << problem(p);
  EXPECT_TRUE(p.more_fragments);
  EXPECT_EQ(p.tcp_checksum, ChecksumStatus::Unverified);
}

TEST(DecodeIpv6, NonFirstFragment) {
  std::vector<uint8_t> f = kRawIpv6HopFrag;
  f[50] = 0x05;
  f[51] = 0xc8;  // offset 185 (1480 bytes), M=0
  const auto p = decode(LinkType::Raw, f);
  EXPECT_EQ(p.result, DecodeResult::NonFirstFragment);
  EXPECT_EQ(p.fragment_offset, 1480);
  EXPECT_EQ(p.protocol, 6);
  EXPECT_EQ(p.ttl, 64);
}

TEST(DecodeIpv6, EspAndNoNextHeaderAreNotTcp) {
  for (uint8_t nh : {50, 59, 17}) {
    std::vector<uint8_t> f = kRawIpv6HopFrag;
    f[40] = nh;  // hop-by-hop's next header
    const auto p = decode(LinkType::Raw, f);
    EXPECT_EQ(p.result, DecodeResult::NotTcp) << int(nh);
    EXPECT_EQ(p.protocol, nh);
  }
}

TEST(DecodeIpv6, DestinationOptionsAndRoutingHeaders) {
  // destination options: next header TCP, length 0 (8 bytes), PadN of 4
  const auto dst = with_ipv6_ext(raw_ipv6_ack(), 60, {6, 0, 1, 4, 0, 0, 0, 0});
  auto p = decode(LinkType::Ipv6, dst);
  ASSERT_EQ(p.result, DecodeResult::Tcp) << problem(p);
  EXPECT_EQ(p.tcp_checksum, ChecksumStatus::Good);  // extension headers are not summed
  // routing: next header TCP, length 0, type 4 (SRH-like), segments left 0
  const auto rt0 = with_ipv6_ext(raw_ipv6_ack(), 43, {6, 0, 4, 0, 0, 0, 0, 0});
  p = decode(LinkType::Ipv6, rt0);
  ASSERT_EQ(p.result, DecodeResult::Tcp) << problem(p);
  EXPECT_EQ(p.tcp_checksum, ChecksumStatus::Good);
  // segments left 1: the pseudo-header destination is elsewhere, so no verdict
  const auto rt1 = with_ipv6_ext(raw_ipv6_ack(), 43, {6, 0, 4, 1, 0, 0, 0, 0});
  p = decode(LinkType::Ipv6, rt1);
  ASSERT_EQ(p.result, DecodeResult::Tcp) << problem(p);
  EXPECT_EQ(p.tcp_checksum, ChecksumStatus::Unverified);
}

TEST(DecodeIpv6, AuthenticationHeaderLengthInFourByteUnits) {
  // AH: next header TCP, payload length 4 -> (4 + 2) * 4 = 24 bytes
  std::vector<uint8_t> ah = {6, 4, 0, 0, 0, 0, 0, 1, 0, 0, 0, 1};  // + SPI, sequence
  ah.resize(24, 0xee);                                             // ICV
  const auto p = decode(LinkType::Ipv6, with_ipv6_ext(raw_ipv6_ack(), 51, ah));
  ASSERT_EQ(p.result, DecodeResult::Tcp) << problem(p);
  EXPECT_EQ(p.tcp.src_port, 33001);
  EXPECT_EQ(p.protocol, 6);
}

TEST(DecodeIpv6, ExtensionHeaderLongerThanPayload) {
  // length 3 -> 32 bytes, but only 28 bytes of payload follow the fixed header
  const auto f = with_ipv6_ext(raw_ipv6_ack(), 60, {6, 3, 1, 4, 0, 0, 0, 0});
  const auto p = decode(LinkType::Ipv6, f);
  EXPECT_EQ(p.result, DecodeResult::Malformed);
  EXPECT_EQ(problem(p), "IPv6 extension header longer than the payload");
}

TEST(DecodeIpv6, PayloadTooShortForAnyExtensionHeader) {
  // Payload length 4 with a hop-by-hop header next: no room for its 8 bytes.
  std::vector<uint8_t> f(kRawIpv6HopFrag.begin(), kRawIpv6HopFrag.begin() + 44);
  f[4] = 0;
  f[5] = 4;
  const auto p = decode(LinkType::Ipv6, f);
  EXPECT_EQ(p.result, DecodeResult::Malformed);
  EXPECT_EQ(problem(p), "IPv6 extension header longer than the payload");
  EXPECT_EQ(p.ttl, 64);
}

TEST(DecodeIpv6, ZeroPayloadLengthUsesWireLength) {
  std::vector<uint8_t> f = raw_ipv6_ack();
  f[4] = 0;
  f[5] = 0;
  const auto p = decode(LinkType::Ipv6, f);
  ASSERT_EQ(p.result, DecodeResult::Tcp) << problem(p);
  EXPECT_EQ(p.payload_len, 0u);
  EXPECT_EQ(p.tcp.header_len, 20);
  EXPECT_EQ(p.problem_id, DecodeProblem::Ipv6PayloadLengthZero);
  // The frame's length is the one the sender summed: the checksum verifies with it.
  EXPECT_EQ(p.tcp_checksum, ChecksumStatus::Good);
  f.insert(f.end(), {'a', 'b', 'c'});
  const auto q = decode(LinkType::Ipv6, f);
  ASSERT_EQ(q.result, DecodeResult::Tcp) << problem(q);
  EXPECT_EQ(q.payload_len, 3u);
  // Now the sum does not match the presumed length; that proves nothing.
  EXPECT_EQ(q.tcp_checksum, ChecksumStatus::Unverified);
}

TEST(DecodeIpv6, PayloadLengthBeyondFrameIsDecodedWithTheFrameLength) {
  std::vector<uint8_t> f = raw_ipv6_ack();
  f.insert(f.end(), {'x', 'y'});
  f[5] = 200;  // the frame carries 22 bytes of payload
  const auto p = decode(LinkType::Ipv6, f);
  ASSERT_EQ(p.result, DecodeResult::Tcp) << problem(p);
  EXPECT_EQ(p.problem_id, DecodeProblem::Ipv6PayloadLengthExceedsFrame);
  EXPECT_EQ(problem(p), "IPv6 payload length exceeds the frame: length taken from the frame");
  EXPECT_EQ(p.payload_len, 2u);
  EXPECT_EQ(p.tcp.src_port, 33001);
  EXPECT_EQ(p.tcp.dst_port, 8080);
  EXPECT_EQ(p.tcp_checksum, ChecksumStatus::Unverified);
}

}  // namespace
}  // namespace tcpinspect::core
