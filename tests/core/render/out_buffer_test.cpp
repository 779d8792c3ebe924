// SPDX-License-Identifier: MIT
// OutBuffer copies short text in overlapping fixed-size pieces: every length must come out
// byte for byte, growth must keep earlier text, and flushing must hand over everything.
#include "core/render/out_buffer.hpp"

#include <gtest/gtest.h>

#include <string>

namespace tcpinspect::core {
namespace {

TEST(OutBuffer, PutCopiesEveryLengthExactly) {
  std::string source;
  for (int i = 0; i < 300; ++i)
    source += static_cast<char>('!' + (i * 7) % 90);
  std::string written;
  {
    OutBuffer out([&](std::string_view v) { written.append(v); }, 16);
    for (size_t len = 0; len <= 300; ++len)
      out.put(std::string_view(source).substr(300 - len)).put('|');
  }  // the destructor flushes
  std::string expected;
  for (size_t len = 0; len <= 300; ++len)
    expected += source.substr(300 - len) + '|';
  EXPECT_EQ(written, expected);
}

TEST(OutBuffer, PutPrefixKeepsOnlyTheLength) {
  std::string written;
  OutBuffer out([&](std::string_view v) { written.append(v); }, 8);
  std::array<char, 12> text{};
  std::memcpy(text.data(), "10.0.0.1:80!", 12);
  out.put_prefix(text, 11).put('/').put_prefix(text, 0).put('/').put_prefix(text, 12);
  EXPECT_EQ(out.text(), "10.0.0.1:80//10.0.0.1:80!");
  out.flush();
  EXPECT_EQ(written, "10.0.0.1:80//10.0.0.1:80!");
  EXPECT_EQ(out.size(), 0u);
}

TEST(OutBuffer, NumbersAndSeconds) {
  OutBuffer out([](std::string_view) {}, 4);
  out.put_uint(0).put(' ').put_uint(18446744073709551615ull).put(' ').put_int(-42).put(' ');
  out.put_seconds(1'234'567'890)
      .put(' ')
      .put_seconds(-500, 9)
      .put(' ')
      .put_seconds(60'000'000'000, 0);
  EXPECT_EQ(out.text(), "0 18446744073709551615 -42 1.234567 -0.000000500 60");
  out.discard();
  EXPECT_EQ(out.text(), "");
}

}  // namespace
}  // namespace tcpinspect::core
