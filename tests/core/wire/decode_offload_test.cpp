// SPDX-License-Identifier: MIT
// Checksum offload: a TCP checksum field that holds exactly the folded pseudo-header sum (not
// complemented) is what Linux leaves for the NIC, veth or loopback to finish
// (CHECKSUM_PARTIAL). A capture on the sending host sees it; it is "offloaded", not bad.
// The two frames below were captured with tcpdump on `lo` in a fresh network namespace
// (Linux 6.18, python sockets), so the values are the kernel's, not this decoder's.
#include <gtest/gtest.h>

#include "core/wire/checksum.hpp"
#include "tests/core/wire/decode_test_util.hpp"

namespace tcpinspect::core {
namespace {

using test_util::decode;
using test_util::problem;

// Ethernet (lo: zero MACs) + IPv4 127.0.0.1:40882 -> 127.0.0.1:5555, PSH|ACK, "ping!".
// Pseudo-header sum by hand: 7f00 + 0001 + 7f00 + 0001 + 0006 (TCP) + 0025 (37 bytes of TCP)
// = fe2d, the value in the field (offset 14 + 20 + 16).
// clang-format off: one header field per line, as the kernel wrote them
const std::vector<uint8_t> kLoIpv4Data = {
    0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x08, 0x00,  // Ethernet
    0x45, 0x00, 0x00, 0x39, 0x6a, 0x11, 0x40, 0x00, 0x40, 0x06, 0xd2, 0xab,  // IPv4, total 57
    0x7f, 0x00, 0x00, 0x01, 0x7f, 0x00, 0x00, 0x01,                          // 127.0.0.1 x2
    0x9f, 0xb2, 0x15, 0xb3,                                                  // 40882 -> 5555
    0x1e, 0x96, 0x91, 0x4c, 0x12, 0x1f, 0x73, 0x82,                          // seq, ack
    0x80, 0x18, 0x00, 0x40,                                                  // off 8, PSH|ACK
    0xfe, 0x2d,                                                              // checksum fe2d
    0x00, 0x00,                                                              // urgent
    0x01, 0x01, 0x08, 0x0a, 0x9d, 0xf2, 0xa1, 0xa9, 0xcd, 0xc4, 0xd4, 0xea,  // NOP NOP TS
    0x70, 0x69, 0x6e, 0x67, 0x21,                                            // "ping!"
};
// clang-format on
constexpr size_t kIpv4ChecksumAt = 14 + 20 + 16;

// Ethernet + IPv6 ::1:35608 -> ::1:5556, PSH|ACK, "hello". Pseudo-header sum: 0001 + 0001
// (the addresses) + 0000 0025 (37 bytes) + 0006 = 002d.
// clang-format off
const std::vector<uint8_t> kLoIpv6Data = {
    0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x86, 0xdd,  // Ethernet
    0x60, 0x0d, 0x38, 0xa5, 0x00, 0x25, 0x06, 0x40,  // IPv6, payload 37, TCP, hop limit 64
    0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x01,
    0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x01,
    0x8b, 0x18, 0x15, 0xb4,                                                  // 35608 -> 5556
    0x2a, 0x9c, 0x3f, 0x54, 0x08, 0x89, 0x72, 0x89,                          // seq, ack
    0x80, 0x18, 0x00, 0x40,                                                  // off 8, PSH|ACK
    0x00, 0x2d,                                                              // checksum 002d
    0x00, 0x00,                                                              // urgent
    0x01, 0x01, 0x08, 0x0a, 0x56, 0x09, 0xe6, 0x0d, 0xe7, 0x26, 0x47, 0x99,  // NOP NOP TS
    0x68, 0x65, 0x6c, 0x6c, 0x6f,                                            // "hello"
};
// clang-format on
constexpr size_t kIpv6ChecksumAt = 14 + 40 + 16;

// The checksum a sender computes, by the plain reference, with the field zeroed.
uint16_t right_checksum(std::vector<uint8_t> f, size_t ip_at, size_t at, bool v6) {
  f[at] = f[at + 1] = 0;
  const size_t tcp_at = ip_at + (v6 ? 40 : 20);
  std::vector<uint8_t> pseudo;
  if (v6) {
    pseudo.assign(f.begin() + ip_at + 8, f.begin() + ip_at + 40);
  } else {
    pseudo.assign(f.begin() + ip_at + 12, f.begin() + ip_at + 20);
  }
  const size_t len = f.size() - tcp_at;
  if (v6) pseudo.insert(pseudo.end(), {0, 0});
  pseudo.insert(pseudo.end(), {static_cast<uint8_t>(len >> 8), static_cast<uint8_t>(len)});
  pseudo.insert(pseudo.end(), {0, 6});
  pseudo.insert(pseudo.end(), f.begin() + tcp_at, f.end());
  return test_util::ref_checksum(pseudo);
}

void set_checksum(std::vector<uint8_t>& f, size_t at, uint16_t v) {
  f[at] = static_cast<uint8_t>(v >> 8);
  f[at + 1] = static_cast<uint8_t>(v);
}

TEST(DecodeOffload, LoopbackIpv4PartialSumIsOffloaded) {
  const auto p = decode(LinkType::Ethernet, kLoIpv4Data);
  ASSERT_EQ(p.result, DecodeResult::Tcp) << problem(p);
  EXPECT_EQ(p.tcp.checksum, 0xfe2d);
  EXPECT_EQ(p.tcp_checksum, ChecksumStatus::Offloaded);
  EXPECT_EQ(p.ip_checksum, ChecksumStatus::Good);  // the IP header sum is always done
  EXPECT_EQ(p.payload_len, 5u);
  EXPECT_EQ(checksum_status_id(p.tcp_checksum), "offloaded");
}

TEST(DecodeOffload, LoopbackIpv6PartialSumIsOffloaded) {
  const auto p = decode(LinkType::Ethernet, kLoIpv6Data);
  ASSERT_EQ(p.result, DecodeResult::Tcp) << problem(p);
  EXPECT_EQ(p.tcp.checksum, 0x002d);
  EXPECT_EQ(p.tcp_checksum, ChecksumStatus::Offloaded);
  EXPECT_EQ(p.payload_len, 5u);
}

TEST(DecodeOffload, TheCompletedChecksumIsGoodAndAnyOtherValueBad) {
  for (const bool v6 : {false, true}) {
    SCOPED_TRACE(v6 ? "IPv6" : "IPv4");
    std::vector<uint8_t> f = v6 ? kLoIpv6Data : kLoIpv4Data;
    const size_t at = v6 ? kIpv6ChecksumAt : kIpv4ChecksumAt;
    const uint16_t partial = static_cast<uint16_t>((f[at] << 8) | f[at + 1]);
    const uint16_t right = right_checksum(f, 14, at, v6);
    set_checksum(f, at, right);  // what the NIC writes
    EXPECT_EQ(decode(LinkType::Ethernet, f).tcp_checksum, ChecksumStatus::Good);
    // Corruption: neither the right sum nor exactly the partial one.
    for (const uint16_t wrong :
         {static_cast<uint16_t>(right ^ 0x0100), static_cast<uint16_t>(partial + 1),
          static_cast<uint16_t>(~partial), uint16_t{0}}) {
      SCOPED_TRACE(wrong);
      set_checksum(f, at, wrong);
      EXPECT_EQ(decode(LinkType::Ethernet, f).tcp_checksum, ChecksumStatus::Bad);
    }
    // The partial sum over a different length is not this segment's: bad.
    f = v6 ? kLoIpv6Data : kLoIpv4Data;
    f.push_back('?');
    if (v6) {
      f[14 + 5] += 1;
    } else {
      f[14 + 3] += 1;
      test_util::fix_ipv4_checksum(f, 14);
    }
    EXPECT_EQ(decode(LinkType::Ethernet, f).tcp_checksum, ChecksumStatus::Bad);
  }
}

TEST(DecodeOffload, VerifyOffLeavesItUnverified) {
  EXPECT_EQ(decode(LinkType::Ethernet, kLoIpv4Data, false).tcp_checksum,
            ChecksumStatus::Unverified);
}

// A TSO capture (IPv4 total length 0): the length is presumed from the frame; offload's
// partial sum over that length is recognised, any other mismatch proves nothing.
TEST(DecodeOffload, TsoFrameWithPartialSumIsOffloaded) {
  std::vector<uint8_t> f = kLoIpv4Data;
  f[14 + 2] = 0;
  f[14 + 3] = 0;
  test_util::fix_ipv4_checksum(f, 14);
  auto p = decode(LinkType::Ethernet, f);
  ASSERT_EQ(p.result, DecodeResult::Tcp) << problem(p);
  EXPECT_EQ(p.problem_id, DecodeProblem::Ipv4TotalLengthZero);
  EXPECT_EQ(p.payload_len, 5u);
  EXPECT_EQ(p.tcp_checksum, ChecksumStatus::Offloaded);
  set_checksum(f, kIpv4ChecksumAt, 0x1234);
  p = decode(LinkType::Ethernet, f);
  EXPECT_EQ(p.tcp_checksum, ChecksumStatus::Unverified);
  set_checksum(f, kIpv4ChecksumAt, right_checksum(kLoIpv4Data, 14, kIpv4ChecksumAt, false));
  EXPECT_EQ(decode(LinkType::Ethernet, f).tcp_checksum, ChecksumStatus::Good);
}

TEST(DecodeOffload, FoldIsTheUncomplementedSum) {
  EXPECT_EQ(checksum::fold(0x7f00 + 0x0001 + 0x7f00 + 0x0001 + 6 + 37), 0xfe2d);
  EXPECT_EQ(checksum::fold(0x1ffff), 0x0001);  // end-around carry
  EXPECT_EQ(checksum::finish(0x1234), static_cast<uint16_t>(~checksum::fold(0x1234)));
}

}  // namespace
}  // namespace tcpinspect::core
