// SPDX-License-Identifier: MIT
#pragma once
#include <cstdint>
#include <span>
#include <string_view>
#include <vector>

#include "core/wire/decode.hpp"
#include "core/wire/packet.hpp"

namespace tcpinspect::core::test_util {

/// Decodes `bytes` as a complete capture (wire length = captured length).
inline DecodedPacket decode(LinkType link, std::span<const uint8_t> bytes, bool verify = true) {
  DecodedPacket p;
  decode_packet(link, bytes, static_cast<uint32_t>(bytes.size()), p, verify);
  return p;
}

/// Decodes the first `caplen` bytes of a frame that was `bytes.size()` long on the wire.
inline DecodedPacket decode_prefix(LinkType link, std::span<const uint8_t> bytes, size_t caplen) {
  DecodedPacket p;
  decode_packet(link, bytes.first(caplen), static_cast<uint32_t>(bytes.size()), p, true);
  return p;
}

inline IpAddress v4(uint8_t a, uint8_t b, uint8_t c, uint8_t d) {
  IpAddress ip;
  ip.version = 4;
  ip.bytes[0] = a;
  ip.bytes[1] = b;
  ip.bytes[2] = c;
  ip.bytes[3] = d;
  return ip;
}

/// IPv6 address from its 16 bytes.
inline IpAddress v6(std::initializer_list<uint8_t> bytes) {
  IpAddress ip;
  ip.version = 6;
  size_t i = 0;
  for (uint8_t b : bytes)
    ip.bytes[i++] = b;
  return ip;
}

inline std::string_view problem(const DecodedPacket& p) {
  return p.problem ? std::string_view(p.problem) : std::string_view();
}

/// RFC 1071 in its plainest form (16-bit words, 32-bit sum, fold at the end), kept apart from
/// core's implementation so each can check the other.
inline uint16_t ref_checksum(const std::vector<uint8_t>& data) {
  uint64_t sum = 0;  // 64 bits: a 256 KiB frame of 0xFF words overflows 32
  for (size_t i = 0; i < data.size(); i += 2) {
    uint16_t word = static_cast<uint16_t>(data[i] << 8);
    if (i + 1 < data.size()) word |= data[i + 1];
    sum += word;
  }
  while (sum >> 16)
    sum = (sum & 0xFFFF) + (sum >> 16);
  return static_cast<uint16_t>(~sum);
}

/// A raw IPv4 frame (10.0.0.1:1000 -> 10.0.0.2:2000, seq 1, ack 2, ACK) whose TCP header
/// carries `options` (padded with EOL to a multiple of 4), followed by `payload_len` bytes.
/// Checksums are left zero: decode with verify off.
inline std::vector<uint8_t> ipv4_tcp_with_options(const std::vector<uint8_t>& options,
                                                  size_t payload_len = 0) {
  std::vector<uint8_t> opts = options;
  while (opts.size() % 4)
    opts.push_back(0);
  const size_t tcp_len = 20 + opts.size();
  const size_t total = 20 + tcp_len + payload_len;
  std::vector<uint8_t> f = {
      0x45,
      0x00,  // version 4, IHL 5; TOS
      static_cast<uint8_t>(total >> 8),
      static_cast<uint8_t>(total),  // total length
      0x00,
      0x01,
      0x00,
      0x00,  // id 1; no flags, offset 0
      0x40,
      0x06,
      0x00,
      0x00,  // TTL 64, protocol TCP, checksum (not set)
      10,
      0,
      0,
      1,  // source 10.0.0.1
      10,
      0,
      0,
      2,  // destination 10.0.0.2
      0x03,
      0xe8,
      0x07,
      0xd0,  // ports 1000 -> 2000
      0x00,
      0x00,
      0x00,
      0x01,  // seq 1
      0x00,
      0x00,
      0x00,
      0x02,  // ack 2
      static_cast<uint8_t>((tcp_len / 4) << 4),
      0x10,  // data offset, flags ACK
      0x10,
      0x00,
      0x00,
      0x00,  // window 4096, checksum (not set)
      0x00,
      0x00,  // urgent pointer
  };
  for (uint8_t b : opts)
    f.push_back(b);  // not insert(): GCC 12 false -Warray-bounds
  f.resize(f.size() + payload_len, 0xAB);
  return f;
}

}  // namespace tcpinspect::core::test_util

namespace tcpinspect::core::test_util {

/// Recomputes the IPv4 header checksum of the header starting at `at`, after a test edit.
inline void fix_ipv4_checksum(std::vector<uint8_t>& f, size_t at) {
  const size_t ihl = (f[at] & 0x0F) * 4u;
  f[at + 10] = 0;
  f[at + 11] = 0;
  const uint16_t c = ref_checksum(std::vector<uint8_t>(f.begin() + at, f.begin() + at + ihl));
  f[at + 10] = static_cast<uint8_t>(c >> 8);
  f[at + 11] = static_cast<uint8_t>(c);
}

/// Inserts IPv6 extension header bytes right after the fixed header of a raw IPv6 frame
/// and adjusts the payload length; `ext[0]` must already name the header that followed.
inline std::vector<uint8_t> with_ipv6_ext(const std::vector<uint8_t>& ip6, uint8_t ext_type,
                                          const std::vector<uint8_t>& ext) {
  std::vector<uint8_t> f(ip6.begin(), ip6.begin() + 40);
  f.insert(f.end(), ext.begin(), ext.end());
  f.insert(f.end(), ip6.begin() + 40, ip6.end());
  const size_t plen = f.size() - 40;
  f[4] = static_cast<uint8_t>(plen >> 8);
  f[5] = static_cast<uint8_t>(plen);
  f[6] = ext_type;
  return f;
}

}  // namespace tcpinspect::core::test_util
