// SPDX-License-Identifier: MIT
#pragma once
#include <cstdint>

#include "core/tcp/connection.hpp"
#include "core/tcp/segment_event.hpp"
#include "core/wire/packet.hpp"

namespace tcpinspect::core {

/// A segment that occupies sequence space its sender had already sent (seq < SND.NXT as
/// seen, not a keep-alive): tells which kind it is, as Wireshark does (packet-tcp.c,
/// tcp_analyze_sequence_number), in its order: fast retransmission, out of order by timing,
/// spurious retransmission, then (ours) out of order because it fills the gap the capture
/// saw, Fast Open data resent, and otherwise a retransmission after a timeout. Adds the
/// notes, fills ev.retransmission with the rule and its evidence, counts retransmissions.
/// Resending is routine, so this never adds a failed check. `in_gap`: the segment lies in
/// the sender's open gap.
void classify_resent(const Connection& c, Endpoint& s, const Endpoint& r, const DecodedPacket& p,
                     bool in_gap, int64_t ts, SegmentEvent& ev);

/// Remembers what later judgements need of this segment: first transmissions and when they
/// happened, duplicate ACKs in a row, when the sender last acknowledged, zero-window probes.
/// Call after the segment was judged and before the sender's SND.NXT and ack advance.
void remember_segment(Endpoint& s, const DecodedPacket& p, int64_t ts, const SegmentEvent& ev);

}  // namespace tcpinspect::core
