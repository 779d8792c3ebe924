// SPDX-License-Identifier: MIT
// libFuzzer target for core::decode_packet. Input: byte 0 picks the link type (and, in its
// top bit, whether checksums are verified); bytes 1-2 add a snaplen gap so the wire length
// can exceed the captured length; the rest is the frame.
#include <cstddef>
#include <cstdint>
#include <span>

#include "core/wire/decode.hpp"

namespace {

using tcpinspect::core::LinkType;

constexpr LinkType kLinks[] = {LinkType::Null, LinkType::Ethernet,  LinkType::Raw,
                               LinkType::Loop, LinkType::LinuxSll,  LinkType::Ipv4,
                               LinkType::Ipv6, LinkType::LinuxSll2, static_cast<LinkType>(105)};

// Touches every byte the decoder says is payload or options, so ASan catches a span that
// points outside the input.
uint32_t touch(std::span<const uint8_t> bytes) {
  uint32_t sum = 0;
  for (uint8_t b : bytes)
    sum += b;
  return sum;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size < 3) return 0;
  const LinkType link = kLinks[(data[0] & 0x7F) % std::size(kLinks)];
  const bool verify = (data[0] & 0x80) == 0;
  const uint32_t gap = static_cast<uint32_t>(data[1] << 8 | data[2]) & 0x3FFF;
  const std::span<const uint8_t> frame(data + 3, size - 3);
  tcpinspect::core::DecodedPacket p;
  tcpinspect::core::decode_packet(link, frame, static_cast<uint32_t>(frame.size()) + gap, p,
                                  verify);
  volatile uint32_t sink = touch(p.tcp.options_raw);
  if (p.payload != nullptr) sink = sink + touch({p.payload, p.captured_payload_len});
  // Invariants the rest of tcpinspect relies on.
  using tcpinspect::core::DecodeResult;
  if (p.result == DecodeResult::Tcp) {
    if (p.captured_payload_len > p.payload_len) __builtin_trap();
    if (p.tcp.header_len < 20 || p.tcp.header_len > 60) __builtin_trap();
    if (p.payload < frame.data() ||
        p.payload + p.captured_payload_len > frame.data() + frame.size())
      __builtin_trap();
    // A segment carries only a problem decoding worked around (an IP length replaced).
    if (p.problem_id != tcpinspect::core::DecodeProblem::None &&
        !tcpinspect::core::decode_problem_tolerated(p.problem_id))
      __builtin_trap();
  }
  if ((p.result == DecodeResult::Truncated || p.result == DecodeResult::Malformed) &&
      p.problem == nullptr)
    __builtin_trap();
  if (p.tcp.options.kind_count > p.tcp.options.kinds.size()) __builtin_trap();
  if (p.tcp.options.sack_block_count > 4 || p.tcp.options.fast_open_cookie_len > 16)
    __builtin_trap();
  return 0;
}
