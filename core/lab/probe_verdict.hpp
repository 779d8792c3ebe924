// SPDX-License-Identifier: MIT
#pragma once
#include <cstdint>
#include <optional>
#include <string_view>

namespace tcpinspect::core {

/// The classic single-segment port probes.
enum class ProbeType : uint8_t { Syn, Fin, Null, Xmas, Ack };

std::optional<ProbeType> parse_probe_type(std::string_view name);  // "syn", "fin", ...
std::string_view probe_type_name(ProbeType t);
/// TcpFlag bits the probe carries: SYN; FIN; none; FIN+PSH+URG; ACK.
uint16_t probe_flags(ProbeType t);

/// What came back for one probe.
enum class ProbeResponse : uint8_t {
  None,             // nothing before the timeout
  SynAck,           // SYN+ACK
  Rst,              // RST (with or without ACK)
  IcmpUnreachable,  // ICMP/ICMPv6 destination unreachable quoting the probe
  Other,            // some other TCP segment for the probe's ports
};

std::string_view probe_response_name(ProbeResponse r);  // "no answer", "SYN-ACK", "RST", ...

/// The textbook reading of the response (nmap's port states).
enum class PortVerdict : uint8_t { Open, Closed, Filtered, OpenFiltered, Unfiltered, Unexpected };

/// "open", "closed", "filtered", "open|filtered", "unfiltered", "unexpected": a public format.
std::string_view port_verdict_name(PortVerdict v);

/// SYN: SYN-ACK = open, RST = closed, none/ICMP = filtered.
/// FIN/NULL/Xmas (RFC 9293 3.10.7.1/3.10.7.2): RST = closed, none = open|filtered,
/// ICMP = filtered. ACK: RST = unfiltered (open or closed), none/ICMP = filtered.
PortVerdict probe_verdict(ProbeType type, ProbeResponse response);

/// One sentence explaining the verdict, for the report.
std::string_view verdict_reason(ProbeType type, ProbeResponse response);

}  // namespace tcpinspect::core
