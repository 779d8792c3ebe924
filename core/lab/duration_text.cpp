// SPDX-License-Identifier: MIT
#include "core/lab/duration_text.hpp"

#include <charconv>
#include <cmath>
#include <string>

namespace tcpinspect::core {

std::chrono::nanoseconds parse_duration(std::string_view text, std::string_view what) {
  auto fail = [&](const std::string& why) -> ParseError {
    return ParseError(std::string(what) + " '" + std::string(text) + "': " + why);
  };
  const char* begin = text.data();
  const char* end = text.data() + text.size();
  // from_chars takes no sign: a '-' is a negative number, a '+' is not a number.
  if (text.empty() || text.front() == '-' || text.front() == '+')
    throw fail("not a duration (500ms, 2s, or seconds)");
  double value = 0;
  const auto [rest, ec] = std::from_chars(begin, end, value, std::chars_format::fixed);
  if (ec != std::errc() || !std::isfinite(value))
    throw fail("not a duration (500ms, 2s, or seconds)");
  const std::string_view unit(rest, static_cast<size_t>(end - rest));
  double ns_per_unit = 0;
  if (unit.empty() || unit == "s")
    ns_per_unit = 1e9;
  else if (unit == "ms")
    ns_per_unit = 1e6;
  else if (unit == "us")
    ns_per_unit = 1e3;
  else
    throw fail("unknown unit '" + std::string(unit) + "' (us, ms or s)");
  const double ns = value * ns_per_unit;
  if (ns > static_cast<double>(std::chrono::nanoseconds(kMaxDuration).count()))
    throw fail("longer than 24 hours");
  return std::chrono::nanoseconds(static_cast<int64_t>(std::llround(ns)));
}

}  // namespace tcpinspect::core
