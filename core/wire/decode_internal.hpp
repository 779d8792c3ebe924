// SPDX-License-Identifier: MIT
#pragma once
#include <cstdint>
#include <span>

#include "core/wire/packet.hpp"

/// Layer decoders behind decode_packet(). Each takes the captured bytes of its layer and the
/// length the layer has on the wire (which may be longer: snaplen), fills `out` and sets
/// out.result / out.problem_id / out.problem when it stops. Internal to core; tests go through
/// decode_packet().
namespace tcpinspect::core::detail {

/// IP protocol / IPv6 next-header numbers the decoder dispatches on.
inline constexpr uint8_t kProtoIcmp = 1;
inline constexpr uint8_t kProtoTcp = 6;
inline constexpr uint8_t kProtoIcmpv6 = 58;

/// Sets the outcome and its problem: the id, and the table's text unless `text` (a static
/// string that carries the offending value) is given.
inline void stop(DecodedPacket& out, DecodeResult result,
                 DecodeProblem problem = DecodeProblem::None, const char* text = nullptr) {
  out.result = result;
  out.problem_id = problem;
  // Table texts are string literals, so data() is NUL-terminated.
  out.problem = text                             ? text
                : problem == DecodeProblem::None ? nullptr
                                                 : decode_problem_text(problem).data();
}

/// Records a problem that decoding works around (decode_problem_tolerated): the id and its
/// text, without an outcome. A later stop() replaces it.
inline void tolerate(DecodedPacket& out, DecodeProblem problem) {
  out.problem_id = problem;
  out.problem = decode_problem_text(problem).data();
}

/// Dispatches on the version nibble (raw IP link types).
void decode_ip(std::span<const uint8_t> ip, uint32_t wire_len, DecodedPacket& out, bool verify);
void decode_ipv4(std::span<const uint8_t> ip, uint32_t wire_len, DecodedPacket& out, bool verify);
void decode_ipv6(std::span<const uint8_t> ip, uint32_t wire_len, DecodedPacket& out, bool verify);

/// What the TCP decoder needs from the IP layer below it.
struct TcpContext {
  /// Segment length from the IP length fields (header + payload), whatever was captured.
  uint32_t segment_len = 0;
  /// Ones' complement sum of the pseudo-header (RFC 9293 3.1, RFC 8200 8.1).
  uint64_t pseudo_sum = 0;
  /// False when the checksum cannot be checked even with all bytes (first fragment, or a
  /// routing header that changes the pseudo-header destination).
  bool checksum_possible = true;
  /// False when segment_len was presumed (an IP length of 0, segmentation offload): a sum
  /// that matches is still good or offloaded, one that does not proves nothing.
  bool length_known = true;
};

/// `segment` is the captured part of the segment, at most ctx.segment_len bytes.
void decode_tcp(std::span<const uint8_t> segment, const TcpContext& ctx, DecodedPacket& out,
                bool verify);

/// Parses TCP option bytes (the header after the fixed 20 bytes) into `opts`.
void parse_tcp_options(std::span<const uint8_t> raw, TcpOptions& opts);

/// ICMP / ICMPv6 messages (captured bytes of the IP payload). Only destination unreachable
/// quoting TCP becomes IcmpUnreachable; everything else is NotTcp.
void decode_icmpv4(std::span<const uint8_t> msg, DecodedPacket& out);
void decode_icmpv6(std::span<const uint8_t> msg, DecodedPacket& out);

}  // namespace tcpinspect::core::detail

namespace tcpinspect::core::detail {

/// Link-layer decoders: strip the link header and hand the rest to the IP decoders.
/// `wire_len` is the frame's length on the wire (never less than frame.size()).
void decode_ethernet(std::span<const uint8_t> frame, uint32_t wire_len, DecodedPacket& out,
                     bool verify);
void decode_linux_sll(std::span<const uint8_t> frame, uint32_t wire_len, DecodedPacket& out,
                      bool verify);
void decode_linux_sll2(std::span<const uint8_t> frame, uint32_t wire_len, DecodedPacket& out,
                       bool verify);
/// BSD NULL (`network_order` false: writer's host order, either) and OpenBSD LOOP (true).
void decode_bsd_loopback(std::span<const uint8_t> frame, uint32_t wire_len, bool network_order,
                         DecodedPacket& out, bool verify);

}  // namespace tcpinspect::core::detail
