// SPDX-License-Identifier: MIT
#pragma once
#include <cstdint>
#include <optional>
#include <span>

#include "core/packet.hpp"

namespace tcpinspect::core {

/// Maps a libpcap DLT_* value (what pcap_datalink() returns) to a LINKTYPE_* value.
/// Returns nullopt for link types the decoder does not support.
std::optional<LinkType> link_type_from_dlt(int dlt);

/// Decodes one captured frame. `frame` is the captured bytes (caplen); `wire_len` is the
/// original length on the wire. Never reads outside `frame`, never allocates, never throws.
/// When `verify_checksums` is false both checksum statuses stay Unverified (faster).
void decode_frame(LinkType link, std::span<const uint8_t> frame, uint32_t wire_len,
                  DecodedPacket& out, bool verify_checksums = true);

}  // namespace tcpinspect::core
