// SPDX-License-Identifier: MIT
#pragma once
#include <array>
#include <cstdint>
#include <string_view>

#include "core/wire/enum_table.hpp"

/// Why decoding stopped, and why TCP option parsing stopped. The ids are stable (they reach
/// `--format jsonl`, docs/json.md lists every one); the texts are for people and may change.
/// Four decode problems do not stop decoding (tolerant decoding, as tshark does): an IP
/// length that exceeds the frame or is 0 (segmentation offload) is replaced by the frame's
/// length, the segment stays Tcp and carries the problem (DecodedPacket::problem_id).
namespace tcpinspect::core {

enum class DecodeProblem : uint8_t {
  None,
  UnsupportedLink,
  EthernetHeaderCut,
  VlanTagCut,
  LinuxSllHeaderCut,
  LinuxSll2HeaderCut,
  LoopbackHeaderCut,
  IpHeaderCut,
  RawIpVersion,
  Ipv4HeaderCut,
  Ipv4HeaderLongerThanPacket,
  Ipv4OptionsCut,
  Ipv4Version,
  Ipv4HeaderLengthBelow20,
  Ipv4TotalLengthBelowHeader,
  Ipv4TotalLengthExceedsFrame,  // decoded anyway
  Ipv4TotalLengthZero,          // decoded anyway
  Ipv6HeaderCut,
  Ipv6HeaderLongerThanPacket,
  Ipv6Version,
  Ipv6PayloadLengthExceedsFrame,  // decoded anyway
  Ipv6PayloadLengthZero,          // decoded anyway
  Ipv6ExtensionHeaderLongerThanPayload,
  Ipv6ExtensionHeaderCut,
  TcpHeaderShorterThan20,
  TcpHeaderCut,
  TcpDataOffsetBelow5,
  TcpHeaderLongerThanIpPayload,
  kCount,  // not a problem: the number of enumerators
};

inline constexpr std::array<EnumEntry<DecodeProblem>, static_cast<size_t>(DecodeProblem::kCount)>
    kDecodeProblems{{
        {DecodeProblem::None, "", ""},
        {DecodeProblem::UnsupportedLink, "unsupported_link_type", "unsupported link type"},
        {DecodeProblem::EthernetHeaderCut, "ethernet_header_cut", "Ethernet header cut by snaplen"},
        {DecodeProblem::VlanTagCut, "vlan_tag_cut", "VLAN tag cut by snaplen"},
        {DecodeProblem::LinuxSllHeaderCut, "linux_sll_header_cut",
         "Linux cooked header cut by snaplen"},
        {DecodeProblem::LinuxSll2HeaderCut, "linux_sll2_header_cut",
         "Linux cooked v2 header cut by snaplen"},
        {DecodeProblem::LoopbackHeaderCut, "loopback_header_cut", "loopback header cut by snaplen"},
        {DecodeProblem::IpHeaderCut, "ip_header_cut", "IP header cut by snaplen"},
        {DecodeProblem::RawIpVersion, "raw_ip_version_not_4_or_6",
         "raw IP version is neither 4 nor 6"},
        {DecodeProblem::Ipv4HeaderCut, "ipv4_header_cut", "IPv4 header cut by snaplen"},
        {DecodeProblem::Ipv4HeaderLongerThanPacket, "ipv4_header_longer_than_packet",
         "IPv4 header longer than the packet"},
        {DecodeProblem::Ipv4OptionsCut, "ipv4_options_cut", "IPv4 options cut by snaplen"},
        {DecodeProblem::Ipv4Version, "ipv4_version_not_4", "IPv4 version is not 4"},
        // The text given to people carries the actual length ("IPv4 header length 8 < 20").
        {DecodeProblem::Ipv4HeaderLengthBelow20, "ipv4_header_length_below_20",
         "IPv4 header length < 20"},
        {DecodeProblem::Ipv4TotalLengthBelowHeader, "ipv4_total_length_below_header_length",
         "IPv4 total length < header length"},
        {DecodeProblem::Ipv4TotalLengthExceedsFrame, "ipv4_total_length_exceeds_frame",
         "IPv4 total length exceeds the frame: length taken from the frame"},
        {DecodeProblem::Ipv4TotalLengthZero, "ipv4_total_length_zero",
         "IPv4 total length 0 (segmentation offload): length taken from the frame"},
        {DecodeProblem::Ipv6HeaderCut, "ipv6_header_cut", "IPv6 header cut by snaplen"},
        {DecodeProblem::Ipv6HeaderLongerThanPacket, "ipv6_header_longer_than_packet",
         "IPv6 header longer than the packet"},
        {DecodeProblem::Ipv6Version, "ipv6_version_not_6", "IPv6 version is not 6"},
        {DecodeProblem::Ipv6PayloadLengthExceedsFrame, "ipv6_payload_length_exceeds_frame",
         "IPv6 payload length exceeds the frame: length taken from the frame"},
        {DecodeProblem::Ipv6PayloadLengthZero, "ipv6_payload_length_zero",
         "IPv6 payload length 0 (jumbogram or segmentation offload): length taken from the frame"},
        {DecodeProblem::Ipv6ExtensionHeaderLongerThanPayload,
         "ipv6_extension_header_longer_than_payload",
         "IPv6 extension header longer than the payload"},
        {DecodeProblem::Ipv6ExtensionHeaderCut, "ipv6_extension_header_cut",
         "IPv6 extension header cut by snaplen"},
        {DecodeProblem::TcpHeaderShorterThan20, "ip_payload_shorter_than_tcp_header",
         "IP payload too short for a TCP header"},
        {DecodeProblem::TcpHeaderCut, "tcp_header_cut", "TCP header cut by snaplen"},
        // As for the IHL, people get the actual value ("TCP data offset 3 < 5").
        {DecodeProblem::TcpDataOffsetBelow5, "tcp_data_offset_below_5", "TCP data offset < 5"},
        {DecodeProblem::TcpHeaderLongerThanIpPayload, "tcp_header_longer_than_ip_payload",
         "TCP header longer than the IP payload"},
    }};
static_assert(table_in_enum_order<DecodeProblem>(kDecodeProblems));

constexpr std::string_view decode_problem_id(DecodeProblem p) {
  return enum_entry<DecodeProblem>(kDecodeProblems, p).id;
}
constexpr std::string_view decode_problem_text(DecodeProblem p) {
  return enum_entry<DecodeProblem>(kDecodeProblems, p).text;
}
/// True for the problems decoding works around (the segment is still decoded and analysed).
constexpr bool decode_problem_tolerated(DecodeProblem p) {
  return p == DecodeProblem::Ipv4TotalLengthExceedsFrame ||
         p == DecodeProblem::Ipv4TotalLengthZero ||
         p == DecodeProblem::Ipv6PayloadLengthExceedsFrame ||
         p == DecodeProblem::Ipv6PayloadLengthZero;
}

/// The first malformed TCP option (RFC 9293 3.2: every option but EOL and NOP has a length
/// byte counting kind and length; RFC 7323, 2018, 7413 fix the lengths of theirs).
enum class TcpOptionProblem : uint8_t {
  None,
  LengthByteMissing,
  LengthBelow2,
  RunsPastHeader,
  MssLength,
  WindowScaleLength,
  SackPermittedLength,
  SackLength,
  TimestampsLength,
  FastOpenTooLong,
  ExperimentalFastOpenTooLong,
  kCount,  // not a problem: the number of enumerators
};

inline constexpr std::array<EnumEntry<TcpOptionProblem>,
                            static_cast<size_t>(TcpOptionProblem::kCount)>
    kTcpOptionProblems{{
        {TcpOptionProblem::None, "", ""},
        {TcpOptionProblem::LengthByteMissing, "tcp_option_length_past_header",
         "TCP option length byte past the header"},
        {TcpOptionProblem::LengthBelow2, "tcp_option_length_below_2", "TCP option length < 2"},
        {TcpOptionProblem::RunsPastHeader, "tcp_option_runs_past_header",
         "TCP option runs past the header"},
        {TcpOptionProblem::MssLength, "tcp_mss_option_length_not_4",
         "TCP MSS option length is not 4"},
        {TcpOptionProblem::WindowScaleLength, "tcp_window_scale_option_length_not_3",
         "TCP window scale option length is not 3"},
        {TcpOptionProblem::SackPermittedLength, "tcp_sack_permitted_option_length_not_2",
         "TCP SACK-permitted option length is not 2"},
        {TcpOptionProblem::SackLength, "tcp_sack_option_length_invalid",
         "TCP SACK option length is not 2 + 8n (n = 1..4)"},
        {TcpOptionProblem::TimestampsLength, "tcp_timestamps_option_length_not_10",
         "TCP timestamps option length is not 10"},
        {TcpOptionProblem::FastOpenTooLong, "tcp_fast_open_option_too_long",
         "TCP Fast Open option longer than 18"},
        {TcpOptionProblem::ExperimentalFastOpenTooLong,
         "tcp_experimental_fast_open_option_too_long",
         "TCP experimental Fast Open option longer than 20"},
    }};
static_assert(table_in_enum_order<TcpOptionProblem>(kTcpOptionProblems));

constexpr std::string_view tcp_option_problem_id(TcpOptionProblem p) {
  return enum_entry<TcpOptionProblem>(kTcpOptionProblems, p).id;
}
constexpr std::string_view tcp_option_problem_text(TcpOptionProblem p) {
  return enum_entry<TcpOptionProblem>(kTcpOptionProblems, p).text;
}

}  // namespace tcpinspect::core
