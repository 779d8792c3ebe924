// SPDX-License-Identifier: MIT
#pragma once
#include <cstdint>
#include <string_view>

#include "core/render/glyphs.hpp"
#include "core/render/out_buffer.hpp"
#include "core/tcp/connection_summary.hpp"
#include "core/tcp/segment_event.hpp"

/// Formatting shared by the renderers.
namespace tcpinspect::core::render {

/// Flag names (FIN SYN RST PSH ACK URG ECE CWR AE order) joined by `sep` (at most 4 bytes);
/// "none" if none. The text is core/wire/tcp_text.hpp's, shared with craft, probe and reset.
void put_flag_names(OutBuffer& out, uint16_t flags, std::string_view sep);

/// "1 connection", "2 connections", "0 connections": the count, a space and the noun, in
/// the singular for exactly one.
void put_count(OutBuffer& out, uint64_t n, std::string_view singular, std::string_view plural);
/// TCP options as tcpdump-like text: "mss 1460,sackOK,TS 1/0,nop,wscale 7". Nothing if none
/// (format_tcp_options(), core/wire/tcp_text.hpp).
/// SACK block edges are printed minus `sack_base`: the base of the segment's relative ack
/// (both are in the peer's sequence space), or 0 for absolute numbers.
void put_options_text(OutBuffer& out, const TcpOptions& o, uint32_t sack_base);
/// A sequence number relative to an ISN, shown symbolically: x, x+1, x+1+5, x-3.
void put_symbolic(OutBuffer& out, char base, int64_t offset);
/// Signed distance of a raw number from an ISN (wrap-safe).
int64_t symbolic_offset(uint32_t value, uint32_t isn);
/// 'x' for the client's sequence space, 'y' for the server's.
inline char space_of(Direction sender) {
  return sender == Direction::ClientToServer ? 'x' : 'y';
}
inline Direction opposite(Direction d) {
  return d == Direction::ClientToServer ? Direction::ServerToClient : Direction::ClientToServer;
}
/// Explains one check in words, e.g. "✓ ack=x+1: the SYN consumed one".
void put_check_text(OutBuffer& out, const Check& check, const SegmentEvent& ev,
                    const Glyphs& g = kUnicodeGlyphs);
/// A connection's endpoint as "ip:port".
void put_endpoint(OutBuffer& out, const EndpointSummary& e);
void put_address(OutBuffer& out, const IpAddress& a, uint16_t port);
/// The address alone (IPv6 without brackets), as format_ip() writes it.
void put_ip(OutBuffer& out, const IpAddress& a);
/// The connection's Community ID v1 ("1:..."; core/wire/community_id.hpp) with this seed.
void put_community_id(OutBuffer& out, const ConnectionSummary& c, uint16_t seed);
/// "CLOSED -> SYN_SENT -> ..." with the given arrow (and ellipsis where it was cut).
void put_path(OutBuffer& out, const StatePath& path, std::string_view arrow,
              std::string_view ellipsis = kUnicodeGlyphs.ellipsis);
/// "BEFORE→AFTER" (or just the state) with the given arrow; `unconfirmed` marks the state
/// after with '?'.
void put_transition(OutBuffer& out, TcpState before, TcpState after,
                    std::string_view arrow = kUnicodeGlyphs.arrow, bool unconfirmed = false);
/// The one-line legend of the '?' mark.
inline constexpr std::string_view kUnconfirmedLegend =
    "STATE? = unconfirmed: nothing that side sent later shows it received the segment (it "
    "may have been lost after the capture point)";
/// A note's short text, with its evidence where it has some: "retransmission, 0.224 s after
/// the original (frame 4)", "RST suspected forged: TTL 50, its sender's other segments 64".
void put_note_text(OutBuffer& out, Note n, const SegmentEvent& ev);
/// Whether a note is left out of the text views because another says it better (a fast or
/// spurious retransmission is also a plain "retransmission" in jsonl).
bool note_hidden(Note n, const SegmentEvent& ev);

}  // namespace tcpinspect::core::render
