// SPDX-License-Identifier: MIT
#pragma once
#include <array>
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "core/wire/enum_table.hpp"
#include "core/wire/packet.hpp"

/// The reasoning of `reset` (RST injection, RFC 5961 3.2), A and B being the two ends of
/// the connection and B the one reset: where B's RCV.NXT comes from, and what B's segments
/// after the RST say about it.
namespace tcpinspect::core {

/// What one segment of the connection, seen before the RST, tells of B's RCV.NXT.
enum class RcvNxtSource : uint8_t {
  Rst,            // a RST: the connection is already being torn down; tells nothing
  Syn,            // a handshake segment: not synchronized yet; tells nothing
  NoAck,          // B's segment without ACK: tells nothing
  SenderSegment,  // A's segment: B accepts next what follows it, SEG.SEQ + SEG.LEN
  ReceiverAck,    // B's ACK: B's acknowledgment number is its RCV.NXT when it sent it
  ChallengeAck,   // B's challenge ACK to a RST of ours: exactly its RCV.NXT (RFC 5961 3.2)
};

/// One segment read for B's RCV.NXT (RFC 9293 3.3.1).
struct RcvNxtReading {
  RcvNxtSource source = RcvNxtSource::NoAck;
  /// SenderSegment, ReceiverAck: B's RCV.NXT. Otherwise 0.
  uint32_t rcv_nxt = 0;
  /// SenderSegment: A's SEG.SEQ and SEG.LEN (SYN and FIN count one), rcv_nxt's two terms.
  uint32_t seq = 0;
  uint32_t seg_len = 0;
  /// B's segment other than a RST or a SYN: the window it advertised, what the RST's
  /// expected answer is judged against.
  std::optional<uint16_t> receiver_window;

  /// True when rcv_nxt holds B's RCV.NXT.
  bool found() const {
    return source == RcvNxtSource::SenderSegment || source == RcvNxtSource::ReceiverAck ||
           source == RcvNxtSource::ChallengeAck;
  }
};

/// Reads `p`, a segment of the connection sent by A (`from_a`) or by B.
RcvNxtReading read_rcv_nxt(const DecodedPacket& p, bool from_a);

/// How a found RCV.NXT was read, for "RCV.NXT of B = N (HOW)": "seq 1000 + len 6 of A's
/// segment" or "the ack B just sent", with `a` and `b` the ends as printed. Empty when the
/// reading found none.
std::string rcv_nxt_reasoning(const RcvNxtReading& r, std::string_view a, std::string_view b);

/// One of B's segments after the RST.
enum class AfterRstSegment : uint8_t {
  Rst,           // B no longer has the connection: it answers A's next segment with RST
  ChallengeAck,  // a pure ACK with ack = RCV.NXT: RFC 5961 3.2's answer to an in-window RST
  Data,          // payload: the connection is alive
  Other,         // any other segment without RST: only a live connection sends it
};

/// The note each segment gets in the report, in enumerator order.
inline constexpr std::array<EnumEntry<AfterRstSegment>,
                            static_cast<size_t>(AfterRstSegment::Other) + 1>
    kAfterRstSegments{{
        {AfterRstSegment::Rst, "rst", "RST from the victim: it no longer has the connection"},
        {AfterRstSegment::ChallengeAck, "challenge_ack",
         "challenge ACK: ack = RCV.NXT (RFC 5961 3.2), the RST was not accepted"},
        {AfterRstSegment::Data, "data", "data: the connection is alive"},
        {AfterRstSegment::Other, "other", "only a live connection sends this"},
    }};
static_assert(table_in_enum_order<AfterRstSegment>(kAfterRstSegments));

/// What `p`, one of B's segments after the RST, is; `rcv_nxt` is B's RCV.NXT the RST was
/// aimed at (a challenge ACK acknowledges exactly that).
AfterRstSegment classify_after_rst(const DecodedPacket& p, uint32_t rcv_nxt);

/// The note for a segment's line: kAfterRstSegments' text.
std::string_view after_rst_text(AfterRstSegment s);

/// What B's segments after the RST add up to. Anything only a live connection sends outweighs
/// a RST from B (it answered a segment in flight before the RST arrived, say).
enum class RstOutcome : uint8_t {
  Silence,       // nothing from B: consistent with the RST being accepted
  AnsweredRst,   // B answered with RST: the RST was accepted
  KeptTalking,   // B sent data or other segments: the connection survives
  ChallengeAck,  // B sent a challenge ACK: the RST was not accepted
};

/// Counts B's segments after the RST and reads the outcome from them.
class AfterRst {
 public:
  /// Classifies `p` (classify_after_rst) and counts it.
  AfterRstSegment take(const DecodedPacket& p, uint32_t rcv_nxt);

  RstOutcome outcome() const;

  /// The report's last line: "outcome: B answered with a challenge ACK: the connection
  /// survives", ...; `observe` is how long B was watched after the RST.
  std::string outcome_text(std::string_view b, std::chrono::nanoseconds observe) const;

 private:
  size_t rsts_ = 0;
  bool challenge_ = false;
  bool data_ = false;
  bool other_ = false;
};

}  // namespace tcpinspect::core
