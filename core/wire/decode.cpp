// SPDX-License-Identifier: MIT
#include "core/wire/decode.hpp"

#include <algorithm>

#include "core/wire/decode_internal.hpp"

namespace tcpinspect::core {
namespace {

// Copying a constant is about twice as fast as assigning a fresh temporary (which compilers
// build on the stack first), and resetting is a good part of a decode's cost.
constexpr DecodedPacket kEmptyPacket{};

}  // namespace

std::optional<LinkType> link_type_from_dlt(int dlt) {
  switch (dlt) {
    case 0:
      return LinkType::Null;
    case 1:
      return LinkType::Ethernet;
    case 12:   // DLT_RAW on most platforms
    case 14:   // DLT_RAW on OpenBSD
    case 101:  // LINKTYPE_RAW as some libpcaps report it
      return LinkType::Raw;
    case 108:
      return LinkType::Loop;
    case 113:
      return LinkType::LinuxSll;
    case 228:
      return LinkType::Ipv4;
    case 229:
      return LinkType::Ipv6;
    case 276:
      return LinkType::LinuxSll2;
    default:
      return std::nullopt;
  }
}

void decode_packet(LinkType link, std::span<const uint8_t> frame, uint32_t wire_len,
                   DecodedPacket& out, bool verify_checksums) {
  out = kEmptyPacket;
  // A wire length below the captured length is a writer bug; the captured bytes are real.
  const uint32_t captured = static_cast<uint32_t>(std::min<size_t>(frame.size(), UINT32_MAX));
  wire_len = std::max(wire_len, captured);
  using namespace detail;
  switch (link) {
    case LinkType::Ethernet:
      return decode_ethernet(frame, wire_len, out, verify_checksums);
    case LinkType::LinuxSll:
      return decode_linux_sll(frame, wire_len, out, verify_checksums);
    case LinkType::LinuxSll2:
      return decode_linux_sll2(frame, wire_len, out, verify_checksums);
    case LinkType::Null:
      return decode_bsd_loopback(frame, wire_len, false, out, verify_checksums);
    case LinkType::Loop:
      return decode_bsd_loopback(frame, wire_len, true, out, verify_checksums);
    case LinkType::Raw:
      return decode_ip(frame, wire_len, out, verify_checksums);
    case LinkType::Ipv4:
      return decode_ipv4(frame, wire_len, out, verify_checksums);
    case LinkType::Ipv6:
      return decode_ipv6(frame, wire_len, out, verify_checksums);
  }
  stop(out, DecodeResult::UnsupportedLink, DecodeProblem::UnsupportedLink);
}

}  // namespace tcpinspect::core
