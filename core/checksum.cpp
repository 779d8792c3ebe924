// SPDX-License-Identifier: MIT
#include "core/checksum.hpp"

#include <bit>
#include <cstring>

namespace tcpinspect::core::checksum {

uint64_t add(uint64_t sum, std::span<const uint8_t> data) {
  const uint8_t* p = data.data();
  size_t n = data.size();
  // The ones' complement sum is byte-order independent (RFC 1071 2(B)): summing words in
  // native order and swapping the folded result gives the big-endian sum. Loading 8 bytes
  // at a time (memcpy: no alignment assumption) makes a full-size segment cheap to verify.
  // Each step adds < 2^33, so the 64-bit accumulator cannot overflow for any frame.
  uint64_t acc = 0;
  // Four independent accumulators over 32-byte blocks let the adds run in parallel.
  uint64_t a0 = 0, a1 = 0, a2 = 0, a3 = 0;
  while (n >= 32) {
    uint64_t w[4];
    std::memcpy(w, p, 32);
    a0 += (w[0] & 0xFFFFFFFF) + (w[0] >> 32);
    a1 += (w[1] & 0xFFFFFFFF) + (w[1] >> 32);
    a2 += (w[2] & 0xFFFFFFFF) + (w[2] >> 32);
    a3 += (w[3] & 0xFFFFFFFF) + (w[3] >> 32);
    p += 32;
    n -= 32;
  }
  acc = a0 + a1 + a2 + a3;  // each < 2^33 per step: no overflow for any frame size
  while (n >= 8) {
    uint64_t w = 0;
    std::memcpy(&w, p, 8);
    acc += (w & 0xFFFFFFFF) + (w >> 32);
    p += 8;
    n -= 8;
  }
  if (n >= 4) {
    uint32_t w = 0;
    std::memcpy(&w, p, 4);
    acc += w;
    p += 4;
    n -= 4;
  }
  if (n >= 2) {
    uint16_t w = 0;
    std::memcpy(&w, p, 2);
    acc += w;
    p += 2;
    n -= 2;
  }
  while (acc >> 16)
    acc = (acc & 0xFFFF) + (acc >> 16);
  if constexpr (std::endian::native == std::endian::little) acc = ((acc & 0xFF) << 8) | (acc >> 8);
  sum += acc;
  if (n == 1) sum += static_cast<uint32_t>(p[0]) << 8;  // odd tail, padded with zero
  return sum;
}

}  // namespace tcpinspect::core::checksum
