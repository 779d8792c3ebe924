// SPDX-License-Identifier: MIT
#pragma once
#include <cstdint>
#include <string_view>

#include "core/wire/packet.hpp"

namespace tcpinspect::core {

/// Parses a TCP flag set as typed on a command line:
///  - tcpdump letters in any order: "S", "SA", "FPU", with "." also meaning ACK
///    (F S R P A U E C, and N for the AE/former NS bit);
///  - names separated by ',' '|' or '+': "syn,ack", "fin+psh+urg" (case-insensitive;
///    "ae" or "ns" for the AE bit);
///  - "none", "null" or "" for no flag at all (a NULL probe), "xmas" for FIN+PSH+URG.
/// A single word that is a flag name is read as that name, except "ae", which is the letters
/// ACK+ECE (write AE as "N", "ns" or inside a list: "syn,ae").
/// Returns TcpFlag bits. Throws ParseError (core/lab/port_list.hpp) naming the bad letter/name.
/// Letters and names come from kTcpFlags (core/wire/tcp_text.hpp); tcp_flags_text() there
/// is the one way flags are printed, and its output parses back (but for AE alone, "AE").
uint16_t parse_tcp_flags(std::string_view text);

}  // namespace tcpinspect::core
