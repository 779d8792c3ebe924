// SPDX-License-Identifier: MIT
#pragma once
#include <array>
#include <cstdint>
#include <iterator>
#include <span>
#include <string_view>

#include "core/wire/enum_table.hpp"
#include "core/wire/problems.hpp"
#include "core/wire/tcp_flag.hpp"

/// The decoded view of one captured frame. Filled by decode_packet() (decode.hpp) without
/// allocating; pointers (payload, options_raw) point into the caller's frame buffer and are
/// valid only as long as it is.
namespace tcpinspect::core {

/// Link-layer header types, numbered as LINKTYPE_* values in pcap/pcapng files
/// (https://www.tcpdump.org/linktypes.html). libpcap's DLT_* values map through
/// link_type_from_dlt() (decode.hpp): DLT_RAW is 12 or 14 on some platforms.
enum class LinkType : uint32_t {
  Null = 0,        // BSD loopback: 4-byte address family in host byte order of the writer
  Ethernet = 1,    // with 802.1Q / 802.1ad tags
  Raw = 101,       // raw IPv4 or IPv6, version from the first nibble
  Loop = 108,      // OpenBSD loopback: 4-byte address family in network byte order
  LinuxSll = 113,  // Linux cooked capture v1 (16-byte header)
  Ipv4 = 228,
  Ipv6 = 229,
  LinuxSll2 = 276,  // Linux cooked capture v2 (20-byte header), what `-i any` gives today
};

struct IpAddress {
  uint8_t version = 0;              // 4 or 6; 0 = unset
  std::array<uint8_t, 16> bytes{};  // IPv4 uses the first 4
  friend bool operator==(const IpAddress&, const IpAddress&) = default;
};

enum class ChecksumStatus : uint8_t {
  Unverified,  // not enough bytes captured to verify (snaplen), or not applicable
  Good,
  Bad,
  // The field holds exactly the folded pseudo-header sum, not complemented: what Linux
  // leaves for a NIC (or veth, or loopback) to finish (CHECKSUM_PARTIAL), seen by captures
  // on the sending host. Not yet computed, so not wrong.
  Offloaded,
};

inline constexpr EnumEntry<ChecksumStatus> kChecksumStatusTable[] = {
    {ChecksumStatus::Unverified, "unverified", "unverified"},
    {ChecksumStatus::Good, "good", "good"},
    {ChecksumStatus::Bad, "bad", "bad"},
    {ChecksumStatus::Offloaded, "offloaded", "not yet computed (checksum offload)"},
};
static_assert(std::size(kChecksumStatusTable) == 4 &&
              table_in_enum_order<ChecksumStatus>(kChecksumStatusTable));
/// "good", "bad", "unverified", "offloaded" (jsonl's "checksum").
constexpr std::string_view checksum_status_id(ChecksumStatus s) {
  return enum_entry<ChecksumStatus>(kChecksumStatusTable, s).id;
}

struct SackBlock {
  uint32_t left = 0;
  uint32_t right = 0;
};

/// TCP options as parsed (RFC 9293 3.1, RFC 7323, RFC 2018, RFC 7413). Each option's
/// length is checked exactly; a problem stops parsing and is named in `problem`
/// (tcp_option_problem_id() / _text(), core/wire/problems.hpp).
struct TcpOptions {
  bool has_mss = false;
  uint16_t mss = 0;
  bool has_window_scale = false;
  uint8_t window_scale = 0;  // raw shift count as sent; > 14 is flagged by analysis (RFC 7323 2.3)
  bool sack_permitted = false;
  uint8_t sack_block_count = 0;
  std::array<SackBlock, 4> sack_blocks{};
  bool has_timestamps = false;
  uint32_t ts_val = 0;
  uint32_t ts_ecr = 0;
  bool has_fast_open = false;        // kind 34 (or experimental 254 with magic 0xF989)
  uint8_t fast_open_cookie_len = 0;  // 0 = cookie request
  std::array<uint8_t, 16> fast_open_cookie{};
  /// Kinds in the order they appear, including NOP (1) and EOL (0); for display.
  uint8_t kind_count = 0;
  std::array<uint8_t, 40> kinds{};
  /// The first malformed option, or None.
  TcpOptionProblem problem = TcpOptionProblem::None;
};

struct TcpHeader {
  uint16_t src_port = 0;
  uint16_t dst_port = 0;
  uint32_t seq = 0;
  uint32_t ack = 0;
  uint8_t header_len = 0;  // bytes (data offset * 4)
  uint16_t flags = 0;      // TcpFlag bits
  uint16_t window = 0;     // raw, unscaled
  uint16_t checksum = 0;
  uint16_t urgent = 0;
  TcpOptions options;
  std::span<const uint8_t> options_raw;  // the captured option bytes
};

/// What decode_packet() found. Only `Tcp` and `IcmpUnreachable` feed the analysis; the
/// others are counted and, for Truncated/Malformed/NonFirstFragment, reported.
enum class DecodeResult : uint8_t {
  Tcp,               // a TCP segment whose whole header was captured
  IcmpUnreachable,   // ICMP/ICMPv6 destination unreachable quoting a TCP segment (see `icmp`)
  NotTcp,            // some other protocol (ARP, UDP, ...): not ours
  NonFirstFragment,  // IP fragment with offset > 0 of a TCP datagram: carries no TCP header
  Truncated,         // capture ends (caplen) inside a header we need
  Malformed,         // inconsistent header (IHL < 5, data offset < 5, lengths that lie, ...)
  UnsupportedLink,   // link type decode_packet() does not know
};

/// jsonl's problem "kind" and the text output's words for each result.
inline constexpr EnumEntry<DecodeResult> kDecodeResultTable[] = {
    {DecodeResult::Tcp, "tcp", "TCP segment"},
    {DecodeResult::IcmpUnreachable, "icmp_unreachable", "ICMP destination unreachable"},
    {DecodeResult::NotTcp, "not_tcp", "not TCP"},
    {DecodeResult::NonFirstFragment, "non_first_fragment", "non-first IP fragment, no TCP header"},
    {DecodeResult::Truncated, "truncated", "truncated"},
    {DecodeResult::Malformed, "malformed", "malformed"},
    {DecodeResult::UnsupportedLink, "unsupported_link", "unsupported link type"},
};
static_assert(std::size(kDecodeResultTable) == 7 &&
              table_in_enum_order<DecodeResult>(kDecodeResultTable));
constexpr std::string_view decode_result_id(DecodeResult r) {
  return enum_entry<DecodeResult>(kDecodeResultTable, r).id;
}
constexpr std::string_view decode_result_text(DecodeResult r) {
  return enum_entry<DecodeResult>(kDecodeResultTable, r).text;
}

/// An ICMP error that quotes a TCP segment (RFC 792, RFC 4443): attributed to the quoted
/// connection. `quoted_*` are the quoted segment's own addresses (i.e. the original sender
/// is quoted_src).
struct IcmpQuote {
  uint8_t type = 0;
  uint8_t code = 0;
  IpAddress quoted_src;
  IpAddress quoted_dst;
  uint16_t quoted_src_port = 0;
  uint16_t quoted_dst_port = 0;
  bool has_quoted_seq = false;
  uint32_t quoted_seq = 0;
};

struct DecodedPacket {
  DecodeResult result = DecodeResult::NotTcp;
  /// What was truncated or malformed: the stable id (problem_id) and static text for people
  /// (e.g. "TCP header cut by snaplen"; some carry the value, "TCP data offset 3 < 5").
  DecodeProblem problem_id = DecodeProblem::None;
  const char* problem = nullptr;

