// SPDX-License-Identifier: MIT
#include "core/lab/port_list.hpp"

#include <algorithm>
#include <string>

namespace tcpinspect::core {
namespace {

std::string_view trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t'))
    s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t'))
    s.remove_suffix(1);
  return s;
}

}  // namespace

uint16_t parse_port(std::string_view text, std::string_view what) {
  std::string_view s = trim(text);
  const std::string quoted = std::string(what) + " '" + std::string(text) + "'";
  if (s.empty()) throw ParseError(std::string(what) + ": empty port");
  uint32_t value = 0;
  for (char c : s) {
    if (c < '0' || c > '9') throw ParseError(quoted + ": not a number");
    value = value * 10 + static_cast<uint32_t>(c - '0');
    // Stop early so a long digit string cannot overflow.
    if (value > 65535) throw ParseError(quoted + ": out of range (1-65535)");
  }
  if (value == 0) throw ParseError(quoted + ": port 0 is not allowed (1-65535)");
  return static_cast<uint16_t>(value);
}

std::vector<uint16_t> parse_port_list(std::string_view text) {
  if (trim(text).empty()) throw ParseError("port list is empty");
  std::vector<bool> seen(65536, false);
  size_t start = 0;
  while (start <= text.size()) {
    size_t comma = text.find(',', start);
    if (comma == std::string_view::npos) comma = text.size();
    std::string_view item = trim(text.substr(start, comma - start));
    if (item.empty()) throw ParseError("port list '" + std::string(text) + "': empty item");
    size_t dash = item.find('-');
    uint16_t lo = 0;
    uint16_t hi = 0;
    if (dash == std::string_view::npos) {
      lo = hi = parse_port(item);
    } else {
      lo = parse_port(item.substr(0, dash));
      hi = parse_port(item.substr(dash + 1));
      if (hi < lo) throw ParseError("port range '" + std::string(item) + "' runs backwards");
    }
    for (uint32_t p = lo; p <= hi; ++p)
      seen[p] = true;
    start = comma + 1;
  }
  std::vector<uint16_t> ports;
  for (uint32_t p = 1; p <= 65535; ++p)
    if (seen[p]) ports.push_back(static_cast<uint16_t>(p));
  return ports;
}

}  // namespace tcpinspect::core
