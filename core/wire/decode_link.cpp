// SPDX-License-Identifier: MIT
// Link-layer headers: Ethernet (with VLAN tags), Linux cooked v1/v2, BSD NULL/LOOP.
#include "core/wire/byte_reader.hpp"
#include "core/wire/decode_internal.hpp"

namespace tcpinspect::core::detail {
namespace {

constexpr uint16_t kEtherIpv4 = 0x0800;
constexpr uint16_t kEtherIpv6 = 0x86DD;
constexpr uint16_t kEtherVlan = 0x8100;     // 802.1Q
constexpr uint16_t kEtherQinQ = 0x88A8;     // 802.1ad service tag
constexpr uint16_t kEtherQinQOld = 0x9100;  // pre-standard QinQ
constexpr uint16_t kVlanIdMask = 0x0FFF;

constexpr size_t kSllHeaderLen = 16;
constexpr size_t kSllProtocolOffset = 14;
constexpr size_t kSll2HeaderLen = 20;

// BSD address families as written by the capturing host: AF_INET is 2 everywhere, AF_INET6
// is 24 (NetBSD/OpenBSD), 28 (FreeBSD), 30 (macOS) or 10 (Linux).
constexpr uint32_t kAfInet = 2;
constexpr bool is_af_inet6(uint32_t af) {
  return af == 24 || af == 28 || af == 30 || af == 10;
}

// `consumed` link-header bytes are gone; the IP layer gets the rest and its wire length.
void decode_ethertype(uint16_t type, std::span<const uint8_t> frame, size_t consumed,
                      uint32_t wire_len, DecodedPacket& out, bool verify) {
  const auto ip = frame.subspan(consumed);
  const auto ip_wire = wire_len - static_cast<uint32_t>(consumed);
  if (type == kEtherIpv4) return decode_ipv4(ip, ip_wire, out, verify);
  if (type == kEtherIpv6) return decode_ipv6(ip, ip_wire, out, verify);
  stop(out, DecodeResult::NotTcp);
}

}  // namespace

void decode_ethernet(std::span<const uint8_t> frame, uint32_t wire_len, DecodedPacket& out,
                     bool verify) {
  ByteReader r(frame);
  uint16_t type = 0;
  if (!r.skip(12) || !r.read_u16be(type))
    return stop(out, DecodeResult::Truncated, DecodeProblem::EthernetHeaderCut);
  // Tags stack (QinQ and beyond); the first two ids are kept, the rest only skipped.
  while (type == kEtherVlan || type == kEtherQinQ || type == kEtherQinQOld) {
    uint16_t tci = 0;
    if (!r.read_u16be(tci) || !r.read_u16be(type))
      return stop(out, DecodeResult::Truncated, DecodeProblem::VlanTagCut);
    if (out.vlan_count < out.vlan_ids.size()) out.vlan_ids[out.vlan_count++] = tci & kVlanIdMask;
  }
  decode_ethertype(type, frame, r.position(), wire_len, out, verify);
}

void decode_linux_sll(std::span<const uint8_t> frame, uint32_t wire_len, DecodedPacket& out,
                      bool verify) {
  ByteReader r(frame);
  uint16_t protocol = 0;
  if (!r.skip(kSllProtocolOffset) || !r.read_u16be(protocol))
    return stop(out, DecodeResult::Truncated, DecodeProblem::LinuxSllHeaderCut);
  decode_ethertype(protocol, frame, kSllHeaderLen, wire_len, out, verify);
}

void decode_linux_sll2(std::span<const uint8_t> frame, uint32_t wire_len, DecodedPacket& out,
                       bool verify) {
  ByteReader r(frame);
  uint16_t protocol = 0;
  if (!r.read_u16be(protocol) || !r.skip(kSll2HeaderLen - 2))
    return stop(out, DecodeResult::Truncated, DecodeProblem::LinuxSll2HeaderCut);
  decode_ethertype(protocol, frame, kSll2HeaderLen, wire_len, out, verify);
}

void decode_bsd_loopback(std::span<const uint8_t> frame, uint32_t wire_len, bool network_order,
                         DecodedPacket& out, bool verify) {
  ByteReader r(frame);
  uint32_t be = 0;
  if (!r.read_u32be(be))
    return stop(out, DecodeResult::Truncated, DecodeProblem::LoopbackHeaderCut);
  // NULL is in the writer's byte order, which the file does not record: try both. The
  // values are small, so a byte-swapped reading can never be mistaken for another family.
  const uint32_t le = (be >> 24) | ((be >> 8) & 0xFF00) | ((be << 8) & 0xFF0000) | (be << 24);
  const auto is = [&](auto pred) { return pred(be) || (!network_order && pred(le)); };
  const auto ip = frame.subspan(4);
  if (is([](uint32_t af) { return af == kAfInet; }))
    return decode_ipv4(ip, wire_len - 4, out, verify);
  if (is(is_af_inet6)) return decode_ipv6(ip, wire_len - 4, out, verify);
  stop(out, DecodeResult::NotTcp);
}

}  // namespace tcpinspect::core::detail

namespace tcpinspect::core::detail {

void decode_ip(std::span<const uint8_t> ip, uint32_t wire_len, DecodedPacket& out, bool verify) {
  if (ip.empty()) return stop(out, DecodeResult::Truncated, DecodeProblem::IpHeaderCut);
  switch (ip[0] >> 4) {
    case 4:
      return decode_ipv4(ip, wire_len, out, verify);
    case 6:
      return decode_ipv6(ip, wire_len, out, verify);
    default:
      return stop(out, DecodeResult::Malformed, DecodeProblem::RawIpVersion);
  }
}

}  // namespace tcpinspect::core::detail
