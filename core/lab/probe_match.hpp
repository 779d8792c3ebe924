// SPDX-License-Identifier: MIT
#pragma once
#include <cstdint>

#include "core/lab/probe_verdict.hpp"
#include "core/wire/packet.hpp"

namespace tcpinspect::core {

/// What identifies one run's probes: every probe goes from src:sport to dst:PORT with the
/// same flags, seq and ack.
struct ProbeIdentity {
  IpAddress src;
  IpAddress dst;
  uint16_t src_port = 0;
  uint16_t flags = 0;
  uint32_t seq = 0;
  uint32_t ack = 0;
};

enum class ProbeMatchKind : uint8_t {
  Unrelated,  ///< not about our probes (another flow, our own probe going out)
  Answer,     ///< the answer to the probe sent to `port`
  KernelRst,  ///< our host's kernel reset `port`'s SYN-ACK (no socket owns our port)
  Stray,      ///< from the target to our port, but not an answer to a probe (e.g. old)
};

struct ProbeMatch {
  ProbeMatchKind kind = ProbeMatchKind::Unrelated;
  uint16_t port = 0;  ///< the probed port it concerns (Answer, KernelRst, Stray)
  ProbeResponse response = ProbeResponse::None;  ///< for Answer
};

/// Classifies one decoded frame seen while probing. An answer must come from dst to our
/// port and, as RFC 9293 puts it, acknowledge our seq + SEG.LEN (or, for a probe carrying
/// ACK, be a RST whose seq is our ack); an ICMP unreachable must quote our ports and dst.
ProbeMatch match_probe_answer(const ProbeIdentity& probe, const DecodedPacket& p);

}  // namespace tcpinspect::core
