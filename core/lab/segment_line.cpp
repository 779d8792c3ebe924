// SPDX-License-Identifier: MIT
#include "core/lab/segment_line.hpp"

#include "core/wire/ip_format.hpp"
#include "core/wire/tcp_text.hpp"

namespace tcpinspect::core {

std::string format_segment_line(const DecodedPacket& p) {
  if (p.result == DecodeResult::IcmpUnreachable) {
    return "ICMP" + std::string(p.ip_version == 6 ? "v6" : "") + " type " +
           std::to_string(p.icmp.type) + " code " + std::to_string(p.icmp.code) + " from " +
           ip_to_string(p.src) + " quoting " +
           endpoint_to_string(p.icmp.quoted_src, p.icmp.quoted_src_port) + " > " +
           endpoint_to_string(p.icmp.quoted_dst, p.icmp.quoted_dst_port);
  }
  if (p.result != DecodeResult::Tcp)
    return std::string("(not a TCP segment: ") + (p.problem ? p.problem : "other protocol") + ")";
  const TcpHeader& h = p.tcp;
  std::string out = endpoint_to_string(p.src, h.src_port) + " > " +
                    endpoint_to_string(p.dst, h.dst_port) + " [" + tcp_flags_text(h.flags) +
                    "] seq=" + std::to_string(h.seq);
  if (h.flags & kAck) out += " ack=" + std::to_string(h.ack);
  out += " win=" + std::to_string(h.window) + " len=" + std::to_string(p.payload_len);
  if (h.options.kind_count > 0 || h.options.problem != TcpOptionProblem::None)
    out += " <" + tcp_options_text(h.options) + ">";
  if (p.tcp_checksum == ChecksumStatus::Bad) out += " (bad checksum)";
  return out;
}

}  // namespace tcpinspect::core
