// SPDX-License-Identifier: MIT
// Community ID v1 against the published baseline of Corelight's specification
// (corelight/community-id-spec, baseline/baseline_deflt.json and baseline_seed1.json):
// IPv4 and IPv6 TCP, UDP and SCTP (equal ports), seeds 0 and 1, both directions.
#include "core/wire/community_id.hpp"

#include <gtest/gtest.h>

#include <cstdio>
#include <string>

namespace tcpinspect::core {
namespace {

/// An address from dotted IPv4 or from IPv6 written as eight groups (no "::": the test
/// stays within core/wire's rule, without the socket headers' inet_pton).
IpAddress ip(const std::string& text) {
  IpAddress a;
  unsigned v[8] = {};
  if (text.find(':') == std::string::npos) {
    a.version = 4;
    EXPECT_EQ(std::sscanf(text.c_str(), "%u.%u.%u.%u", &v[0], &v[1], &v[2], &v[3]), 4) << text;
    for (int i = 0; i < 4; ++i)
      a.bytes[i] = static_cast<uint8_t>(v[i]);
  } else {
    a.version = 6;
    EXPECT_EQ(std::sscanf(text.c_str(), "%x:%x:%x:%x:%x:%x:%x:%x", &v[0], &v[1], &v[2], &v[3],
                          &v[4], &v[5], &v[6], &v[7]),
              8)
        << text;
    for (int i = 0; i < 8; ++i) {
      a.bytes[2 * i] = static_cast<uint8_t>(v[i] >> 8);
      a.bytes[2 * i + 1] = static_cast<uint8_t>(v[i]);
    }
  }
  return a;
}

struct Vector {
  const char* saddr;
  uint16_t sport;
  const char* daddr;
  uint16_t dport;
  uint8_t proto;
  uint16_t seed;
  const char* expected;
};

constexpr Vector kBaseline[] = {
    {"128.232.110.120", 34855, "66.35.250.204", 80, 6, 0, "1:LQU9qZlK+B5F3KDmev6m5PMibrg="},
    {"128.232.110.120", 34855, "66.35.250.204", 80, 6, 1, "1:3V71V58M3Ksw/yuFALMcW0LAHvc="},
    {"2001:470:e5bf:dead:4957:2174:e82c:4887", 63943, "2607:f8b0:400c:c03:0:0:0:1a", 25, 6, 0,
     "1:/qFaeAR+gFe1KYjMzVDsMv+wgU4="},
    {"2001:470:e5bf:dead:4957:2174:e82c:4887", 63943, "2607:f8b0:400c:c03:0:0:0:1a", 25, 6, 1,
     "1:eJYTW6AOzFLlSUoESovMjnu7rMw="},
    {"192.168.1.52", 54585, "8.8.8.8", 53, 17, 0, "1:d/FP5EW3wiY1vCndhwleRRKHowQ="},
    {"192.168.1.52", 54585, "8.8.8.8", 53, 17, 1, "1:Q9We8WO3piVF8yEQBNJF4uiSVrI="},
    {"192.168.170.8", 7, "192.168.170.56", 7, 132, 0, "1:MP2EtRCAUIZvTw6MxJHLV7N7JDs="},
    {"192.168.170.8", 7, "192.168.170.56", 7, 132, 1, "1:5w3ZRjeKBzqT3zsaEECDGjUbYeg="},
};

TEST(CommunityId, MatchesThePublishedBaselineInBothDirections) {
  for (const Vector& v : kBaseline) {
    const IpAddress s = ip(v.saddr);
    const IpAddress d = ip(v.daddr);
    EXPECT_EQ(community_id_v1_string(s, v.sport, d, v.dport, v.proto, v.seed), v.expected)
        << v.saddr << " -> " << v.daddr << " seed " << v.seed;
    EXPECT_EQ(community_id_v1_string(d, v.dport, s, v.sport, v.proto, v.seed), v.expected)
        << v.daddr << " -> " << v.saddr << " seed " << v.seed;
  }
}

TEST(CommunityId, SameAddressIsOrderedByPort) {
  // Loopback connections: equal addresses, so the smaller port goes first either way.
  const IpAddress lo = ip("127.0.0.1");
  const std::string forward = community_id_v1_string(lo, 40000, lo, 8080);
  EXPECT_EQ(forward, community_id_v1_string(lo, 8080, lo, 40000));
  EXPECT_NE(forward, community_id_v1_string(lo, 40001, lo, 8080));
  EXPECT_EQ(forward.size(), kCommunityIdLength);
  EXPECT_EQ(forward.substr(0, 2), "1:");
}

TEST(CommunityId, SeedAndProtocolChangeTheHash) {
  const IpAddress a = ip("10.0.0.1");
  const IpAddress b = ip("10.0.0.2");
  const std::string tcp = community_id_v1_string(a, 1234, b, 80);
  EXPECT_NE(tcp, community_id_v1_string(a, 1234, b, 80, kIpProtoTcp, 2));
  EXPECT_NE(tcp, community_id_v1_string(a, 1234, b, 80, kIpProtoUdp));
}

}  // namespace
}  // namespace tcpinspect::core
