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
      // Issue 12: C1 controls and bidirectional controls, encoded in UTF-8.
      {"csi\xc2\x9b"
       "31m",
       NameCheck::C1Control},                 // U+009B, a terminal's CSI
      {"nel\xc2\x85", NameCheck::C1Control},  // U+0085
      {"a\xc2\x80", NameCheck::C1Control},    // U+0080, the first
      {"a\xc2\x9f", NameCheck::C1Control},    // U+009F, the last
      {"a\xc2\xa0"
       "b",
       NameCheck::Ok},  // U+00A0 (no-break space) is not C1
      {"invoice\xe2\x80\xae"
       "cod.exe",
       NameCheck::BidiControl},                   // U+202E RLO
      {"a\xe2\x80\xaa", NameCheck::BidiControl},  // U+202A LRE
      {"a\xe2\x81\xa6", NameCheck::BidiControl},  // U+2066 LRI
      {"a\xe2\x81\xa9", NameCheck::BidiControl},  // U+2069 PDI
      {"a\xe2\x80\xa9", NameCheck::Ok},           // U+2029 paragraph separator: not bidi control
      {"a\xe2\x81\xaa", NameCheck::Ok},           // U+206A: just past the isolates
      // Bytes that are not UTF-8 are allowed (Linux names are bytes); printing escapes them.
      {"latin1-\xe9t\xe9", NameCheck::Ok},
      {"raw\x9b", NameCheck::Ok},
  };
  for (const Case& c : cases)
    EXPECT_EQ(check_name(c.name), c.want) << c.name;
}

// Issue 12: names are printed with every control and every byte of invalid UTF-8 escaped.
TEST(UdpTransferName, PrintableEscapesControlsAndInvalidUtf8) {
  struct Case {
    std::string in, want;
  };
  const Case cases[] = {
      {"plain.txt", "plain.txt"},
      {"caf\xc3\xa9 \xe2\x82\xac \xf0\x9f\x98\x80", "caf\xc3\xa9 \xe2\x82\xac \xf0\x9f\x98\x80"},
      {"a\nb\x1b[0m\x7f", "a\\x0ab\\x1b[0m\\x7f"},
      {"q\"b\\", "q\\x22b\\x5c"},
      {"c1\xc2\x9b", "c1\\xc2\\x9b"},
      {"rlo\xe2\x80\xae", "rlo\\xe2\\x80\\xae"},
      {"latin1-\xe9t\xe9", "latin1-\\xe9t\\xe9"},             // not UTF-8
      {"lone\x9b", "lone\\x9b"},                              // stray continuation byte
      {"cut\xe2\x82", "cut\\xe2\\x82"},                       // truncated sequence
      {"overlong\xc0\xaf", "overlong\\xc0\\xaf"},             // overlong '/'
      {"surrogate\xed\xa0\x80", "surrogate\\xed\\xa0\\x80"},  // U+D800
      {"big\xf4\x90\x80\x80", "big\\xf4\\x90\\x80\\x80"},     // above U+10FFFF
      {"resync\xe9"
       "ok\xc3\xa9",
       "resync\\xe9ok\xc3\xa9"},
      {std::string("nul\0", 4), "nul\\x00"},
  };
  for (const Case& c : cases)
    EXPECT_EQ(printable(c.in), c.want) << c.in;
}

}  // namespace
}  // namespace tcpinspect::traffic::udp
