// SPDX-License-Identifier: MIT
// Port lists and single ports as probe, craft and reset read them from the command line.
#include "core/lab/port_list.hpp"

#include <gtest/gtest.h>

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace tcpinspect::core {
namespace {

using V = std::vector<uint16_t>;

std::string error_of(std::string_view text) {
  try {
    parse_port_list(text);
  } catch (const ParseError& e) {
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
  EXPECT_EQ(parse_port("443", "--dport"), 443);
  try {
    parse_port("0", "--dport");
    FAIL();
  } catch (const ParseError& e) {
    EXPECT_STREQ(e.what(), "--dport '0': port 0 is not allowed (1-65535)");
  }
}

}  // namespace
}  // namespace tcpinspect::core
