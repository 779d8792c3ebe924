// SPDX-License-Identifier: MIT
#pragma once
#include <cstdint>
#include <span>

/// The Internet checksum (RFC 1071): a 16-bit ones' complement sum, built in parts so a
/// pseudo-header and a segment can be summed without copying them together.
namespace tcpinspect::core::checksum {

/// Adds `data` to a running sum as big-endian 16-bit words. An odd final byte is padded with
/// zero, so only the last part of a message may have odd length.
uint64_t add(uint64_t sum, std::span<const uint8_t> data);

/// Adds one 16-bit word (e.g. a pseudo-header length or protocol).
constexpr uint64_t add_word(uint64_t sum, uint16_t word) {
  return sum + word;
}

/// Folds the carries into 16 bits, without complementing: the partial sum checksum offload
/// leaves in the field when `sum` is the pseudo-header's.
constexpr uint16_t fold(uint64_t sum) {
  while (sum >> 16)
    sum = (sum & 0xFFFF) + (sum >> 16);
  return static_cast<uint16_t>(sum);
}

/// Folds the carries and returns the ones' complement: the value a sender puts in the
/// checksum field. Over a message that already contains its checksum this gives 0 when the
/// checksum is right.
constexpr uint16_t finish(uint64_t sum) {
  return static_cast<uint16_t>(~fold(sum) & 0xFFFF);
}

}  // namespace tcpinspect::core::checksum
