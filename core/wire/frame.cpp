// SPDX-License-Identifier: MIT
#include "core/wire/frame.hpp"

#include "core/wire/decode.hpp"

namespace tcpinspect::core {

void decode_frame(LinkType link, const Frame& frame, DecodedFrame& out, bool verify_checksums) {
  out.frame = frame;
  DecodedPacket& p = out.packet;
  decode_packet(link, frame.data, frame.wire_len, p, verify_checksums);
  if (p.result != DecodeResult::Tcp) return;
  bool src_is_lo = false;
  out.key = make_flow_key(p.src, p.tcp.src_port, p.dst, p.tcp.dst_port, src_is_lo);
  out.hash = FlowKeyHash{}(out.key);
}

}  // namespace tcpinspect::core
