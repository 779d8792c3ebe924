// SPDX-License-Identifier: MIT
#pragma once
#include <cstdint>
#include <optional>
#include <span>

#include "core/wire/packet.hpp"

namespace tcpinspect::core {

/// Maps a libpcap DLT_* value (what pcap_datalink() returns) to a LINKTYPE_* value.
/// Returns nullopt for link types the decoder does not support.
std::optional<LinkType> link_type_from_dlt(int dlt);

/// Decodes the bytes of one captured frame into the packet's headers: the decoder itself.
/// decode_frame() (frame.hpp) wraps it for a whole Frame, adding the connection's key.
/// `frame` is the captured bytes (caplen); `wire_len` is the
/// original length on the wire (a value below frame.size() is taken as frame.size()).
/// Never reads outside `frame`, never allocates, never throws. `out` is reset first.
/// When `verify_checksums` is false both checksum statuses stay Unverified (faster).
///
/// A header that runs past the captured bytes is Truncated when the frame was longer on the
/// wire (snaplen) and Malformed when it was not; `problem` then names the layer with a static
/// string (e.g. "IPv4 header cut by snaplen", "TCP data offset 3 < 5") and `problem_id` with
/// a stable id (core/wire/problems.hpp). TCP option problems
/// leave the segment Tcp and are named in tcp.options.problem instead. The TCP checksum is
/// only judged when the whole segment was captured and the pseudo-header is known (not for
/// first fragments, TSO/GSO captures with length 0, or IPv6 routing headers with segments
/// left).
void decode_packet(LinkType link, std::span<const uint8_t> frame, uint32_t wire_len,
                   DecodedPacket& out, bool verify_checksums = true);

/// Parses TCP option bytes (a header's bytes after the fixed 20, or any part of them that
/// starts at an option) exactly as decode_packet() does; for tools that explain single options.
TcpOptions parse_tcp_options(std::span<const uint8_t> raw);

}  // namespace tcpinspect::core
