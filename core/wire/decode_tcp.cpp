// SPDX-License-Identifier: MIT
// TCP header (RFC 9293 3.1): fixed fields, options, payload bounds and checksum.
#include "core/wire/byte_reader.hpp"
#include "core/wire/checksum.hpp"
#include "core/wire/decode_internal.hpp"

namespace tcpinspect::core::detail {
namespace {

constexpr size_t kMinHeaderLen = 20;
constexpr uint16_t kFlagMask = 0x01FF;  // 9 flag bits incl. AE; the 3 above are reserved

constexpr const char* kShortDataOffset[5] = {"TCP data offset 0 < 5", "TCP data offset 1 < 5",
                                             "TCP data offset 2 < 5", "TCP data offset 3 < 5",
                                             "TCP data offset 4 < 5"};

}  // namespace

void decode_tcp(std::span<const uint8_t> segment, const TcpContext& ctx, DecodedPacket& out,
                bool verify) {
  TcpHeader& tcp = out.tcp;
  ByteReader r(segment);
  // Ports alone are worth having for a report on a cut header.
  const bool have_ports = r.read_u16be(tcp.src_port) && r.read_u16be(tcp.dst_port);
  uint16_t offset_flags = 0;
  if (!have_ports || !r.read_u32be(tcp.seq) || !r.read_u32be(tcp.ack) ||
      !r.read_u16be(offset_flags) || !r.read_u16be(tcp.window) || !r.read_u16be(tcp.checksum) ||
      !r.read_u16be(tcp.urgent)) {
    if (ctx.segment_len < kMinHeaderLen)
      return stop(out, DecodeResult::Malformed, DecodeProblem::TcpHeaderShorterThan20);
    return stop(out, DecodeResult::Truncated, DecodeProblem::TcpHeaderCut);
  }

  const size_t data_offset = offset_flags >> 12;
  tcp.flags = offset_flags & kFlagMask;
  if (data_offset < 5)
    return stop(out, DecodeResult::Malformed, DecodeProblem::TcpDataOffsetBelow5,
                kShortDataOffset[data_offset]);
  const size_t header_len = data_offset * 4;
  tcp.header_len = static_cast<uint8_t>(header_len);
  if (header_len > ctx.segment_len)
    return stop(out, DecodeResult::Malformed, DecodeProblem::TcpHeaderLongerThanIpPayload);
  if (!r.subspan(header_len - kMinHeaderLen, tcp.options_raw))
    return stop(out, DecodeResult::Truncated, DecodeProblem::TcpHeaderCut);
  parse_tcp_options(tcp.options_raw, tcp.options);

  out.payload_len = ctx.segment_len - static_cast<uint32_t>(header_len);
  const auto payload = r.rest();
  out.captured_payload_len = static_cast<uint32_t>(payload.size());
  out.payload = payload.data();

  if (verify && ctx.checksum_possible && segment.size() == ctx.segment_len) {
    if (checksum::finish(checksum::add(ctx.pseudo_sum, segment)) == 0) {
      out.tcp_checksum = ChecksumStatus::Good;
    } else if (tcp.checksum == checksum::fold(ctx.pseudo_sum)) {
      // Linux's CHECKSUM_PARTIAL: the stack stores the folded pseudo-header sum (not its
      // complement, e.g. __tcp_v4_send_check: th->check = ~tcp_v4_check(...)) and the NIC,
      // veth or loopback completes it after the capture point. Exactly that value is
      // offload, not corruption (checked on lo captures, IPv4 and IPv6).
      out.tcp_checksum = ChecksumStatus::Offloaded;
    } else {
      out.tcp_checksum = ctx.length_known ? ChecksumStatus::Bad : ChecksumStatus::Unverified;
    }
  }
  out.result = DecodeResult::Tcp;
}

}  // namespace tcpinspect::core::detail
