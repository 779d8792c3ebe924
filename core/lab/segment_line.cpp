// SPDX-License-Identifier: MIT
#include "core/lab/segment_line.hpp"

#include "core/wire/ip_format.hpp"
#include "core/lab/tcp_flags_text.hpp"

namespace tcpinspect::core {

std::string format_options(const TcpOptions& o) {
  if (o.kind_count == 0) return "";
  std::string out = "<";
  for (uint8_t i = 0; i < o.kind_count; ++i) {
    if (i) out += ',';
    switch (o.kinds[i]) {
      case 0:
        out += "eol";
        break;
      case 1:
        out += "nop";
        break;
      case 2:
        out += "mss " + std::to_string(o.mss);
        break;
      case 3:
        out += "wscale " + std::to_string(o.window_scale);
        break;
      case 4:
        out += "sackOK";
        break;
      case 5:
        out += "sack";
        for (uint8_t k = 0; k < o.sack_block_count; ++k)
          out += " " + std::to_string(o.sack_blocks[k].left) + "-" +
                 std::to_string(o.sack_blocks[k].right);
        break;
      case 8:
        out += "TS val " + std::to_string(o.ts_val) + " ecr " + std::to_string(o.ts_ecr);
        break;
      case 34:
      case 254:
        out += o.fast_open_cookie_len ? "tfo cookie" : "tfo cookie-request";
        break;
      default:
        out += "kind " + std::to_string(o.kinds[i]);
        break;
    }
  }
  if (o.problem) {
    out += ",bad: ";
    out += o.problem;
  }
  return out + ">";
}

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
                    endpoint_to_string(p.dst, h.dst_port) + " [" + tcp_flags_letters(h.flags) +
                    "] seq=" + std::to_string(h.seq);
  if (h.flags & kAck) out += " ack=" + std::to_string(h.ack);
  out += " win=" + std::to_string(h.window) + " len=" + std::to_string(p.payload_len);
  const std::string opts = format_options(h.options);
  if (!opts.empty()) out += " " + opts;
  if (p.tcp_checksum == ChecksumStatus::Bad) out += " (bad checksum)";
  return out;
}

}  // namespace tcpinspect::core
