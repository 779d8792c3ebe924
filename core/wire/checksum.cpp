// SPDX-License-Identifier: MIT
#include "core/wire/checksum.hpp"

#include <bit>
#include <cstring>

#if defined(__x86_64__) && (defined(__GNUC__) || defined(__clang__))
#include <immintrin.h>
#endif

namespace tcpinspect::core::checksum {

namespace {

#if defined(__x86_64__) && (defined(__GNUC__) || defined(__clang__))
#define TCPINSPECT_CHECKSUM_AVX2 1
// The sum of little-endian 16-bit words over whole 32-byte blocks: the sum of the even
// bytes plus 256 times the sum of the odd bytes, each gathered with VPSADBW (bytes summed
// into 64-bit lanes, which cannot overflow). Returns the bytes consumed.
__attribute__((target("avx2"))) size_t add_blocks_avx2(const uint8_t* p, size_t n, uint64_t& acc) {
  const size_t blocks = n / 32;
  const __m256i low_byte = _mm256_set1_epi16(0x00FF);
  const __m256i zero = _mm256_setzero_si256();
  __m256i even = zero, odd = zero;
  for (size_t i = 0; i < blocks; ++i) {
    const __m256i w = _mm256_loadu_si256(reinterpret_cast<const __m256i*>(p + 32 * i));
    even = _mm256_add_epi64(even, _mm256_sad_epu8(_mm256_and_si256(w, low_byte), zero));
    odd = _mm256_add_epi64(odd, _mm256_sad_epu8(_mm256_srli_epi16(w, 8), zero));
  }
  alignas(32) uint64_t e[4], o[4];
  _mm256_store_si256(reinterpret_cast<__m256i*>(e), even);
  _mm256_store_si256(reinterpret_cast<__m256i*>(o), odd);
  acc += (e[0] + e[1] + e[2] + e[3]) + ((o[0] + o[1] + o[2] + o[3]) << 8);
  return blocks * 32;
}

bool have_avx2() {
  static const bool yes = __builtin_cpu_supports("avx2");
  return yes;
}
#endif

}  // namespace

uint64_t add(uint64_t sum, std::span<const uint8_t> data) {
  const uint8_t* p = data.data();
  size_t n = data.size();
  // The ones' complement sum is byte-order independent (RFC 1071 2(B)): summing words in
  // native order and swapping the folded result gives the big-endian sum. Loading 8 bytes
  // at a time (memcpy: no alignment assumption) makes a full-size segment cheap to verify.
  // Each step adds < 2^33, so the 64-bit accumulator cannot overflow for any frame.
  uint64_t acc = 0;
#ifdef TCPINSPECT_CHECKSUM_AVX2
  if (n >= 64 && std::endian::native == std::endian::little && have_avx2()) {
    const size_t done = add_blocks_avx2(p, n, acc);
    p += done;
    n -= done;
  }
#endif
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
  acc += a0 + a1 + a2 + a3;  // each < 2^33 per step: no overflow for any frame size
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
