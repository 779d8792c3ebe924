// SPDX-License-Identifier: MIT
#include <gtest/gtest.h>

#include <string>

#include "traffic/udp_transfer_name.hpp"

namespace tcpinspect::traffic::udp {
namespace {

TEST(UdpTransferName, Table) {
  struct Case {
    std::string name;
    NameCheck want;
  };
  const Case cases[] = {
      {"report.pdf", NameCheck::Ok},
      {"a", NameCheck::Ok},
      {"a..b", NameCheck::Ok},  // dots inside a single component are harmless
      {"caf\xc3\xa9 menu.txt", NameCheck::Ok},
      {std::string(200, 'x'), NameCheck::Ok},
      {"", NameCheck::Empty},
      {std::string(201, 'x'), NameCheck::TooLong},
      {".", NameCheck::LeadingDot},
      {"..", NameCheck::LeadingDot},
      {".bashrc", NameCheck::LeadingDot},
      {".f.partial.0000abcd", NameCheck::LeadingDot},
      {"../etc/passwd", NameCheck::Separator},
      {"/etc/passwd", NameCheck::Separator},
      {"dir/file", NameCheck::Separator},
      {"..\\windows", NameCheck::Separator},
      {"file\\", NameCheck::Separator},
      {std::string("a\0b", 3), NameCheck::Control},
      {"line\nbreak", NameCheck::Control},
      {"tab\there", NameCheck::Control},
      {"esc\x1b[31m", NameCheck::Control},
      {"del\x7f", NameCheck::Control},
  };
  for (const Case& c : cases)
    EXPECT_EQ(check_name(c.name), c.want) << c.name;
}

}  // namespace
}  // namespace tcpinspect::traffic::udp
