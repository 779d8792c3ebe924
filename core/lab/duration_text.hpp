// SPDX-License-Identifier: MIT
#pragma once
#include <chrono>
#include <string_view>

#include "core/lab/port_list.hpp"  // ParseError

namespace tcpinspect::core {

/// The longest duration parse_duration() accepts: a lab interval, not a schedule.
inline constexpr std::chrono::hours kMaxDuration{24};

/// Parses "500ms", "2s", "1.5s", "250us" or a bare number of seconds ("2", "0.5") into
/// nanoseconds, as hping3's and ping's users type them. Zero is allowed; negative numbers,
/// unknown units, trailing text and anything over kMaxDuration are not. Throws ParseError
/// naming `what` ("-i", ...).
std::chrono::nanoseconds parse_duration(std::string_view text, std::string_view what);

}  // namespace tcpinspect::core
