// SPDX-License-Identifier: MIT
#pragma once
#include <cstdint>

#include "core/tcp/connection.hpp"
#include "core/tcp/segment_event.hpp"
#include "core/wire/packet.hpp"

/// TCP Fast Open (RFC 7413) as an observer sees it: a SYN asking for a cookie or presenting
/// one with data, a SYN-ACK granting a cookie and acknowledging the SYN's data (accepted)
/// or only the SYN (ignored: the client sends the data again after the handshake). None of
/// it is an error.
namespace tcpinspect::core {

/// Notes for the Fast Open parts of a SYN or SYN-ACK `p` sent by `s` to `r`; remembers the
/// SYN's data length and whether the SYN-ACK left it unacknowledged.
void note_fast_open(Endpoint& s, Endpoint& r, const DecodedPacket& p, SegmentEvent& ev);

/// The ack a SYN-ACK must carry for the SYN of `syn_sender`: ISN + 1, or ISN + 1 + the SYN's
/// data when the SYN-ACK's `ack` accepts that data (RFC 7413 4.2.2; RFC 9293 3.10.7.3).
uint32_t synack_expected_ack(const Endpoint& syn_sender, uint32_t ack);

}  // namespace tcpinspect::core
