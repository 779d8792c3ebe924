// SPDX-License-Identifier: MIT
#include "core/lab/tcp_flags_text.hpp"

#include <cctype>

#include "core/lab/port_list.hpp"
#include "core/wire/tcp_text.hpp"

namespace tcpinspect::core {
namespace {

std::string lower(std::string_view s) {
  std::string out(s);
  for (char& c : out)
    c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

// One name of the list form; 0 if unknown.
uint16_t flag_from_name(const std::string& name) {
  if (name == "ns") return kAe;
  for (const TcpFlagInfo& f : kTcpFlags)
    if (name == lower(f.name)) return f.bit;
  return 0;
}

}  // namespace

uint16_t parse_tcp_flags(std::string_view text) {
  const std::string all = lower(text);
  if (all.empty() || all == "none" || all == "null") return 0;
  if (all == "xmas") return kFin | kPsh | kUrg;
  // Any separator, or a multi-letter word that is a flag name, selects the name form.
  // "ae" alone stays letters (ACK+ECE), as tcpdump users type it; AE alone is "N" or "ns".
  const bool name_form =
      all.find_first_of(",|+") != std::string::npos || (flag_from_name(all) != 0 && all != "ae");
  if (name_form) {
    uint16_t flags = 0;
    size_t start = 0;
    while (start <= all.size()) {
      size_t end = all.find_first_of(",|+", start);
      if (end == std::string::npos) end = all.size();
      std::string name = all.substr(start, end - start);
      uint16_t bit = flag_from_name(name);
      if (bit == 0)
        throw ParseError("'" + std::string(text) + "': unknown flag name '" + name +
                         "' (fin syn rst psh ack urg ece cwr ae)");
      flags |= bit;
      start = end + 1;
    }
    return flags;
  }
  uint16_t flags = 0;
  for (char c : text) {
    char up = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
    if (up == '.') {
      flags |= kAck;
      continue;
    }
    uint16_t bit = 0;
    for (const TcpFlagInfo& f : kTcpFlags)
      if (f.letter == up) bit = f.bit;
    if (bit == 0)
      throw ParseError("'" + std::string(text) + "': unknown flag letter '" + std::string(1, c) +
                       "' (F S R P A U E C N, or names like syn,ack)");
    flags |= bit;
  }
  return flags;
}

}  // namespace tcpinspect::core
