// SPDX-License-Identifier: MIT
#pragma once
#include <cstdint>

namespace tcpinspect::core {

/// TCP header flag bits, as laid out in the 16-bit word after the ack number (AE is the
/// former NS bit, RFC 9768 / accurate ECN). On their own so that sequence arithmetic
/// (seq.hpp) can read SYN and FIN without the decoded packet.
enum TcpFlag : uint16_t {
  kFin = 0x001,
  kSyn = 0x002,
  kRst = 0x004,
  kPsh = 0x008,
  kAck = 0x010,
  kUrg = 0x020,
  kEce = 0x040,
  kCwr = 0x080,
  kAe = 0x100,
};

}  // namespace tcpinspect::core
