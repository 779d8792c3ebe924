// SPDX-License-Identifier: MIT
#pragma once
#include <array>
#include <cstdint>
#include <string_view>

#include "core/tcp/annotation_evidence.hpp"
#include "core/tcp/connection.hpp"
#include "core/tcp/notes.hpp"
#include "core/wire/enum_table.hpp"
#include "core/wire/packet.hpp"

namespace tcpinspect::core {

/// The arithmetic rules a segment is checked against. Ids are a public format.
enum class CheckKind : uint8_t {
  SynAckAcksSyn,  // SYN-ACK: ack = client ISN + 1 (the SYN consumed one)
  HandshakeAck,   // third segment: ack = server ISN + 1
  SeqExpected,    // seq = the sender's next sequence number (no gap, no overlap)
  AckInRange,     // ack <= the receiver's next sequence number (nothing unseen acked)
  FinAcked,       // ack = FIN's seq + 1 (the FIN consumed one)
  RstAcceptable,  // RST seq = receiver's RCV.NXT (RFC 5961 3.2)
  RstAcksSyn,     // RST answering a SYN: ack = ISN + 1 (RFC 9293 3.10.7.1)
};

/// Every rule's id (jsonl checks[].rule), in enumerator order.
inline constexpr std::array<EnumEntry<CheckKind>, static_cast<size_t>(CheckKind::RstAcksSyn) + 1>
    kCheckKinds{{
        {CheckKind::SynAckAcksSyn, "synack_acks_syn", "synack_acks_syn"},
        {CheckKind::HandshakeAck, "handshake_ack", "handshake_ack"},
        {CheckKind::SeqExpected, "seq_expected", "seq_expected"},
        {CheckKind::AckInRange, "ack_in_range", "ack_in_range"},
        {CheckKind::FinAcked, "fin_acked", "fin_acked"},
        {CheckKind::RstAcceptable, "rst_acceptable", "rst_acceptable"},
        {CheckKind::RstAcksSyn, "rst_acks_syn", "rst_acks_syn"},
    }};
static_assert(table_in_enum_order<CheckKind>(kCheckKinds));

constexpr std::string_view check_id(CheckKind k) {
  return enum_entry<CheckKind>(kCheckKinds, k).id;
}

/// Why hindsight corrected a state shown earlier (text revision lines, docs/json.md).
enum class RevisionCause : uint8_t {
  CrossingSyn,       // the side sent its own SYN before the peer's arrived (simultaneous open)
  CrossingFin,       // the side sent its own FIN before the peer's arrived (simultaneous close)
  SynAnsweredByRst,  // the side answered the SYN with RST: nothing was listening
  SynSentAgain,     // the SYN was sent again with no SYN-ACK in between: the listener never took it
  FinSentAgain,     // the FIN was sent again with no ACK of it in between: it never arrived
  AckNeverArrived,  // the side sent its SYN/FIN again after the peer's ACK of it: that ACK was lost
  SynUnanswered,    // the capture ended with the SYN unanswered: the listener never showed it
  RstNotSent,       // the side sent data after "its" RST: it never sent it (forged)
};

/// Every cause's id and sentence, in enumerator order.
inline constexpr std::array<EnumEntry<RevisionCause>,
                            static_cast<size_t>(RevisionCause::RstNotSent) + 1>
    kRevisionCauses{{
        {RevisionCause::CrossingSyn, "crossing_syn",
         "the SYNs crossed: it sent its own SYN before the peer's arrived"},
        {RevisionCause::CrossingFin, "crossing_fin",
         "the FINs crossed: it sent its own FIN before the peer's arrived"},
        {RevisionCause::SynAnsweredByRst, "syn_answered_by_rst",
         "it answered the SYN with RST: nothing was listening"},
        {RevisionCause::SynSentAgain, "syn_sent_again",
         "the SYN was sent again with no SYN-ACK in between: the listener never took it"},
        {RevisionCause::FinSentAgain, "fin_sent_again",
         "the FIN was sent again with no ACK of it in between: it never arrived"},
        {RevisionCause::AckNeverArrived, "ack_never_arrived",
         "it sent its SYN/FIN again after the peer acknowledged it: that ACK never arrived"},
        {RevisionCause::SynUnanswered, "syn_unanswered",
         "the SYN was never answered: the listener never showed it took it"},
        {RevisionCause::RstNotSent, "rst_not_sent",
         "it went on sending data after the RST in its name: it never sent that RST"},
    }};
static_assert(table_in_enum_order<RevisionCause>(kRevisionCauses));

constexpr std::string_view revision_cause_id(RevisionCause k) {
  return enum_entry<RevisionCause>(kRevisionCauses, k).id;
}
constexpr std::string_view revision_cause_text(RevisionCause k) {
  return enum_entry<RevisionCause>(kRevisionCauses, k).text;
}

/// A correction of earlier records: from frame `since_frame` on, one side was really in
/// `real` where `shown` was shown.
struct Revision {
  uint64_t since_frame = 0;
  bool client_side = true;
  TcpState shown = TcpState::Closed;
  TcpState real = TcpState::Closed;
  RevisionCause cause = RevisionCause::CrossingSyn;
  // The side's state before `since_frame` was wrong too: it was `real` from the start (a
  // "server" that was never listening).
  bool from_start = false;
  // Set by the hold-back stage: records it had already handed on were affected (a text
  // renderer cannot rewrite them and prints a revision line instead).
  bool reached_output = false;
  // `real` is itself a receipt taken again after an undone one, still waiting for the side
  // to confirm it; otherwise it is the state the side kept, which needs no confirmation.
  bool real_unconfirmed = false;
};

/// A correction of records the hold stage (core/tcp/confirmation.hpp) had already handed
/// on, decided there: for one side of connection `conn_id`, every record of frames
/// `first_frame` to `last_frame` that shows `shown` shows `real` instead, marked
/// unconfirmed for that side exactly when `unconfirmed`. With `from_start`, the side was
/// `real` before `first_frame` as well (a "server" that was never listening): every record
/// before it shows `real` for that side. Views that keep records apply it to them; a view
/// that printed them cannot, and reads SegmentEvent::revisions instead.
struct RevisionEvent {
  /// last_frame when the hold stage holds nothing of the connection: every record since.
  static constexpr uint64_t kLatest = ~uint64_t{0};

