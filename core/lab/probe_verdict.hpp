// SPDX-License-Identifier: MIT
#pragma once
#include <array>
#include <cstdint>
#include <optional>
#include <string_view>

#include "core/wire/enum_table.hpp"

namespace tcpinspect::core {

/// The classic single-segment port probes.
enum class ProbeType : uint8_t { Syn, Fin, Null, Xmas, Ack };

/// Every probe type by its command-line name, in enumerator order.
inline constexpr std::array<EnumEntry<ProbeType>, static_cast<size_t>(ProbeType::Ack) + 1>
    kProbeTypes{{
        {ProbeType::Syn, "syn", "syn"},
        {ProbeType::Fin, "fin", "fin"},
        {ProbeType::Null, "null", "null"},
        {ProbeType::Xmas, "xmas", "xmas"},
        {ProbeType::Ack, "ack", "ack"},
    }};
static_assert(table_in_enum_order<ProbeType>(kProbeTypes));

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

/// Every response in words, in enumerator order.
inline constexpr std::array<EnumEntry<ProbeResponse>, static_cast<size_t>(ProbeResponse::Other) + 1>
    kProbeResponses{{
        {ProbeResponse::None, "no answer", "no answer"},
        {ProbeResponse::SynAck, "SYN-ACK", "SYN-ACK"},
        {ProbeResponse::Rst, "RST", "RST"},
        {ProbeResponse::IcmpUnreachable, "ICMP unreachable", "ICMP unreachable"},
        {ProbeResponse::Other, "other TCP segment", "other TCP segment"},
    }};
static_assert(table_in_enum_order<ProbeResponse>(kProbeResponses));

std::string_view probe_response_name(ProbeResponse r);  // "no answer", "SYN-ACK", "RST", ...

/// The textbook reading of the response (nmap's port states).
enum class PortVerdict : uint8_t { Open, Closed, Filtered, OpenFiltered, Unfiltered, Unexpected };

/// Every verdict's name, in enumerator order: a public format.
inline constexpr std::array<EnumEntry<PortVerdict>,
                            static_cast<size_t>(PortVerdict::Unexpected) + 1>
    kPortVerdicts{{
        {PortVerdict::Open, "open", "open"},
        {PortVerdict::Closed, "closed", "closed"},
        {PortVerdict::Filtered, "filtered", "filtered"},
        {PortVerdict::OpenFiltered, "open|filtered", "open|filtered"},
        {PortVerdict::Unfiltered, "unfiltered", "unfiltered"},
        {PortVerdict::Unexpected, "unexpected", "unexpected"},
    }};
static_assert(table_in_enum_order<PortVerdict>(kPortVerdicts));

/// "open", "closed", "filtered", "open|filtered", "unfiltered", "unexpected": a public format.
std::string_view port_verdict_name(PortVerdict v);

/// SYN: SYN-ACK = open, RST = closed, none/ICMP = filtered.
/// FIN/NULL/Xmas (RFC 9293 3.10.7.1/3.10.7.2): RST = closed, none = open|filtered,
/// ICMP = filtered. ACK: RST = unfiltered (open or closed), none/ICMP = filtered.
PortVerdict probe_verdict(ProbeType type, ProbeResponse response);

/// One sentence explaining the verdict, for the report.
std::string_view verdict_reason(ProbeType type, ProbeResponse response);

}  // namespace tcpinspect::core
