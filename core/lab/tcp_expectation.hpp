// SPDX-License-Identifier: MIT
#pragma once
#include <array>
#include <cstdint>
#include <string>
#include <string_view>

#include "core/wire/enum_table.hpp"

namespace tcpinspect::core {

/// The state of the port a crafted segment is sent to, as far as RFC 9293 cares.
enum class PeerState : uint8_t {
  Closed,       // no socket: RFC 9293 3.10.7.1 "If the state is CLOSED"
  Listen,       // a listening socket: 3.10.7.2
  Established,  // a synchronized connection: 3.10.7.4 with RFC 5961's stricter checks
};

/// Every peer state in words, in enumerator order.
inline constexpr std::array<EnumEntry<PeerState>, static_cast<size_t>(PeerState::Established) + 1>
    kPeerStates{{
        {PeerState::Closed, "closed", "closed"},
        {PeerState::Listen, "listening", "listening"},
        {PeerState::Established, "established", "established"},
    }};
static_assert(table_in_enum_order<PeerState>(kPeerStates));

std::string_view peer_state_name(PeerState s);  // "closed", "listening", "established"

/// What the receiver sends back.
enum class ReplyKind : uint8_t {
  Nothing,  // silently dropped (or, for an accepted RST, the connection dies silently)
  Rst,      // <SEQ=SEG.ACK><CTL=RST>
  RstAck,   // <SEQ=0><ACK=SEG.SEQ+SEG.LEN><CTL=RST,ACK>
  SynAck,   // <SEQ=ISS><ACK=SEG.SEQ+1><CTL=SYN,ACK>
  Ack,      // an ACK <SEQ=SND.NXT><ACK=RCV.NXT> (challenge ACK, RFC 5961)
};

/// Every reply kind's name, in enumerator order.
inline constexpr std::array<EnumEntry<ReplyKind>, static_cast<size_t>(ReplyKind::Ack) + 1>
    kReplyKinds{{
        {ReplyKind::Nothing, "nothing", "nothing"},
        {ReplyKind::Rst, "RST", "RST"},
        {ReplyKind::RstAck, "RST/ACK", "RST/ACK"},
        {ReplyKind::SynAck, "SYN-ACK", "SYN-ACK"},
        {ReplyKind::Ack, "ACK", "ACK"},
    }};
static_assert(table_in_enum_order<ReplyKind>(kReplyKinds));

std::string_view reply_kind_name(ReplyKind k);  // "nothing", "RST", "RST/ACK", "SYN-ACK", "ACK"

/// The segment that was sent (only what the rules look at).
struct SentSegment {
  uint16_t flags = 0;  // TcpFlag bits
  uint32_t seq = 0;
  uint32_t ack = 0;
  uint32_t payload_len = 0;
};

/// For PeerState::Established: the receiver's view (RFC 9293 3.3.1).
struct ReceiverWindow {
  uint32_t rcv_nxt = 0;
  uint32_t rcv_wnd = 0;  // scaled window the receiver advertised
};

/// What RFC 9293 (and RFC 5961 for Established) predicts.
struct Expectation {
  ReplyKind reply = ReplyKind::Nothing;
  bool check_seq = false;  // the reply's seq is known in advance
  uint32_t seq = 0;
  bool check_ack = false;  // the reply's ack is known in advance
  uint32_t ack = 0;
  bool resets_connection = false;  // Established: the RST is accepted and the connection dies
  std::string_view rfc;            // e.g. "RFC 9293 3.10.7.1"
  std::string_view why;            // one line: the rule that applies
};

/// Pure table of RFC 9293 3.10.7 (plus RFC 5961 3.2 and 4.2 for Established, where
/// `window` must describe the receiver). `window` is ignored for Closed and Listen.
Expectation expect_reply(PeerState state, const SentSegment& sent,
                         const ReceiverWindow& window = {});

/// Whether an actual reply (flags, seq, ack) is the predicted one: the flag set must be
/// the predicted kind and every known number must match. `Nothing` never matches a reply.
bool reply_matches(const Expectation& e, uint16_t flags, uint32_t seq, uint32_t ack);

/// The prediction as one line, numbers relative to what was sent, e.g.
/// "RST/ACK expected, seq=0 ack=your seq+1 (RFC 9293 3.10.7.1)".
std::string describe_expectation(const Expectation& e, const SentSegment& sent);

/// `value` relative to the segment sent: "your seq+1", "your ack", "your seq+5+1000", or
/// the raw number when it relates to neither.
std::string relative_to_sent(uint32_t value, const SentSegment& sent);

}  // namespace tcpinspect::core
