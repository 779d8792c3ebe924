// SPDX-License-Identifier: MIT
// Port lists, flag sets and addresses as typed on the command line.
#include <gtest/gtest.h>

#include <string>

#include "capture/error.hpp"
#include "capture/ip_parse.hpp"
#include "core/lab/port_list.hpp"
#include "core/lab/tcp_flags_text.hpp"
#include "core/wire/packet.hpp"
#include "core/wire/tcp_text.hpp"

namespace tcpinspect {
namespace {

using core::parse_port_list;
using V = std::vector<uint16_t>;

std::string error_of(std::string_view text) {
  try {
    parse_port_list(text);
  } catch (const core::ParseError& e) {
    return e.what();
  }
  return "(no error)";
}

TEST(PortList, GoodLists) {
  EXPECT_EQ(parse_port_list("80"), V{80});
  EXPECT_EQ(parse_port_list("22,80,443"), (V{22, 80, 443}));
  EXPECT_EQ(parse_port_list("1000-1003"), (V{1000, 1001, 1002, 1003}));
  EXPECT_EQ(parse_port_list("443, 22,1000-1002,22"), (V{22, 443, 1000, 1001, 1002}));
  EXPECT_EQ(parse_port_list("65535"), V{65535});
  EXPECT_EQ(parse_port_list("7-7"), V{7});
  EXPECT_EQ(parse_port_list("1-65535").size(), 65535u);
  EXPECT_EQ(parse_port_list("1-1024").size(), 1024u);
}

TEST(PortList, BadListsSayWhy) {
  EXPECT_EQ(error_of("0"), "port '0': port 0 is not allowed (1-65535)");
  EXPECT_EQ(error_of("70000"), "port '70000': out of range (1-65535)");
  EXPECT_EQ(error_of("5-3"), "port range '5-3' runs backwards");
  EXPECT_EQ(error_of("a"), "port 'a': not a number");
  EXPECT_EQ(error_of(""), "port list is empty");
  EXPECT_EQ(error_of("  "), "port list is empty");
  EXPECT_EQ(error_of("80,"), "port list '80,': empty item");
  EXPECT_EQ(error_of("80,,81"), "port list '80,,81': empty item");
  EXPECT_EQ(error_of("1-"), "port: empty port");
  EXPECT_EQ(error_of("-5"), "port: empty port");
  EXPECT_EQ(error_of("99999999999999999999"),
            "port '99999999999999999999': out of range (1-65535)");
  EXPECT_EQ(error_of("80-90-100"), "port '90-100': not a number");
  EXPECT_EQ(error_of("+80"), "port '+80': not a number");
}

TEST(PortList, SinglePort) {
  EXPECT_EQ(core::parse_port("443", "--dport"), 443);
  try {
    core::parse_port("0", "--dport");
    FAIL();
  } catch (const core::ParseError& e) {
    EXPECT_STREQ(e.what(), "--dport '0': port 0 is not allowed (1-65535)");
  }
}

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
  auto a = capture::parse_ip("10.202.0.1");
  ASSERT_TRUE(a);
  EXPECT_EQ(a->version, 4);
  EXPECT_EQ(a->bytes[0], 10);
  EXPECT_EQ(a->bytes[1], 202);
  EXPECT_EQ(a->bytes[3], 1);
  auto b = capture::parse_ip("fd00:202::2");
  ASSERT_TRUE(b);
  EXPECT_EQ(b->version, 6);
  EXPECT_EQ(b->bytes[0], 0xfd);
  EXPECT_EQ(b->bytes[3], 0x02);
  EXPECT_EQ(b->bytes[15], 2);
  EXPECT_TRUE(capture::parse_ip("[::1]"));
  for (const char* bad : {"", "10.0.0", "10.0.0.256", "localhost", "10.0.0.1:80", "::g",
                          "1.2.3.4/24", "[10.0.0.1", " 10.0.0.1"})
    EXPECT_FALSE(capture::parse_ip(bad)) << bad;
  try {
    capture::parse_ip_or_throw("10.0.0.300", "--dst");
    FAIL();
  } catch (const std::invalid_argument& e) {
    EXPECT_STREQ(e.what(), "--dst: '10.0.0.300' is not an IPv4 or IPv6 address");
  }
}

TEST(Address, Endpoints) {
  auto e = capture::parse_ip_port("10.202.0.1:5555", "--conn");
  EXPECT_EQ(e.ip.version, 4);
  EXPECT_EQ(e.port, 5555);
  auto f = capture::parse_ip_port("[fd00:202::2]:80", "--conn");
  EXPECT_EQ(f.ip.version, 6);
  EXPECT_EQ(f.port, 80);
  EXPECT_THROW(capture::parse_ip_port("fd00::2:80", "--conn"), std::invalid_argument);
  EXPECT_THROW(capture::parse_ip_port("10.0.0.1", "--conn"), std::invalid_argument);
  EXPECT_THROW(capture::parse_ip_port("10.0.0.1:0", "--conn"), core::ParseError);
  EXPECT_THROW(capture::parse_ip_port("host:80", "--conn"), std::invalid_argument);
}

}  // namespace
}  // namespace tcpinspect