  uint32_t conn_id = 0;  // Connection::id
  uint64_t first_frame = 0;
  uint64_t last_frame = kLatest;
  bool client_side = true;
  TcpState shown = TcpState::Closed;
  TcpState real = TcpState::Closed;
  bool unconfirmed = false;
  bool from_start = false;
  RevisionCause cause = RevisionCause::CrossingSyn;
};

/// The states one side passed through within one segment, in order, on its way from its
/// state before the segment to its state after it: e.g. SYN_SENT between CLOSED and
/// SYN_RCVD when it sent its own SYN and then took the peer's crossing one.
struct ViaStates {
  std::array<TcpState, 2> states{};
  uint8_t count = 0;
  void add(TcpState s) {
    if (count < states.size()) states[count++] = s;
  }
};

struct Check {
  CheckKind kind;
  bool ok;
  uint32_t expected;  // raw number the rule expects
  uint32_t actual;    // raw number the segment carries
};

/// Everything the analyzer concluded about one TCP segment, and what a view needs of its
/// connection (which one, the ISNs its numbers count from): a view never reads the live
/// Connection. The packet stays valid only during the sink callback.
struct SegmentEvent {
  uint64_t frame = 0;
  int64_t ts_ns = 0;
  int64_t rel_ts_ns = 0;  // since the first frame of the capture
  const DecodedPacket* packet = nullptr;
  uint32_t conn_id = 0;  // Connection::id
  Direction dir = Direction::ClientToServer;

