// SPDX-License-Identifier: MIT
#pragma once
#include <string>

#include "core/wire/packet.hpp"

namespace tcpinspect::core {

/// One line for a decoded TCP segment, with absolute numbers and replay's flags and options
/// (core/wire/tcp_text.hpp):
/// "10.0.0.2:80 > 10.0.0.1:40000 [SYN,ACK] seq=7 ack=101 win=64240 len=0 <mss
/// 1460,sackOK,nop,wscale 7>" For an ICMP unreachable: "ICMP type 3 code 3 from 10.0.0.2
/// quoting 10.0.0.1:40000 > 10.0.0.2:80".
std::string format_segment_line(const DecodedPacket& p);

}  // namespace tcpinspect::core
