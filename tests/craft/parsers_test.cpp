// SPDX-License-Identifier: MIT
// Flag sets and addresses as typed on the command line (port lists: tests/core/lab).
#include <gtest/gtest.h>

#include <stdexcept>
#include <string>

#include "cmd/ip_parse.hpp"
#include "core/lab/port_list.hpp"  // ParseError
#include "core/lab/tcp_flags_text.hpp"
#include "core/wire/packet.hpp"
#include "core/wire/tcp_text.hpp"

namespace tcpinspect {
namespace {

TEST(Flags, LettersNamesAndSpecialSets) {
  using namespace core;
  EXPECT_EQ(parse_tcp_flags("S"), kSyn);
  EXPECT_EQ(parse_tcp_flags("SA"), kSyn | kAck);
  EXPECT_EQ(parse_tcp_flags("AS"), kSyn | kAck);
  EXPECT_EQ(parse_tcp_flags("S."), kSyn | kAck);
  EXPECT_EQ(parse_tcp_flags("FPU"), kFin | kPsh | kUrg);
  EXPECT_EQ(parse_tcp_flags("R"), kRst);
  EXPECT_EQ(parse_tcp_flags("RA"), kRst | kAck);
  EXPECT_EQ(parse_tcp_flags("SEC"), kSyn | kEce | kCwr);
  EXPECT_EQ(parse_tcp_flags("syn,ack"), kSyn | kAck);
  EXPECT_EQ(parse_tcp_flags("SYN+ACK"), kSyn | kAck);
  EXPECT_EQ(parse_tcp_flags("fin|psh|urg"), kFin | kPsh | kUrg);
  EXPECT_EQ(parse_tcp_flags("syn"), kSyn);
  EXPECT_EQ(parse_tcp_flags("ack"), kAck);
  EXPECT_EQ(parse_tcp_flags("ae"), kAck | kEce);  // letters: AE alone is ambiguous
  EXPECT_EQ(parse_tcp_flags("N"), kAe);
  EXPECT_EQ(parse_tcp_flags("syn,ns"), kSyn | kAe);
  EXPECT_EQ(parse_tcp_flags("none"), 0);
  EXPECT_EQ(parse_tcp_flags("NULL"), 0);
  EXPECT_EQ(parse_tcp_flags(""), 0);
  EXPECT_EQ(parse_tcp_flags("xmas"), kFin | kPsh | kUrg);
  EXPECT_EQ(parse_tcp_flags("FSRPAUECN"), 0x1FF);
}

TEST(Flags, BadFlags) {
  EXPECT_THROW(core::parse_tcp_flags("SX"), core::ParseError);
  EXPECT_THROW(core::parse_tcp_flags("syn,bogus"), core::ParseError);
  EXPECT_THROW(core::parse_tcp_flags("syn,"), core::ParseError);
  try {
    core::parse_tcp_flags("SQ");
    FAIL();
  } catch (const core::ParseError& e) {
    EXPECT_NE(std::string(e.what()).find("unknown flag letter 'Q'"), std::string::npos) << e.what();
  }
}

TEST(Flags, PrintedFlagsParseBack) {
  using namespace core;
  // What craft, probe and reset print (replay's "SYN,ACK") is accepted by --flags.
  for (uint16_t f = 0; f < 0x200; ++f) {
    if (f == kAe) continue;  // "AE" alone is read as the letters A and E (see parse_tcp_flags)
    EXPECT_EQ(parse_tcp_flags(tcp_flags_text(f)), f) << f;
  }
  EXPECT_EQ(parse_tcp_flags("ns"), kAe);
}

TEST(Address, Ipv4Ipv6AndRejects) {
  auto a = cmd::parse_ip("10.202.0.1");
  ASSERT_TRUE(a);
  EXPECT_EQ(a->version, 4);
  EXPECT_EQ(a->bytes[0], 10);
  EXPECT_EQ(a->bytes[1], 202);
  EXPECT_EQ(a->bytes[3], 1);
  auto b = cmd::parse_ip("fd00:202::2");
  ASSERT_TRUE(b);
  EXPECT_EQ(b->version, 6);
  EXPECT_EQ(b->bytes[0], 0xfd);
  EXPECT_EQ(b->bytes[3], 0x02);
  EXPECT_EQ(b->bytes[15], 2);
  EXPECT_TRUE(cmd::parse_ip("[::1]"));
  for (const char* bad : {"", "10.0.0", "10.0.0.256", "localhost", "10.0.0.1:80", "::g",
                          "1.2.3.4/24", "[10.0.0.1", " 10.0.0.1"})
    EXPECT_FALSE(cmd::parse_ip(bad)) << bad;
  try {
    cmd::parse_ip_or_throw("10.0.0.300", "--dst");
    FAIL();
  } catch (const std::invalid_argument& e) {
    EXPECT_STREQ(e.what(), "--dst: '10.0.0.300' is not an IPv4 or IPv6 address");
  }
}

TEST(Address, Endpoints) {
  auto e = cmd::parse_ip_port("10.202.0.1:5555", "--conn");
  EXPECT_EQ(e.ip.version, 4);
  EXPECT_EQ(e.port, 5555);
  auto f = cmd::parse_ip_port("[fd00:202::2]:80", "--conn");
  EXPECT_EQ(f.ip.version, 6);
  EXPECT_EQ(f.port, 80);
  EXPECT_THROW(cmd::parse_ip_port("fd00::2:80", "--conn"), std::invalid_argument);
  EXPECT_THROW(cmd::parse_ip_port("10.0.0.1", "--conn"), std::invalid_argument);
  EXPECT_THROW(cmd::parse_ip_port("10.0.0.1:0", "--conn"), core::ParseError);
  EXPECT_THROW(cmd::parse_ip_port("host:80", "--conn"), std::invalid_argument);
}

}  // namespace
}  // namespace tcpinspect
