// SPDX-License-Identifier: MIT
#pragma once
#include <cstdint>
#include <span>
#include <string>

namespace tcpinspect::core {

/// An annotated hex dump of one raw IPv4/IPv6 packet carrying TCP (no link header), one
/// field per line under section headings:
///
///   IPv4 header (20 bytes)
///   0000  45                        version 4, header length 20 bytes
///   ...
///   TCP options (20 bytes)
///   0028  02 04 05 b4               mss 1460 (maximum segment size)
///   payload (5 bytes)
///   003c  68 65 6c 6c 6f            hello
///
/// Offsets are hex from the first IP byte. Checksums say whether they are right (and the
/// right value when not). A packet that does not decode as TCP gets a plain 16-byte-per-line
/// dump after a line saying why. Pure: no I/O.
std::string annotated_hex_dump(std::span<const uint8_t> ip_packet);

/// The classic "offset  hex  |ascii|" dump, 16 bytes a line.
std::string plain_hex_dump(std::span<const uint8_t> bytes, size_t base_offset = 0);

}  // namespace tcpinspect::core
