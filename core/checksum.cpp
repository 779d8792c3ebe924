// SPDX-License-Identifier: MIT
#include "core/checksum.hpp"

namespace tcpinspect::core::checksum {

uint64_t add(uint64_t sum, std::span<const uint8_t> data) {
  const uint8_t* p = data.data();
  size_t n = data.size();
  // Summing 32-bit big-endian words into 64 bits gives the same ones' complement result as
  // 16-bit words (RFC 1071 2(C), byte-order and word-size independence), with half the adds.
  // A 64-bit accumulator cannot overflow for any frame size we will see.
  while (n >= 4) {
    sum += (static_cast<uint32_t>(p[0]) << 24) | (static_cast<uint32_t>(p[1]) << 16) |
           (static_cast<uint32_t>(p[2]) << 8) | static_cast<uint32_t>(p[3]);
    p += 4;
    n -= 4;
  }
  if (n >= 2) {
    sum += (static_cast<uint32_t>(p[0]) << 8) | p[1];
    p += 2;
    n -= 2;
  }
  if (n == 1) sum += static_cast<uint32_t>(p[0]) << 8;
  return sum;
}

}  // namespace tcpinspect::core::checksum
