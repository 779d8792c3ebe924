// SPDX-License-Identifier: MIT
#pragma once
#include <cstdint>

#include "core/wire/tcp_flag.hpp"

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

/// SEG.LEN, the sequence numbers a segment occupies (RFC 9293 3.4): its payload, plus one
/// for a SYN and one for a FIN, which each consume a sequence number of their own.
constexpr uint32_t seg_len(uint16_t flags, uint32_t payload_len) {
  return payload_len + ((flags & kSyn) ? 1u : 0u) + ((flags & kFin) ? 1u : 0u);
}
/// The sequence number just past the segment, SEG.SEQ + SEG.LEN: what its receiver's
/// RCV.NXT becomes and what acknowledges all of it (wraps at 2^32).
constexpr uint32_t seg_end(uint32_t seq, uint16_t flags, uint32_t payload_len) {
  return seq + seg_len(flags, payload_len);
}
/// The sequence number a FIN occupies: after the SYN's (if the segment has one) and the
/// payload's, so the last of the segment. Meaningful only when `flags` has kFin.
constexpr uint32_t fin_seq(uint32_t seq, uint16_t flags, uint32_t payload_len) {
  return seq + ((flags & kSyn) ? 1u : 0u) + payload_len;
}

}  // namespace tcpinspect::core::seq
