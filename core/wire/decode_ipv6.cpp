// SPDX-License-Identifier: MIT
// IPv6 fixed header and extension header chain (RFC 8200, RFC 4302 for AH), then TCP or ICMPv6.
#include <algorithm>

#include "core/wire/byte_reader.hpp"
#include "core/wire/checksum.hpp"
#include "core/wire/decode_internal.hpp"

namespace tcpinspect::core::detail {
namespace {

constexpr size_t kFixedHeaderLen = 40;
constexpr uint8_t kHopByHop = 0;
constexpr uint8_t kRouting = 43;
constexpr uint8_t kFragment = 44;
constexpr uint8_t kAuthHeader = 51;
constexpr uint8_t kDestOptions = 60;
constexpr uint16_t kFragmentOffsetMask = 0xFFF8;
constexpr uint16_t kMoreFragmentsBit = 0x0001;

}  // namespace

void decode_ipv6(std::span<const uint8_t> ip, uint32_t wire_len, DecodedPacket& out, bool verify) {
  ByteReader r(ip);
  uint32_t ver_tc_flow = 0;
  uint16_t payload_field = 0;
  uint8_t next = 0;
  uint8_t hop_limit = 0;
  if (!r.read_u32be(ver_tc_flow) || !r.read_u16be(payload_field) || !r.read_u8(next) ||
      !r.read_u8(hop_limit) || !r.has(32)) {
    if (wire_len >= kFixedHeaderLen)
      return stop(out, DecodeResult::Truncated, DecodeProblem::Ipv6HeaderCut);
    return stop(out, DecodeResult::Malformed, DecodeProblem::Ipv6HeaderLongerThanPacket);
  }
  if ((ver_tc_flow >> 28) != 6)
    return stop(out, DecodeResult::Malformed, DecodeProblem::Ipv6Version);

  out.ip_version = 6;
  out.tos = static_cast<uint8_t>(ver_tc_flow >> 20);
  out.ttl = hop_limit;
  out.protocol = next;
  out.src.version = 6;
  out.dst.version = 6;
  r.read_bytes(out.src.bytes);
  r.read_bytes(out.dst.bytes);

  // As for IPv4 (decode_ipv4.cpp), two payload lengths are replaced by the frame's and
  // noted: 0, a jumbogram (RFC 2675) or a GSO/BIG TCP capture, and one beyond what the frame
  // had on the wire.
  const uint32_t wire_payload = wire_len - static_cast<uint32_t>(kFixedHeaderLen);
  uint32_t remaining = payload_field;
  bool length_known = true;
  bool length_beyond_frame = false;
  if (payload_field == 0) {
    remaining = wire_payload;
    length_known = false;
    tolerate(out, DecodeProblem::Ipv6PayloadLengthZero);
  } else if (payload_field > wire_payload) {
    remaining = wire_payload;
    length_known = false;
    length_beyond_frame = true;
    tolerate(out, DecodeProblem::Ipv6PayloadLengthExceedsFrame);
  }
  out.ip_len = static_cast<uint32_t>(kFixedHeaderLen) + remaining;

  TcpContext ctx;
  // Captured bytes of the payload only (not link-layer padding after it).
  ByteReader body(ip.subspan(kFixedHeaderLen, std::min<size_t>(r.remaining(), remaining)));
  // Each header consumes at least 8 bytes of `remaining`, so the walk is bounded.
  for (;;) {
    out.protocol = next;
    if (next == kProtoTcp || next == kProtoIcmpv6) break;
    if (next != kHopByHop && next != kRouting && next != kFragment && next != kDestOptions &&
        next != kAuthHeader)
      return stop(out, DecodeResult::NotTcp);  // includes no-next-header (59) and ESP (50)

    uint8_t following = 0;
    uint8_t len_field = 0;
    if (remaining < 8)
      return stop(out, DecodeResult::Malformed,
                  DecodeProblem::Ipv6ExtensionHeaderLongerThanPayload);
    if (!body.peek_u8(0, following) || !body.peek_u8(1, len_field))
      return stop(out, DecodeResult::Truncated, DecodeProblem::Ipv6ExtensionHeaderCut);
    const size_t len = next == kAuthHeader ? (len_field + 2u) * 4u : (len_field + 1u) * 8u;
    if (len > remaining)
      return stop(out, DecodeResult::Malformed,
                  DecodeProblem::Ipv6ExtensionHeaderLongerThanPayload);
    std::span<const uint8_t> ext;
    if (!body.subspan(len, ext))
      return stop(out, DecodeResult::Truncated, DecodeProblem::Ipv6ExtensionHeaderCut);

    if (next == kFragment) {
      // ext: next(1) reserved(1) offset:13|res:2|M:1 (2) identification(4)
      const uint16_t off_m = static_cast<uint16_t>((ext[2] << 8) | ext[3]);
      out.fragment_offset = off_m & kFragmentOffsetMask;  // offset in 8-byte units << 3 = bytes
      out.more_fragments = (off_m & kMoreFragmentsBit) != 0;
      // As for IPv4, only a TCP datagram's later fragments are worth reporting; one whose
      // fragmentable part starts with another extension header cannot be told apart.
      if (out.fragment_offset > 0) {
        out.protocol = following;
        return stop(out,
                    following == kProtoTcp ? DecodeResult::NonFirstFragment : DecodeResult::NotTcp);
      }
      if (out.more_fragments) ctx.checksum_possible = false;
    } else if (next == kRouting && ext[3] != 0) {
      // Segments left: the pseudo-header uses the final destination, which is in the
      // routing header in a type-specific layout. Not checked rather than guessed.
      ctx.checksum_possible = false;
    }
    remaining -= static_cast<uint32_t>(len);
    next = following;
  }

  const auto upper = body.rest();
  if (next == kProtoIcmpv6) return decode_icmpv6(upper, out);

  ctx.segment_len = remaining;
  ctx.length_known = length_known;
  if (length_beyond_frame) ctx.checksum_possible = false;
  if (verify && ctx.checksum_possible) {
    // RFC 8200 8.1 pseudo-header: addresses, 32-bit upper-layer length, zeros, next header.
    uint64_t sum = checksum::add(0, ip.subspan(8, 32));
    sum = checksum::add_word(sum, static_cast<uint16_t>(remaining >> 16));
    sum = checksum::add_word(sum, static_cast<uint16_t>(remaining & 0xFFFF));
    ctx.pseudo_sum = checksum::add_word(sum, kProtoTcp);
  }
  decode_tcp(upper, ctx, out, verify);
}

}  // namespace tcpinspect::core::detail
