// SPDX-License-Identifier: MIT
#include "core/lab/duration_text.hpp"

#include <array>
#include <charconv>
#include <cmath>
#include <cstdint>
#include <string>

namespace tcpinspect::core {

namespace {

struct Unit {
  std::string_view name;
  int64_t ns;
};

// Largest first: format_duration() picks the first unit that divides exactly.
constexpr std::array<Unit, 6> kUnits{{{"h", 3'600'000'000'000},
                                      {"m", 60'000'000'000},
                                      {"s", 1'000'000'000},
                                      {"ms", 1'000'000},
                                      {"us", 1'000},
                                      {"ns", 1}}};

}  // namespace

std::chrono::nanoseconds parse_duration(std::string_view text, std::string_view what,
                                        std::chrono::nanoseconds max) {
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
  // A bare number is seconds, as tcpdump -G, nc -w and timeout(1) read it.
  double ns_per_unit = unit.empty() ? 1e9 : 0;
  for (const Unit& u : kUnits)
    if (unit == u.name) ns_per_unit = static_cast<double>(u.ns);
  if (ns_per_unit == 0)
    throw fail("unknown unit '" + std::string(unit) + "' (ns, us, ms, s, m or h)");
  // Compared as double before converting, so a huge number cannot overflow int64 (2^63 ns is
  // 292 years; 9.2e18 stays below it after rounding to double).
  const double ns = value * ns_per_unit;
  if (ns > static_cast<double>(max.count()) || ns >= 9.2e18)
    throw fail("longer than " + format_duration(max));
  return std::chrono::nanoseconds(static_cast<int64_t>(std::llround(ns)));
}

std::string format_duration(std::chrono::nanoseconds d) {
  const int64_t ns = d.count();
  if (ns == 0) return "0s";
  for (const Unit& u : kUnits)
    if (ns % u.ns == 0) return std::to_string(ns / u.ns) + std::string(u.name);
  return std::to_string(ns) + "ns";  // unreachable: every count divides by 1 ns
}

}  // namespace tcpinspect::core
