// SPDX-License-Identifier: MIT
#pragma once
#include <array>
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "core/wire/packet.hpp"

namespace tcpinspect::core {

/// IANA protocol numbers the Community ID hashes with.
inline constexpr uint8_t kIpProtoTcp = 6;
inline constexpr uint8_t kIpProtoUdp = 17;

/// "1:" + base64 of a 20-byte SHA-1: 2 + 28 characters.
inline constexpr size_t kCommunityIdLength = 30;

/// Community ID version 1 (Corelight's flow hash, used by Zeek, Suricata, Arkime and
/// Elastic ECS; https://github.com/corelight/community-id-spec): base64(SHA-1(seed, the
/// smaller endpoint's address, the other address, proto, a zero pad byte, the smaller
/// endpoint's port, the other port)), prefixed "1:". "Smaller" compares addresses as bytes
/// and, when they are equal, the ports, so both directions of a flow get the same id. Only
/// for port-carrying protocols (TCP, UDP, SCTP): ICMP's type/code mapping is not needed
/// here. Both addresses must be of the same family.
std::array<char, kCommunityIdLength> community_id_v1(const IpAddress& a, uint16_t a_port,
                                                     const IpAddress& b, uint16_t b_port,
                                                     uint8_t proto = kIpProtoTcp,
                                                     uint16_t seed = 0);

/// The same, as a string.
std::string community_id_v1_string(const IpAddress& a, uint16_t a_port, const IpAddress& b,
                                   uint16_t b_port, uint8_t proto = kIpProtoTcp, uint16_t seed = 0);

}  // namespace tcpinspect::core
