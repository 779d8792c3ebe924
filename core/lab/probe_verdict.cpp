// SPDX-License-Identifier: MIT
#include "core/lab/probe_verdict.hpp"

#include "core/wire/packet.hpp"

namespace tcpinspect::core {

std::optional<ProbeType> parse_probe_type(std::string_view name) {
  return enum_from_id<ProbeType>(kProbeTypes, name);
}

std::string_view probe_type_name(ProbeType t) {
  return enum_entry<ProbeType>(kProbeTypes, t).id;
}

uint16_t probe_flags(ProbeType t) {
  switch (t) {
    case ProbeType::Syn:
      return kSyn;
    case ProbeType::Fin:
      return kFin;
    case ProbeType::Null:
      return 0;
    case ProbeType::Xmas:
      return kFin | kPsh | kUrg;
    case ProbeType::Ack:
      return kAck;
  }
  return 0;
}

std::string_view probe_response_name(ProbeResponse r) {
  return enum_entry<ProbeResponse>(kProbeResponses, r).id;
}

std::string_view port_verdict_name(PortVerdict v) {
  return enum_entry<PortVerdict>(kPortVerdicts, v).id;
}

PortVerdict probe_verdict(ProbeType type, ProbeResponse response) {
  if (response == ProbeResponse::IcmpUnreachable) return PortVerdict::Filtered;
  if (response == ProbeResponse::Other) return PortVerdict::Unexpected;
  switch (type) {
    case ProbeType::Syn:
      if (response == ProbeResponse::SynAck) return PortVerdict::Open;
      if (response == ProbeResponse::Rst) return PortVerdict::Closed;
      return PortVerdict::Filtered;
    case ProbeType::Fin:
    case ProbeType::Null:
    case ProbeType::Xmas:
      if (response == ProbeResponse::Rst) return PortVerdict::Closed;
      if (response == ProbeResponse::None) return PortVerdict::OpenFiltered;
      return PortVerdict::Unexpected;
    case ProbeType::Ack:
      if (response == ProbeResponse::Rst) return PortVerdict::Unfiltered;
      if (response == ProbeResponse::None) return PortVerdict::Filtered;
      return PortVerdict::Unexpected;
  }
  return PortVerdict::Unexpected;
}

std::string_view verdict_reason(ProbeType type, ProbeResponse response) {
  if (response == ProbeResponse::IcmpUnreachable)
    return "an ICMP unreachable came back: something on the path refuses the probe";
  if (response == ProbeResponse::Other) return "an answer no textbook reading covers";
  switch (type) {
    case ProbeType::Syn:
      if (response == ProbeResponse::SynAck)
        return "SYN-ACK: a listener accepted the SYN (RFC 9293 3.10.7.2)";
      if (response == ProbeResponse::Rst) return "RST/ACK: no listener (RFC 9293 3.10.7.1)";
      return "no answer before the timeout: dropped on the way (firewall)";
    case ProbeType::Fin:
    case ProbeType::Null:
    case ProbeType::Xmas:
      if (response == ProbeResponse::Rst)
        return "RST: a closed port answers anything without RST (RFC 9293 3.10.7.1)";
      if (response == ProbeResponse::None)
        return "no answer: a listener drops it (RFC 9293 3.10.7.2), and so does a firewall";
      return "a SYN-ACK to a probe without SYN breaks RFC 9293";
    case ProbeType::Ack:
      if (response == ProbeResponse::Rst)
        return "RST: the ACK reached the host (open and closed ports both answer RST)";
      // Any drop rule (stateless "tcp dport N drop" included) gives the same silence, and
      // so does a lost answer: name only what was observed.
      if (response == ProbeResponse::None)
        return "no answer: the ACK or its RST was dropped on the way (by what, an ACK probe "
               "cannot tell)";
      return "a SYN-ACK to an ACK breaks RFC 9293";
  }
  return "";
}

}  // namespace tcpinspect::core
