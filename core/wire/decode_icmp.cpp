// SPDX-License-Identifier: MIT
// ICMP destination unreachable (RFC 792) and ICMPv6 destination unreachable (RFC 4443 3.1)
// quoting a TCP segment: attributed to the quoted connection.
#include "core/wire/byte_reader.hpp"
#include "core/wire/decode_internal.hpp"

namespace tcpinspect::core::detail {
namespace {

constexpr uint8_t kIcmpv4Unreachable = 3;
constexpr uint8_t kIcmpv6Unreachable = 1;
constexpr size_t kIcmpHeaderLen = 8;  // type, code, checksum, 4 unused bytes
constexpr uint16_t kIpv4OffsetMask = 0x1FFF;

// Reads the quoted TCP ports and, if quoted, the sequence number. RFC 792 only promises
// 8 bytes of the original datagram's payload, which is exactly ports + sequence.
void quoted_tcp(ByteReader& r, IcmpQuote& q, DecodedPacket& out) {
  if (!r.read_u16be(q.quoted_src_port) || !r.read_u16be(q.quoted_dst_port))
    return stop(out, DecodeResult::NotTcp);
  q.has_quoted_seq = r.read_u32be(q.quoted_seq);
  out.result = DecodeResult::IcmpUnreachable;
}

}  // namespace

void decode_icmpv4(std::span<const uint8_t> msg, DecodedPacket& out) {
  IcmpQuote& q = out.icmp;
  ByteReader r(msg);
  if (!r.read_u8(q.type) || !r.read_u8(q.code) || q.type != kIcmpv4Unreachable ||
      !r.skip(kIcmpHeaderLen - 2))
    return stop(out, DecodeResult::NotTcp);

  uint8_t ver_ihl = 0;
  uint16_t frag = 0;
  uint8_t protocol = 0;
  if (!r.read_u8(ver_ihl) || !r.skip(5) || !r.read_u16be(frag) || !r.skip(1) ||
      !r.read_u8(protocol) || !r.skip(2) || !r.has(8))
    return stop(out, DecodeResult::NotTcp);
  const size_t ihl = ver_ihl & 0x0F;
  // A quoted non-first fragment has no TCP header to attribute the error to.
  if ((ver_ihl >> 4) != 4 || ihl < 5 || protocol != kProtoTcp || (frag & kIpv4OffsetMask) != 0)
    return stop(out, DecodeResult::NotTcp);
  q.quoted_src.version = 4;
  q.quoted_dst.version = 4;
  r.read_bytes(std::span(q.quoted_src.bytes).first(4));
  r.read_bytes(std::span(q.quoted_dst.bytes).first(4));
  if (!r.skip(ihl * 4 - 20)) return stop(out, DecodeResult::NotTcp);
  quoted_tcp(r, q, out);
}

void decode_icmpv6(std::span<const uint8_t> msg, DecodedPacket& out) {
  IcmpQuote& q = out.icmp;
  ByteReader r(msg);
  if (!r.read_u8(q.type) || !r.read_u8(q.code) || q.type != kIcmpv6Unreachable ||
      !r.skip(kIcmpHeaderLen - 2))
    return stop(out, DecodeResult::NotTcp);

  uint32_t ver_tc_flow = 0;
  uint8_t next = 0;
  if (!r.read_u32be(ver_tc_flow) || !r.skip(2) || !r.read_u8(next) || !r.skip(1) || !r.has(32) ||
      (ver_tc_flow >> 28) != 6)
    return stop(out, DecodeResult::NotTcp);
  q.quoted_src.version = 6;
  q.quoted_dst.version = 6;
  r.read_bytes(q.quoted_src.bytes);
  r.read_bytes(q.quoted_dst.bytes);
  // Skip the quoted extension headers that may precede TCP. Each is at least 8 bytes and
  // every skip is checked, so the loop ends with the quote.
  while (next != kProtoTcp) {
    uint8_t following = 0;
    uint8_t len_field = 0;
    if (!r.peek_u8(0, following) || !r.peek_u8(1, len_field))
      return stop(out, DecodeResult::NotTcp);
    size_t len = 0;
    if (next == 0 || next == 43 || next == 60) {  // hop-by-hop, routing, destination options
      len = (len_field + 1u) * 8u;
    } else if (next == 44) {  // fragment: only the first carries the TCP header
      uint8_t off_hi = 0;
      uint8_t off_lo = 0;
      if (!r.peek_u8(2, off_hi) || !r.peek_u8(3, off_lo) || ((off_hi << 8 | off_lo) & 0xFFF8))
        return stop(out, DecodeResult::NotTcp);
      len = 8;
    } else {
      return stop(out, DecodeResult::NotTcp);
    }
    if (!r.skip(len)) return stop(out, DecodeResult::NotTcp);
    next = following;
  }
  quoted_tcp(r, q, out);
}

}  // namespace tcpinspect::core::detail
