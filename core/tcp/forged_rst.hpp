// SPDX-License-Identifier: MIT
#pragma once
#include "core/tcp/connection.hpp"
#include "core/tcp/segment_event.hpp"
#include "core/wire/packet.hpp"

/// Suspicion that an RST was injected by a third party rather than sent by the endpoint it
/// claims to come from, after Weaver, Sommer and Paxson, "Detecting Forged TCP Reset
/// Packets" (NDSS 2009): its IP TTL / hop limit differs from that sender's other segments,
/// its IPv4 ID is far from that sender's running sequence, or the claimed sender goes on
/// sending data afterwards (the RST raced the real traffic). A suspicion, not a verdict:
/// the RST is still analysed as the endpoints would take it.
namespace tcpinspect::core {

/// Judges an RST sent by `s` (note rst_suspected_forged, evidence in ev.forged_rst), flags a
/// data segment from a side after "its" RST, and otherwise learns the sender's TTL and IP ID.
void check_forged_rst(Endpoint& s, const DecodedPacket& p, SegmentEvent& ev);

}  // namespace tcpinspect::core
