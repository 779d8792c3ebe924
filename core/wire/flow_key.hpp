// SPDX-License-Identifier: MIT
#pragma once
#include <bit>
#include <cstdint>
#include <cstring>

#include "core/wire/packet.hpp"

namespace tcpinspect::core {

/// A four-tuple in canonical order (lower address/port first), so both directions of a
/// connection map to the same key.
struct FlowKey {
  IpAddress lo_addr;
  IpAddress hi_addr;
  uint16_t lo_port = 0;
  uint16_t hi_port = 0;
  // Word compares: the defaulted operator calls memcmp per address, and this runs for every
  // segment's lookup.
  friend bool operator==(const FlowKey& a, const FlowKey& b) {
    uint64_t x[4], y[4];
    std::memcpy(x, a.lo_addr.bytes.data(), 16);
    std::memcpy(x + 2, a.hi_addr.bytes.data(), 16);
    std::memcpy(y, b.lo_addr.bytes.data(), 16);
    std::memcpy(y + 2, b.hi_addr.bytes.data(), 16);
    return ((x[0] ^ y[0]) | (x[1] ^ y[1]) | (x[2] ^ y[2]) | (x[3] ^ y[3])) == 0 &&
           a.lo_port == b.lo_port && a.hi_port == b.hi_port &&
           a.lo_addr.version == b.lo_addr.version && a.hi_addr.version == b.hi_addr.version;
  }
};

inline bool endpoint_less(const IpAddress& a, uint16_t pa, const IpAddress& b, uint16_t pb) {
  if (a.version != b.version) return a.version < b.version;
  // Lexicographic byte order, as memcmp would give, from two big-endian 64-bit words (a
  // library memcmp call per segment shows in profiles).
  uint64_t x[2], y[2];
  std::memcpy(x, a.bytes.data(), 16);
  std::memcpy(y, b.bytes.data(), 16);
  for (int i = 0; i < 2; ++i) {
    uint64_t xb = x[i], yb = y[i];
    if constexpr (std::endian::native == std::endian::little) {
      xb = __builtin_bswap64(xb);
      yb = __builtin_bswap64(yb);
    }
    if (xb != yb) return xb < yb;
  }
  return pa < pb;
}

/// Builds the key; `src_is_lo` tells which side the packet's source is.
inline FlowKey make_flow_key(const IpAddress& src, uint16_t sport, const IpAddress& dst,
                             uint16_t dport, bool& src_is_lo) {
  src_is_lo = !endpoint_less(dst, dport, src, sport);
  FlowKey k;
  if (src_is_lo) {
    k.lo_addr = src, k.lo_port = sport, k.hi_addr = dst, k.hi_port = dport;
  } else {
    k.lo_addr = dst, k.lo_port = dport, k.hi_addr = src, k.hi_port = sport;
  }
  return k;
}

struct FlowKeyHash {
  size_t operator()(const FlowKey& k) const noexcept {
    // FNV-1a over the words that differ between flows, then a final avalanche.
    uint64_t h = 1469598103934665603ull;
    auto mix = [&h](uint64_t v) { h = (h ^ v) * 1099511628211ull; };
    uint64_t w[4];
    std::memcpy(w, k.lo_addr.bytes.data(), 16);
    std::memcpy(w + 2, k.hi_addr.bytes.data(), 16);
    for (uint64_t v : w)
      mix(v);
    mix(uint64_t{k.lo_port} << 16 | k.hi_port | uint64_t{k.lo_addr.version} << 32);
    h ^= h >> 33;
    h *= 0xff51afd7ed558ccdull;
    h ^= h >> 33;
    return static_cast<size_t>(h);
  }
};

}  // namespace tcpinspect::core
