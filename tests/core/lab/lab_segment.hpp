// SPDX-License-Identifier: MIT
#pragma once
#include "core/wire/packet.hpp"

namespace tcpinspect::core {

/// A decoded TCP segment with just what the lab's reasoning reads: flags, seq, ack, payload
/// length and window (addresses and ports are left to the test).
inline DecodedPacket lab_segment(uint16_t flags, uint32_t seq, uint32_t ack, uint32_t payload_len,
                                 uint16_t window = 502) {
  DecodedPacket p;
  p.result = DecodeResult::Tcp;
  p.tcp.flags = flags;
  p.tcp.seq = seq;
  p.tcp.ack = ack;
  p.tcp.window = window;
  p.payload_len = payload_len;
  return p;
}

}  // namespace tcpinspect::core
