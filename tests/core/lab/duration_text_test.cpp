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
  EXPECT_EQ(parse_duration("100ns", "-i"), nanoseconds(100));
  EXPECT_EQ(parse_duration("1.5m", "-i"), nanoseconds(90'000'000'000));
  EXPECT_EQ(parse_duration("24h", "-i"), nanoseconds(86'400'000'000'000));
  EXPECT_EQ(parse_duration(".5", "-i"), nanoseconds(500'000'000));
}

TEST(Duration, MaxIsTheCallersBound) {
  using namespace std::chrono_literals;
  EXPECT_EQ(parse_duration("48h", "--idle-timeout", 8760h), nanoseconds(172'800'000'000'000));
  EXPECT_THROW(parse_duration("60.001s", "--min-rto", 60s), ParseError);
  EXPECT_EQ(parse_duration("60s", "--min-rto", 60s), nanoseconds(60'000'000'000));
  // Far beyond int64 nanoseconds: refused before the conversion could overflow.
  EXPECT_THROW(parse_duration("1e300h", "-i"), ParseError);
  EXPECT_THROW(parse_duration("99999999999999999999h", "-i", nanoseconds::max()), ParseError);
}

TEST(Duration, FormatReadsBack) {
  using namespace std::chrono_literals;
  EXPECT_EQ(format_duration(0ns), "0s");
  EXPECT_EQ(format_duration(1s), "1s");
  EXPECT_EQ(format_duration(500ms), "500ms");
  EXPECT_EQ(format_duration(1500ms), "1500ms");
  EXPECT_EQ(format_duration(90s), "90s");
  EXPECT_EQ(format_duration(120s), "2m");
  EXPECT_EQ(format_duration(24h), "24h");
  EXPECT_EQ(format_duration(250us), "250us");
  EXPECT_EQ(format_duration(7ns), "7ns");
  for (auto d : {0ns, 7ns, nanoseconds(1500ms), nanoseconds(20ms), nanoseconds(90s)})
    EXPECT_EQ(parse_duration(format_duration(d), "x"), d);
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
  EXPECT_EQ(message("1e3"), "-i '1e3': unknown unit 'e3' (ns, us, ms, s, m or h)");
  EXPECT_EQ(message("5x"), "-i '5x': unknown unit 'x' (ns, us, ms, s, m or h)");
  EXPECT_EQ(message("5M"), "-i '5M': unknown unit 'M' (ns, us, ms, s, m or h)");
  EXPECT_EQ(message("1.5.s"), "-i '1.5.s': unknown unit '.s' (ns, us, ms, s, m or h)");
  EXPECT_EQ(message("2 s"), "-i '2 s': unknown unit ' s' (ns, us, ms, s, m or h)");
  EXPECT_EQ(message("86401"), "-i '86401': longer than 24h");
  EXPECT_EQ(message("1e400"), "-i '1e400': unknown unit 'e400' (ns, us, ms, s, m or h)");
}

}  // namespace
}  // namespace tcpinspect::core
