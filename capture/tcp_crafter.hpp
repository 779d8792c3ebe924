// SPDX-License-Identifier: MIT
#pragma once
#include <cstdint>
#include <optional>
#include <stdexcept>
#include <string>
#include <utility>
#include <vector>

#include "core/wire/packet.hpp"

namespace tcpinspect::capture {

/// A TCP option given as kind + body (`--opt KIND:HEX`). Kinds 0 (EOL) and 1 (NOP) are
/// one byte and take no body.
struct RawTcpOption {
  uint8_t kind = 0;
  std::vector<uint8_t> body;
};

/// Which options to put in the header. They are laid out as Linux does, so that 4-byte
/// fields stay aligned: MSS; SACK-permitted+timestamps (or NOP,NOP before whichever is
/// alone); NOP,window scale; NOP,NOP,SACK blocks; Fast Open; raw options in the order
/// given; then EOL padding to a multiple of 4. At most 40 bytes (RFC 9293 3.1).
struct TcpOptionSpec {
  std::optional<uint16_t> mss;
  std::optional<uint8_t> window_scale;
  bool sack_permitted = false;
  std::vector<core::SackBlock> sack;  // at most 4 blocks (fewer with timestamps)
  std::optional<std::pair<uint32_t, uint32_t>> timestamps;  // TSval, TSecr
  bool fast_open_request = false;                           // kind 34, empty cookie
  std::vector<uint8_t> fast_open_cookie;                    // kind 34, 4..16 bytes
  std::vector<RawTcpOption> raw;
};

/// Everything about one segment to craft. Defaults give a plain SYN.
struct SegmentSpec {
  core::IpAddress src;  // both of the same version
  core::IpAddress dst;
  uint16_t src_port = 0;
  uint16_t dst_port = 0;
  uint16_t flags = core::kSyn;  // TcpFlag bits (9 bits incl. AE)
  uint32_t seq = 0;
  uint32_t ack = 0;
  uint16_t window = 64240;
  uint16_t urgent_pointer = 0;
  uint8_t ttl = 64;           // IPv4 TTL / IPv6 hop limit
  uint16_t ip_id = 0;         // IPv4 only (Linux fills in 0 itself on a raw socket)
  bool dont_fragment = true;  // IPv4 only
  uint8_t tos = 0;            // IPv4 TOS / IPv6 traffic class
  uint32_t flow_label = 0;    // IPv6 only, 20 bits
  TcpOptionSpec options;
  std::vector<uint8_t> payload;
  bool bad_checksum = false;  // store a deliberately wrong TCP checksum
};

/// A spec that cannot be built (mixed address families, options over 40 bytes, ...).
/// What a CraftError is about, so that cmd/ can name the option the user gave.
enum class CraftField : uint8_t { Segment, Sack, FastOpen, FastOpenCookie, RawOption };

/// A segment that cannot be laid out; what() names the field's value, not a flag.
struct CraftError : std::invalid_argument {
  explicit CraftError(const std::string& what) : CraftError(CraftField::Segment, what) {}
  CraftError(CraftField f, const std::string& what) : std::invalid_argument(what), field(f) {}
  CraftField field;
};

/// The option bytes exactly as craft_segment() lays them out (padded to a multiple of 4).
/// Throws CraftError when they exceed 40 bytes or an option is malformed.
std::vector<uint8_t> encode_tcp_options(const TcpOptionSpec& spec);

/// Builds the raw IPv4 or IPv6 packet (no link-layer header) with libtins: IP header with
/// a correct header checksum, TCP header with a correct checksum over the pseudo-header
/// (unless bad_checksum), options, payload. Pure: the same spec gives the same bytes.
std::vector<uint8_t> craft_segment(const SegmentSpec& spec);

/// The wrong checksum stored for bad_checksum: never equal to, nor ones'-complement
/// equivalent of (0x0000 vs 0xFFFF), the right one.
uint16_t corrupt_checksum(uint16_t right);

}  // namespace tcpinspect::capture
