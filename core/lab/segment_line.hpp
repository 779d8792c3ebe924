// SPDX-License-Identifier: MIT
#pragma once
#include <string>

#include "core/wire/packet.hpp"

namespace tcpinspect::core {

/// One line for a decoded TCP segment, tcpdump-like with absolute numbers:
/// "10.0.0.2:80 > 10.0.0.1:40000 [SA] seq=7 ack=101 win=64240 len=0 <mss 1460,sackOK,nop,wscale 7>"
/// For an ICMP unreachable: "ICMP type 3 code 3 from 10.0.0.2 quoting 10.0.0.1:40000
/// > 10.0.0.2:80".
std::string format_segment_line(const DecodedPacket& p);

/// The option list as "<mss 1460,sackOK,TS val 1 ecr 0,nop,wscale 7>", or "" when none.
std::string format_options(const TcpOptions& o);

}  // namespace tcpinspect::core
