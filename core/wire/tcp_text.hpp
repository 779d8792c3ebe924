// SPDX-License-Identifier: MIT
#pragma once
#include <array>
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "core/wire/packet.hpp"

/// The one text form of TCP flags and options, used by replay, trace, craft, probe, reset
/// and the hex dump: flags "SYN,ACK" (shown as "[SYN,ACK]"), options tcpdump-like
/// "mss 1460,sackOK,TS 2838273914/0,nop,wscale 7" (shown as "<...>").
namespace tcpinspect::core {

/// One flag bit with its name and its tcpdump letter (the letter only for parsing what
/// people type: `craft --flags SA`).
struct TcpFlagInfo {
  TcpFlag bit;
  std::string_view name;
  char letter;
};

/// Every flag, in header bit order (FIN first): the order names are printed in.
inline constexpr std::array<TcpFlagInfo, 9> kTcpFlags{{
    {kFin, "FIN", 'F'},
    {kSyn, "SYN", 'S'},
    {kRst, "RST", 'R'},
    {kPsh, "PSH", 'P'},
    {kAck, "ACK", 'A'},
    {kUrg, "URG", 'U'},
    {kEce, "ECE", 'E'},
    {kCwr, "CWR", 'C'},
    {kAe, "AE", 'N'},
}};
static_assert([] {
  for (size_t i = 0; i < kTcpFlags.size(); ++i)
    if (kTcpFlags[i].bit != (1u << i)) return false;
  return true;
}());

/// Room format_tcp_flags() needs with a separator of up to kMaxFlagSeparator bytes.
inline constexpr size_t kMaxFlagSeparator = 4;
inline constexpr size_t kMaxTcpFlagsText = 9 * 3 + 8 * kMaxFlagSeparator;
/// Room format_tcp_options() needs: at most 40 kinds, and no option's text is longer than
/// 4 characters per byte it takes ("nop,"), plus the problem text.
inline constexpr size_t kMaxTcpOptionsText = 40 * 4 + 96;

/// Flag names joined by `sep` ("SYN,ACK"), "none" if none. Writes at most
/// kMaxTcpFlagsText bytes to `dst` (a longer `sep` is cut to kMaxFlagSeparator); returns
/// how many.
size_t format_tcp_flags(uint16_t flags, std::string_view sep, char* dst);
/// "SYN,ACK", or "none".
std::string tcp_flags_text(uint16_t flags);

/// Options as "mss 1460,sackOK,TS 1/0,nop,wscale 7"; nothing if there are none. A parse
/// problem ends the list with ",bad options: <text>". SACK block edges are printed minus
/// `sack_base` ("sack 1:2"): the base of the segment's relative ack, or 0 for absolute
/// numbers. Writes at most kMaxTcpOptionsText bytes to `dst`; returns how many.
size_t format_tcp_options(const TcpOptions& o, uint32_t sack_base, char* dst);
/// The same as a string ("" when there is nothing to show).
std::string tcp_options_text(const TcpOptions& o, uint32_t sack_base = 0);

}  // namespace tcpinspect::core
