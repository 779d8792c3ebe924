// SPDX-License-Identifier: MIT
#pragma once
#include <cstdint>
#include <span>

#include "core/wire/flow_key.hpp"
#include "core/wire/packet.hpp"

namespace tcpinspect::core {

/// One captured frame, as a file or live source hands it over: bytes, timestamp and
/// position, before anything is decoded. The bytes belong to the source (see its rules for
/// how long they stay valid).
struct Frame {
  uint64_t index = 0;  // 1-based position in the capture, counting every frame (as tshark does)
  int64_t ts_ns = 0;   // capture timestamp, nanoseconds since the epoch
  std::span<const uint8_t> data;  // captured bytes (caplen)
  uint32_t wire_len = 0;          // original length on the wire
};

/// A frame with its headers decoded and, for TCP, its connection's key: what the analysis
/// (Inspector::feed) takes. Decoding depends on no connection state, so it may run ahead of
/// the analysis, on another thread.
///
/// Laid out so that what the analysis reads ahead of time to look connections up (hash and
/// packet.result) shares the first cache line: the frames were just written by the decoding
/// thread, and each line read is a transfer between cores.
struct alignas(64) DecodedFrame {
  uint64_t hash = 0;  // FlowKeyHash of key
  Frame frame;
  DecodedPacket packet;  // points into frame.data
  FlowKey key;           // the four-tuple, valid when packet.result == DecodeResult::Tcp
};

/// Decodes `frame` (captured on a `link` link) into `out` with decode_packet() (decode.hpp),
/// and adds the flow key and hash the analysis looks the connection up by. `out` keeps
/// pointing into the frame's bytes: they must stay valid until `out` has been analysed.
/// Never throws.
void decode_frame(LinkType link, const Frame& frame, DecodedFrame& out,
                  bool verify_checksums = true);

}  // namespace tcpinspect::core
