// SPDX-License-Identifier: MIT
#pragma once
#include <cstdint>
#include <stdexcept>
#include <string_view>
#include <vector>

namespace tcpinspect::core {

/// A command-line value that does not parse; what() is one line naming the bad part.
struct ParseError : std::invalid_argument {
  using std::invalid_argument::invalid_argument;
};

/// Largest number of ports one list may expand to (all of 1-65535).
inline constexpr size_t kMaxPorts = 65535;

/// Parses "80", "1-1024", "22,80,443" and mixes such as "22,80,1000-1010" into a sorted
/// list without duplicates. Ports are 1-65535 (0 is not a port one can probe); a range
/// must not run backwards ("5-3"). Spaces around items are allowed. Throws ParseError.
std::vector<uint16_t> parse_port_list(std::string_view text);

/// Parses one port 1-65535 (decimal). Throws ParseError naming `what` ("--sport", ...).
uint16_t parse_port(std::string_view text, std::string_view what = "port");

}  // namespace tcpinspect::core
