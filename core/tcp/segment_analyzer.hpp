// SPDX-License-Identifier: MIT
#pragma once
#include <cstdint>

#include "core/tcp/connection.hpp"
#include "core/tcp/segment_event.hpp"
#include "core/wire/packet.hpp"

/// Per-connection analysis of TCP segments: roles, sequence arithmetic, both endpoints'
/// states, socket-API moments and anomalies. Works on one Connection at a time; the
/// Inspector finds the connection and hands the events on.
namespace tcpinspect::core {

/// Sets up a connection from its first segment `p` (a TCP DecodedPacket): decides roles
/// (client = sender of a bare SYN; otherwise Zeek's originator rules, so summaries line up
/// with conn.log) and initial states (CLOSED/LISTEN, or ESTABLISHED inferred mid-stream).
void start_connection(Connection& c, uint32_t id, const DecodedPacket& p, int64_t ts);

/// Which way `p` travels within `c`.
Direction direction_of(const Connection& c, const DecodedPacket& p);

/// Applies one segment to `c` and describes it in `ev` (states, checks, notes, relative
/// and symbolic numbers). The caller fills ev's frame and time fields.
void analyze_segment(Connection& c, Direction dir, const DecodedPacket& p, int64_t ts,
                     SegmentEvent& ev);

/// Ends TIME_WAIT for sides that have spent 2*MSL in it by capture time `now`. Writes up
/// to two events into `out` and returns how many.
int expire_time_wait(Connection& c, int64_t now, int64_t two_msl, TimerEvent* out);

/// When the next TIME_WAIT expiry is due, or -1 if no side is in TIME_WAIT.
int64_t next_time_wait_expiry(const Connection& c, int64_t two_msl);

/// An ICMP destination unreachable that quotes a segment of `c` (sent in direction
/// `quoted_dir`): a SYN_SENT client fails its connect() with the returned errno name.
std::string_view apply_icmp_unreachable(Connection& c, Direction quoted_dir, const IcmpQuote& icmp,
                                        bool is_ipv6);

bool both_closed(const Connection& c);

/// Settles the steps still open to doubt (core/tcp/undo.hpp) and decides how the connection ended.
/// Called once, when tracking ends. Returns true when it corrected a state shown earlier (a SYN
/// never answered: the listener stays LISTEN), described in `revision`.
bool finalize_connection(Connection& c, Revision& revision);

}  // namespace tcpinspect::core
