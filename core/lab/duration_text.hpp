// SPDX-License-Identifier: MIT
#pragma once
#include <chrono>
#include <string>
#include <string_view>

#include "core/lab/port_list.hpp"  // ParseError

namespace tcpinspect::core {

/// The longest duration parse_duration() accepts unless told otherwise: a lab interval, not a
/// schedule.
inline constexpr std::chrono::hours kMaxDuration{24};

/// Parses "500ms", "2s", "1.5s", "250us", "90m", "1h", "100ns" or a bare number of SECONDS
/// ("2", "0.5") into nanoseconds, as tcpdump -G, nc -w and timeout(1) read a bare number.
/// Zero is allowed; negative numbers, unknown units, trailing text and anything over `max`
/// are not. Throws ParseError naming `what` ("-i", "--timeout", ...).
std::chrono::nanoseconds parse_duration(std::string_view text, std::string_view what,
                                        std::chrono::nanoseconds max = kMaxDuration);

/// The shortest exact spelling of `d` that parse_duration() reads back: "1s", "500ms",
/// "20ms", "1500ms", "90s", "24h", "0s".
std::string format_duration(std::chrono::nanoseconds d);

}  // namespace tcpinspect::core
