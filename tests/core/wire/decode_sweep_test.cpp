// SPDX-License-Identifier: MIT
// Truncate-at-every-length sweep over every fixture: no prefix crashes; a prefix that cuts a
// header is Truncated, a prefix that cuts only payload is still Tcp with the IP length.
#include <gtest/gtest.h>

#include <algorithm>

#include "tests/core/wire/decode_fixtures.hpp"
#include "tests/core/wire/decode_test_util.hpp"

namespace tcpinspect::core {
namespace {

using namespace test_fixtures;
using test_util::decode_prefix;
using test_util::problem;

struct Fixture {
  const char* name;
  LinkType link;
  const std::vector<uint8_t>* bytes;
  size_t headers_end;   // end of the last header decode needs (TCP header, or IP for fragments)
  size_t datagram_end;  // end of the IP datagram (before link padding)
  DecodeResult full;    // result for the whole frame
  DecodeProblem noted = DecodeProblem::None;  // a problem decoding works around
};

const Fixture kFixtures[] = {
    {"EthIpv4Syn", LinkType::Ethernet, &kEthIpv4Syn, 74, 74, DecodeResult::Tcp},
    {"EthIpv4Data", LinkType::Ethernet, &kEthIpv4Data, 66, 71, DecodeResult::Tcp},
    {"EthIpv4Padded", LinkType::Ethernet, &kEthIpv4Padded, 54, 54, DecodeResult::Tcp},
    {"VlanIpv4", LinkType::Ethernet, &kVlanIpv4, 58, 62, DecodeResult::Tcp},
    {"QinQIpv6", LinkType::Ethernet, &kQinQIpv6, 82, 82, DecodeResult::Tcp},
    {"SllIpv4", LinkType::LinuxSll, &kSllIpv4, 56, 56, DecodeResult::Tcp},
    {"Sll2Ipv6", LinkType::LinuxSll2, &kSll2Ipv6, 80, 83, DecodeResult::Tcp},
    {"NullLeIpv4", LinkType::Null, &kNullLeIpv4, 44, 44, DecodeResult::Tcp},
    {"NullBeIpv6", LinkType::Null, &kNullBeIpv6, 64, 64, DecodeResult::Tcp},
    {"LoopIpv4", LinkType::Loop, &kLoopIpv4, 44, 45, DecodeResult::Tcp},
    {"RawIpv6HopFrag", LinkType::Raw, &kRawIpv6HopFrag, 80, 80, DecodeResult::Tcp},
    {"RawIpv4Options", LinkType::Raw, &kRawIpv4Options, 44, 46, DecodeResult::Tcp},
    {"RawIpv4Tso", LinkType::Raw, &kRawIpv4Tso, 40, 50, DecodeResult::Tcp,
     DecodeProblem::Ipv4TotalLengthZero},
    {"RawIpv4AeSyn", LinkType::Raw, &kRawIpv4AeSyn, 40, 40, DecodeResult::Tcp},
    {"RawIpv4NonFirstFrag", LinkType::Raw, &kRawIpv4NonFirstFrag, 20, 28,
     DecodeResult::NonFirstFragment},
    // ICMP: headers_end is the outer IP header; the quote is judged separately below.
    {"EthIcmpUnreach", LinkType::Ethernet, &kEthIcmpUnreach, 34, 70, DecodeResult::IcmpUnreachable},
    {"RawIcmpv6Unreach", LinkType::Raw, &kRawIcmpv6Unreach, 40, 100, DecodeResult::IcmpUnreachable},
};

TEST(DecodeSweep, FullFramesDecode) {
  for (const auto& fx : kFixtures) {
    const auto p = test_util::decode(fx.link, *fx.bytes);
    EXPECT_EQ(p.result, fx.full) << fx.name << ": " << problem(p);
    EXPECT_EQ(p.problem_id, fx.noted) << fx.name;
    if (fx.noted == DecodeProblem::None) {
      EXPECT_EQ(p.problem, nullptr) << fx.name;
    }
  }
}

TEST(DecodeSweep, EverySnaplenPrefix) {
  for (const auto& fx : kFixtures) {
    const auto& bytes = *fx.bytes;
    const auto full = test_util::decode(fx.link, bytes);
    for (size_t n = 0; n <= bytes.size(); ++n) {
      SCOPED_TRACE(std::string(fx.name) + " caplen " + std::to_string(n));
      const auto p = decode_prefix(fx.link, bytes, n);
      if (n < fx.headers_end) {
        EXPECT_EQ(p.result, DecodeResult::Truncated) << problem(p);
        EXPECT_NE(p.problem, nullptr);
        continue;
      }
      if (fx.full == DecodeResult::Tcp) {
        ASSERT_EQ(p.result, DecodeResult::Tcp) << problem(p);
        EXPECT_EQ(p.payload_len, full.payload_len);
        EXPECT_EQ(p.captured_payload_len, std::min(n, fx.datagram_end) - fx.headers_end);
        EXPECT_EQ(p.tcp.seq, full.tcp.seq);
        EXPECT_EQ(p.tcp.flags, full.tcp.flags);
        EXPECT_EQ(p.tcp.options.kind_count, full.tcp.options.kind_count);
        EXPECT_EQ(p.tcp_checksum,
                  n >= fx.datagram_end ? full.tcp_checksum : ChecksumStatus::Unverified);
      } else if (fx.full == DecodeResult::NonFirstFragment) {
        EXPECT_EQ(p.result, DecodeResult::NonFirstFragment);
      } else {
        // ICMP: the error is attributed once the quoted ports are in; before that it is
        // some other ICMP as far as we can tell.
        const size_t ports_end = fx.datagram_end - (fx.link == LinkType::Raw ? 8 : 4);
        EXPECT_EQ(p.result, n >= ports_end ? DecodeResult::IcmpUnreachable : DecodeResult::NotTcp)
            << problem(p);
      }
    }
  }
}

TEST(DecodeSweep, EveryShortPacketPrefix) {
  // The same prefixes as whole packets (wire length = captured length): never Tcp while a
  // header is missing, never a crash, and truncation is not claimed for a complete capture.
  for (const auto& fx : kFixtures) {
    const auto& bytes = *fx.bytes;
    for (size_t n = 0; n < fx.headers_end; ++n) {
      SCOPED_TRACE(std::string(fx.name) + " length " + std::to_string(n));
      const auto p = test_util::decode(fx.link, std::span(bytes).first(n));
      EXPECT_NE(p.result, DecodeResult::Tcp);
      EXPECT_NE(p.result, DecodeResult::IcmpUnreachable);
      EXPECT_NE(p.problem, nullptr);
    }
  }
}

}  // namespace
}  // namespace tcpinspect::core
