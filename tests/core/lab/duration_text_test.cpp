// SPDX-License-Identifier: MIT
// Durations as craft -i takes them: units, bare seconds, and the one-line errors.
#include <gtest/gtest.h>

#include <chrono>

#include "core/lab/duration_text.hpp"

namespace tcpinspect::core {
namespace {

using std::chrono::nanoseconds;

TEST(Duration, UnitsAndBareSeconds) {
  EXPECT_EQ(parse_duration("500ms", "-i"), nanoseconds(500'000'000));
  EXPECT_EQ(parse_duration("2s", "-i"), nanoseconds(2'000'000'000));
  EXPECT_EQ(parse_duration("2", "-i"), nanoseconds(2'000'000'000));
  EXPECT_EQ(parse_duration("0.5", "-i"), nanoseconds(500'000'000));
  EXPECT_EQ(parse_duration("1.5s", "-i"), nanoseconds(1'500'000'000));
  EXPECT_EQ(parse_duration("250us", "-i"), nanoseconds(250'000));
  EXPECT_EQ(parse_duration("0.001ms", "-i"), nanoseconds(1'000));
  EXPECT_EQ(parse_duration("0", "-i"), nanoseconds(0));
  EXPECT_EQ(parse_duration("86400s", "-i"), nanoseconds(86'400'000'000'000));
}

TEST(Duration, BadTextSaysWhy) {
  auto message = [](const char* text) {
    try {
      parse_duration(text, "-i");
    } catch (const ParseError& e) {
      return std::string(e.what());
    }
    return std::string("accepted");
  };
  EXPECT_EQ(message(""), "-i '': not a duration (500ms, 2s, or seconds)");
  EXPECT_EQ(message("-1"), "-i '-1': not a duration (500ms, 2s, or seconds)");
  EXPECT_EQ(message("+1"), "-i '+1': not a duration (500ms, 2s, or seconds)");
  EXPECT_EQ(message("ms"), "-i 'ms': not a duration (500ms, 2s, or seconds)");
  EXPECT_EQ(message("1e3"), "-i '1e3': unknown unit 'e3' (us, ms or s)");
  EXPECT_EQ(message("5m"), "-i '5m': unknown unit 'm' (us, ms or s)");
  EXPECT_EQ(message("2 s"), "-i '2 s': unknown unit ' s' (us, ms or s)");
  EXPECT_EQ(message("86401"), "-i '86401': longer than 24 hours");
  EXPECT_EQ(message("1e400"), "-i '1e400': unknown unit 'e400' (us, ms or s)");
}

}  // namespace
}  // namespace tcpinspect::core
