// SPDX-License-Identifier: MIT
#pragma once
#include <cstdint>
#include <span>

/// CRC32C (Castagnoli, reflected polynomial 0x82F63B78), the checksum of every UDP transfer
/// datagram. Chosen over CRC32 (zlib) because it detects more error patterns at these lengths
/// (RFC 3385) and x86 computes it in hardware.
namespace tcpinspect::traffic::udp {

/// zlib-style running CRC: crc32c(b, crc32c(a)) == crc32c(a + b). Start with 0.
/// Uses the SSE4.2 instruction when the CPU has it, else the table code below.
uint32_t crc32c(std::span<const uint8_t> data, uint32_t crc = 0);

/// The portable slicing-by-8 table implementation (exposed so tests can compare both paths).
uint32_t crc32c_portable(std::span<const uint8_t> data, uint32_t crc = 0);

/// True when crc32c() uses the hardware instruction.
bool crc32c_hardware();

}  // namespace tcpinspect::traffic::udp
