// SPDX-License-Identifier: MIT
// IPv4 header (RFC 791): lengths, fragments, header checksum, then TCP or ICMP.
#include <algorithm>

#include "core/wire/byte_reader.hpp"
#include "core/wire/checksum.hpp"
#include "core/wire/decode_internal.hpp"

namespace tcpinspect::core::detail {
namespace {

constexpr size_t kMinHeaderLen = 20;
constexpr uint16_t kDontFragment = 0x4000;
constexpr uint16_t kMoreFragments = 0x2000;
constexpr uint16_t kOffsetMask = 0x1FFF;

// One static string per impossible IHL (0..4), so the text can carry the number.
constexpr const char* kShortIhl[5] = {"IPv4 header length 0 < 20", "IPv4 header length 4 < 20",
                                      "IPv4 header length 8 < 20", "IPv4 header length 12 < 20",
                                      "IPv4 header length 16 < 20"};

// A header that goes past the captured bytes is cut by snaplen if the frame was longer on
// the wire; otherwise the packet itself is too short for what it claims.
void short_header(DecodedPacket& out, size_t need, uint32_t wire_len, DecodeProblem truncated,
                  DecodeProblem malformed) {
  if (wire_len >= need) return stop(out, DecodeResult::Truncated, truncated);
  stop(out, DecodeResult::Malformed, malformed);
}

}  // namespace

void decode_ipv4(std::span<const uint8_t> ip, uint32_t wire_len, DecodedPacket& out, bool verify) {
  ByteReader r(ip);
  uint8_t ver_ihl = 0;
  uint8_t tos = 0;
  uint16_t total_len = 0;
  uint16_t id = 0;
  uint16_t frag = 0;
  uint8_t ttl = 0;
  uint8_t protocol = 0;
  uint16_t header_checksum = 0;
  if (!r.read_u8(ver_ihl) || !r.read_u8(tos) || !r.read_u16be(total_len) || !r.read_u16be(id) ||
      !r.read_u16be(frag) || !r.read_u8(ttl) || !r.read_u8(protocol) ||
      !r.read_u16be(header_checksum) || !r.has(8))
    return short_header(out, kMinHeaderLen, wire_len, DecodeProblem::Ipv4HeaderCut,
                        DecodeProblem::Ipv4HeaderLongerThanPacket);
  if ((ver_ihl >> 4) != 4) return stop(out, DecodeResult::Malformed, DecodeProblem::Ipv4Version);

  out.ip_version = 4;
  out.tos = tos;
  out.ip_id = id;
  out.dont_fragment = (frag & kDontFragment) != 0;
  out.more_fragments = (frag & kMoreFragments) != 0;
  out.fragment_offset = static_cast<uint16_t>((frag & kOffsetMask) * 8);
  out.ttl = ttl;
  out.protocol = protocol;
  out.src.version = 4;
  out.dst.version = 4;
  r.read_bytes(std::span(out.src.bytes).first(4));
  r.read_bytes(std::span(out.dst.bytes).first(4));

  const size_t ihl = ver_ihl & 0x0F;
  if (ihl < 5)
    return stop(out, DecodeResult::Malformed, DecodeProblem::Ipv4HeaderLengthBelow20,
                kShortIhl[ihl]);
  const size_t header_len = ihl * 4;
  if (!r.skip(header_len - kMinHeaderLen))
    return short_header(out, header_len, wire_len, DecodeProblem::Ipv4OptionsCut,
                        DecodeProblem::Ipv4HeaderLongerThanPacket);

  // Two lengths that cannot be the datagram's are replaced by the frame's, as tshark does,
  // so the TCP header and its arithmetic survive (a dropped segment would break every later
  // check): 0, what TSO/GSO captures show for a segment the NIC splits later ("presumed
  // TSO"), and a total length beyond what the frame had on the wire (a bogus or offload
  // length; the snaplen cannot explain it). Both are noted; the checksum of the second
  // cannot be judged (which length did the sender sum?).
  uint32_t datagram_len = total_len;
  bool length_known = true;
  if (total_len == 0) {
    datagram_len = wire_len;
    length_known = false;
    tolerate(out, DecodeProblem::Ipv4TotalLengthZero);
  } else if (total_len < header_len) {
    return stop(out, DecodeResult::Malformed, DecodeProblem::Ipv4TotalLengthBelowHeader);
  } else if (total_len > wire_len) {
    datagram_len = wire_len;
    length_known = false;
    tolerate(out, DecodeProblem::Ipv4TotalLengthExceedsFrame);
  }
  out.ip_len = datagram_len;

  if (verify) {
    const bool good = checksum::finish(checksum::add(0, ip.first(header_len))) == 0;
    out.ip_checksum = good ? ChecksumStatus::Good : ChecksumStatus::Bad;
  }

  // Captured bytes of this datagram only: Ethernet pads short frames past total length.
  const auto payload =
      ip.subspan(header_len, std::min<size_t>(ip.size(), datagram_len) - header_len);
  const uint32_t payload_len = datagram_len - static_cast<uint32_t>(header_len);

  if (protocol == kProtoTcp) {
    // Only the first fragment carries the TCP header.
    if (out.fragment_offset > 0) return stop(out, DecodeResult::NonFirstFragment);
    TcpContext ctx;
    ctx.segment_len = payload_len;
    // The checksum covers the whole datagram, so a first fragment cannot be checked. With a
    // length from the frame only a sum that matches it (good, or offload's partial sum, which
    // a TSO capture carries) is judged: see TcpContext::length_known.
    ctx.checksum_possible = !out.more_fragments && total_len <= wire_len;
    ctx.length_known = length_known;
    if (verify && ctx.checksum_possible) {
      // RFC 9293 3.1 pseudo-header: addresses, zero, protocol, TCP length. A TSO segment's
      // length can pass 2^16; Linux adds it as a 32-bit value (csum_tcpudp_nofold), which in
      // ones' complement is its two halves.
      uint64_t sum = checksum::add(0, ip.subspan(12, 8));
      sum = checksum::add_word(sum, kProtoTcp);
      sum = checksum::add_word(sum, static_cast<uint16_t>(payload_len >> 16));
      ctx.pseudo_sum = checksum::add_word(sum, static_cast<uint16_t>(payload_len & 0xFFFF));
    }
    return decode_tcp(payload, ctx, out, verify);
  }
  if (protocol == kProtoIcmp && out.fragment_offset == 0) return decode_icmpv4(payload, out);
  stop(out, DecodeResult::NotTcp);
}

}  // namespace tcpinspect::core::detail