  TcpState client_before = TcpState::Closed;
  TcpState client_after = TcpState::Closed;
  TcpState server_before = TcpState::Closed;
  TcpState server_after = TcpState::Closed;
  bool revised = false;  // a provisional state was corrected in hindsight
  // The sender's state changed by a receipt too (a crossing SYN or FIN applied after its
  // own): unconfirmed until the sender acknowledges sender_receipt_end.
  bool sender_receipt = false;
  uint32_t sender_receipt_end = 0;
  // Bit 0: the client's new state after this segment is not confirmed by anything the
  // client sent later; bit 1: the server's (core/tcp/confirmation.hpp).
  uint8_t unconfirmed = 0;
  // Whether this segment shows its sender received what it acknowledges (it has an ACK and
  // resends nothing that ACK's sender already acknowledged).
  bool confirms = false;
  // States each side passed through within this segment ([0] the client, [1] the server).
  std::array<ViaStates, 2> via{};
  // Corrections of earlier records this segment revealed (at most one per side).
  std::array<Revision, 4> revisions{};  // an undone receipt, and the ones re-derived after it
  uint8_t revision_count = 0;
  void add_revision(const Revision& r) {
    if (revision_count < revisions.size()) revisions[revision_count++] = r;
  }

  // Wireshark's relative numbers (tcp.seq / tcp.ack).
  uint32_t rel_seq = 0;
  uint32_t rel_ack = 0;

  // Symbolic offsets: seq - sender ISN, ack - receiver ISN (valid when the ISN is set).
  bool seq_sym = false;
  bool ack_sym = false;
  int64_t seq_off = 0;
  int64_t ack_off = 0;
  // The ISNs those offsets count from (x: the client's, y: the server's), as known after
  // this segment; 0 while unset.
  uint32_t client_isn = 0;
  uint32_t server_isn = 0;
  uint32_t sender_isn() const { return dir == Direction::ClientToServer ? client_isn : server_isn; }
  uint32_t receiver_isn() const {
    return dir == Direction::ClientToServer ? server_isn : client_isn;
  }

  std::array<Check, 4> checks{};
  uint8_t check_count = 0;
  NoteSet notes;
  // Evidence for the judgement notes (retransmission kinds, rst_suspected_forged).
  RetransmissionEvidence retransmission;
  ForgedRstEvidence forged_rst;

  void add_check(CheckKind k, bool ok, uint32_t expected, uint32_t actual) {
    if (check_count < checks.size()) checks[check_count++] = Check{k, ok, expected, actual};
  }
};

/// A state change caused by time, not by a segment (TIME_WAIT expiry, idle expiry).
struct TimerEvent {
  int64_t ts_ns = 0;
  int64_t rel_ts_ns = 0;
  uint32_t conn_id = 0;  // Connection::id
  bool client_side = true;
  TcpState before = TcpState::TimeWait;
  TcpState after = TcpState::Closed;
  Note note = Note::TimeWaitExpired;
};

/// An ICMP error that quotes a TCP segment, attributed to its connection (conn_id 0 when
/// no tracked connection matches).
struct IcmpEvent {
  uint64_t frame = 0;
  int64_t ts_ns = 0;
  int64_t rel_ts_ns = 0;
  const DecodedPacket* packet = nullptr;
  uint32_t conn_id = 0;  // Connection::id (ids start at 1)
  // Both sides' states once the error is applied (valid with a conn_id).
  TcpState client_state = TcpState::Closed;
  TcpState server_state = TcpState::Closed;
  std::string_view errno_name;  // what connect()/send() would report: EHOSTUNREACH, ...
};

/// A frame that could not be analysed as TCP but deserves a word (truncated, malformed,
/// non-first fragment).
struct ProblemEvent {
  uint64_t frame = 0;
  int64_t ts_ns = 0;
  int64_t rel_ts_ns = 0;
  DecodeResult result = DecodeResult::Malformed;
  const char* problem = nullptr;
  const DecodedPacket* packet = nullptr;
};

}  // namespace tcpinspect::core
