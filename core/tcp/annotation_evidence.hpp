// SPDX-License-Identifier: MIT
#pragma once
#include <array>
#include <cstdint>
#include <string_view>

#include "core/wire/enum_table.hpp"

/// The evidence behind the notes that are judgements rather than arithmetic: which of
/// Wireshark's retransmission rules fired and on what grounds, and why an RST looks forged.
/// Part of a SegmentEvent; rendered in jsonl (docs/json.md) and in short text.
namespace tcpinspect::core {

/// Wireshark's kinds of resent sequence space (packet-tcp.c, tcp_analyze_sequence_number),
/// plus the content-based out-of-order of a segment filling a gap the capture saw. Ids are
/// a public format (jsonl "retransmission.rule").
enum class RetransmissionRule : uint8_t {
  None,
  Timeout,         // resent after silence: time since the original
  Fast,            // resent within 20 ms of >= 2 duplicate ACKs asking for this seq
  Spurious,        // everything in it was already acknowledged
  OutOfOrderTime,  // seen within the out-of-order threshold of the newest segment
  OutOfOrderGap,   // fills a gap: bytes the capture had not seen
  FastOpenResend,  // the SYN's Fast Open data, sent again because the SYN-ACK ignored it
};

inline constexpr std::array<EnumEntry<RetransmissionRule>,
                            static_cast<size_t>(RetransmissionRule::FastOpenResend) + 1>
    kRetransmissionRules{{
        {RetransmissionRule::None, "none", ""},
        {RetransmissionRule::Timeout, "timeout", "retransmission"},
        {RetransmissionRule::Fast, "fast", "fast retransmission"},
        {RetransmissionRule::Spurious, "spurious", "spurious retransmission"},
        {RetransmissionRule::OutOfOrderTime, "out_of_order_time", "out of order"},
        {RetransmissionRule::OutOfOrderGap, "out_of_order_gap", "out of order"},
        {RetransmissionRule::FastOpenResend, "fast_open_resend", "Fast Open data resent"},
    }};
static_assert(table_in_enum_order<RetransmissionRule>(kRetransmissionRules));

constexpr std::string_view retransmission_rule_id(RetransmissionRule r) {
  return enum_entry<RetransmissionRule>(kRetransmissionRules, r).id;
}

struct RetransmissionEvidence {
  RetransmissionRule rule = RetransmissionRule::None;
  uint64_t original_frame = 0;     // first transmission of this seq (0: not remembered)
  int64_t since_original_ns = -1;  // ... and how long before
  uint32_t dup_acks = 0;           // Fast: duplicate ACKs in a row asking for this seq
  int64_t since_last_ack_ns = -1;  // Fast: time since the last of them
  uint32_t acked = 0;              // Spurious: the receiver's ack that already covered it
  uint64_t acked_frame = 0;        // ... sent in this frame (0: unknown)
  int64_t since_newest_ns = -1;    // OutOfOrderTime: time since the newest segment
  int64_t threshold_ns = 0;        // ... and the threshold (first RTT, else 3 ms)
};

/// Why an RST is suspected forged (bits); "Detecting Forged TCP Reset Packets", Weaver,
/// Sommer, Paxson, NDSS 2009.
enum ForgedRstReason : uint8_t {
  kTtlDiffers = 1,         // TTL / hop limit unlike the claimed sender's other segments
  kIpIdOutOfSequence = 2,  // IPv4 ID far from the claimed sender's running sequence
  kDataAfterRst = 4,       // the claimed sender went on sending data after "its" RST
};

struct ForgedRstEvidence {
  uint8_t reasons = 0;
  uint8_t ttl = 0, usual_ttl = 0;
  uint16_t ip_id = 0, previous_ip_id = 0;
  uint64_t rst_frame = 0;  // kDataAfterRst: the earlier RST this segment contradicts
};

}  // namespace tcpinspect::core