  uint8_t vlan_count = 0;
  std::array<uint16_t, 2> vlan_ids{};

  // Network layer (valid when ip_version != 0).
  uint8_t ip_version = 0;
  IpAddress src;
  IpAddress dst;
  uint8_t ttl = 0;     // IPv4 TTL or IPv6 hop limit
  uint8_t tos = 0;     // IPv4 TOS or IPv6 traffic class
  uint16_t ip_id = 0;  // IPv4 only
  bool dont_fragment = false;
  bool more_fragments = false;
  uint16_t fragment_offset = 0;  // in bytes
  uint8_t protocol = 0;          // final upper-layer protocol after IPv6 extension headers
  /// The datagram's length with its IP header, from the length fields (IPv4 total length,
  /// IPv6 40 + payload length; the wire length when they say 0): Zeek's conn.log ip_bytes.
  uint32_t ip_len = 0;
  ChecksumStatus ip_checksum = ChecksumStatus::Unverified;

  // Transport (valid when result == Tcp).
  TcpHeader tcp;
  /// Payload length from the IP length fields, not the captured length, so a
  /// snaplen-truncated capture still yields the right sequence arithmetic.
  uint32_t payload_len = 0;
  uint32_t captured_payload_len = 0;
  const uint8_t* payload = nullptr;
  ChecksumStatus tcp_checksum = ChecksumStatus::Unverified;

  IcmpQuote icmp;  // valid when result == IcmpUnreachable
};

}  // namespace tcpinspect::core
