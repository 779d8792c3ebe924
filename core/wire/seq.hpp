// SPDX-License-Identifier: MIT
#pragma once
#include <cstdint>

/// Sequence-number arithmetic (RFC 1982 serial numbers, as RFC 9293 section 3.4 requires).
/// Sequence numbers are never compared with `<`: they wrap at 2^32.
namespace tcpinspect::core::seq {

/// a < b in serial-number space: b is "after" a by less than 2^31.
constexpr bool lt(uint32_t a, uint32_t b) {
  return static_cast<int32_t>(a - b) < 0;
}
constexpr bool le(uint32_t a, uint32_t b) {
  return static_cast<int32_t>(a - b) <= 0;
}
constexpr bool gt(uint32_t a, uint32_t b) {
  return lt(b, a);
}
constexpr bool ge(uint32_t a, uint32_t b) {
  return le(b, a);
}
/// Signed distance from `from` to `to` (to - from), in (-2^31, 2^31].
constexpr int64_t diff(uint32_t to, uint32_t from) {
  return static_cast<int32_t>(to - from);
}
/// Offset of `value` above `base`, as an unsigned 32-bit count (wraps like the numbers do).
constexpr uint32_t offset(uint32_t value, uint32_t base) {
  return value - base;
}
/// lo <= v < hi in serial space (RFC 9293 window test).
constexpr bool in_window(uint32_t v, uint32_t lo, uint32_t hi) {
  return le(lo, v) && lt(v, hi);
}

}  // namespace tcpinspect::core::seq
