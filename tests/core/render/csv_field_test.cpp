// SPDX-License-Identifier: MIT
// RFC 4180 quoting of one CSV field (render_csv).
#include <gtest/gtest.h>

#include <string>

#include "core/render/render_csv.hpp"

namespace tcpinspect::core {
namespace {

std::string field(std::string_view text) {
  std::string out;
  {
    OutBuffer b([&](std::string_view s) { out.append(s); });
    put_csv_field(b, text);
  }
  return out;
}

TEST(CsvField, PlainTextIsNotQuoted) {
  EXPECT_EQ(field("192.0.2.10:41286"), "192.0.2.10:41286");
  EXPECT_EQ(field("[2001:db8::1]:443"), "[2001:db8::1]:443");
  EXPECT_EQ(field("CLOSED>SYN_SENT>ESTABLISHED"), "CLOSED>SYN_SENT>ESTABLISHED");
  EXPECT_EQ(field(""), "");
}

TEST(CsvField, CommaQuoteAndLineBreaksAreQuotedWithQuotesDoubled) {
  EXPECT_EQ(field("a,b"), "\"a,b\"");
  EXPECT_EQ(field("say \"hi\""), "\"say \"\"hi\"\"\"");
  EXPECT_EQ(field("two\nlines"), "\"two\nlines\"");
  EXPECT_EQ(field("cr\rhere"), "\"cr\rhere\"");
}

}  // namespace
}  // namespace tcpinspect::core
