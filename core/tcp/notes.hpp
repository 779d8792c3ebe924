// SPDX-License-Identifier: MIT
#pragma once
#include <array>
#include <cstdint>
#include <string_view>

#include "core/wire/enum_table.hpp"

namespace tcpinspect::core {

/// What a segment means, beyond its fields: socket-API moments and named anomalies. The
/// snake_case ids are a public format (jsonl "notes", docs/json.md); keep them stable.
enum class Note : uint8_t {
  ConnectReturns,              // client receives SYN-ACK: connect() returns 0
  AcceptReturns,               // server receives the handshake's ACK: accept() returns
  ReadReturnsZero,             // FIN received: the receiver's read() returns 0
  ConnectionRefused,           // SYN answered by RST: connect() fails with ECONNREFUSED
  ConnectionReset,             // RST accepted: the receiver's next call fails with ECONNRESET
  SimultaneousOpen,            // both sides sent a SYN before seeing the other's
  SimultaneousClose,           // both sides sent a FIN before seeing the other's
  HalfClose,                   // data flows towards a side that already sent its FIN
  Retransmission,              // bytes (or SYN/FIN) sent again
  SynRetransmission,           // a SYN sent again: no SYN-ACK arrived in time
  PreviousSegmentNotCaptured,  // seq jumps past the next expected number: a gap
  OutOfOrder,                  // fills that gap later: reordered, or resent after a loss
                               // upstream of the capture point
  AckedUnseenSegment,          // acknowledges bytes the observer never saw
  DuplicateAck,                // same ack, no data, same window as the previous segment
  ZeroWindow,                  // advertises a zero receive window
  WindowFull,                  // data reaches the right edge of the receiver's window
  KeepAlive,                   // seq = next-1 with 0 or 1 byte: a keep-alive probe
  RstOutOfWindow,              // RST outside the receive window: ignored (RFC 9293 3.10.7.4)
  RstChallengeAck,             // RST in window but not at RCV.NXT: challenge ACK (RFC 5961 3.2)
  BadChecksum,                 // TCP checksum wrong (corruption; offload is not counted)
  WindowScaleClamped,          // window scale > 14: treated as 14 (RFC 7323 2.3)
  DataAfterFin,                // sender sends new bytes after its own FIN
  SegmentAfterClose,           // a segment for a connection both sides had closed
  PortReuse,                   // new SYN on a four-tuple whose old connection ended
  InferredMidstream,           // capture began mid-connection: states inferred
  TimeWaitExpired,             // 2*MSL of capture time passed in TIME_WAIT: CLOSED
  IcmpUnreachable,             // ICMP destination unreachable quoting this connection
  SynAckBadAck,                // SYN-ACK acknowledging something other than ISN+1
  RstAnswersBadSynAck,         // the client's RST (seq = SEG.ACK) answering that SYN-ACK
  HandshakeReset,              // RST answering a SYN-ACK: the listener drops it (SYN_RCVD->LISTEN)
  SynInSynchronized,           // a SYN with a new seq in a synchronized state (RFC 5961 4)
  ChallengeAck,                // the ACK that answers it (or an in-window RST)
  FastRetransmission,          // resent within 20 ms of >= 2 duplicate ACKs asking for it
  SpuriousRetransmission,      // resent although the receiver had already acknowledged it
  ZeroWindowProbe,             // one byte at the edge of a zero window (Wireshark's rule)
  ZeroWindowProbeAck,          // the receiver's answer to a zero-window probe
  TfoCookieRequest,            // SYN asking for a Fast Open cookie (RFC 7413 4.1.1)
  TfoCookie,                   // Fast Open cookie: granted in a SYN-ACK, presented in a SYN
  TfoDataAccepted,             // SYN-ACK acknowledges the SYN's data (RFC 7413 4.2.2)
  TfoDataIgnored,              // SYN-ACK acknowledges only the SYN: the data must be resent
  RstSuspectedForged,          // an RST unlike its claimed sender's other segments (NDSS 2009)
  Count_,
};

inline constexpr size_t kNoteCount = static_cast<size_t>(Note::Count_);

/// Every note's stable snake_case id and its short human explanation (text and ladder
/// views), in enumerator order.
inline constexpr std::array<EnumEntry<Note>, kNoteCount> kNotes{{
    {Note::ConnectReturns, "connect_returns", "connect() returns"},
    {Note::AcceptReturns, "accept_returns", "accept() returns"},
    {Note::ReadReturnsZero, "read_returns_0", "read() returns 0: peer closed its sending side"},
    {Note::ConnectionRefused, "econnrefused",
     "connection refused: connect() fails with ECONNREFUSED"},
    {Note::ConnectionReset, "econnreset", "reset: the receiver's next call fails with ECONNRESET"},
    {Note::SimultaneousOpen, "simultaneous_open", "simultaneous open: both SYNs crossed"},
    {Note::SimultaneousClose, "simultaneous_close", "simultaneous close: both FINs crossed"},
    {Note::HalfClose, "half_close", "half-close: data still flows to the side that sent FIN"},
    {Note::Retransmission, "retransmission", "retransmission"},
    {Note::SynRetransmission, "syn_retransmission", "SYN retransmitted: no SYN-ACK yet"},
    {Note::PreviousSegmentNotCaptured, "previous_segment_not_captured",
     "previous segment not captured (gap)"},
    {Note::OutOfOrder, "out_of_order",
     "out of order: fills the earlier gap (reordered, or resent after a loss before the capture "
     "point)"},
    {Note::AckedUnseenSegment, "acked_unseen_segment", "ACKs bytes not seen in the capture"},
    {Note::DuplicateAck, "duplicate_ack", "duplicate ACK"},
    {Note::ZeroWindow, "zero_window", "zero window: receiver's buffer is full"},
    {Note::WindowFull, "window_full",
     "window full: fills the receiver's advertised window; the sender must now wait"},
    {Note::KeepAlive, "keep_alive", "keep-alive probe"},
    {Note::RstOutOfWindow, "rst_out_of_window",
     "RST outside the receive window: ignored (RFC 9293)"},
    {Note::RstChallengeAck, "rst_challenge_ack",
     "RST in window but not at RCV.NXT: challenge ACK expected (RFC 5961)"},
    {Note::BadChecksum, "bad_checksum", "bad TCP checksum"},
    {Note::WindowScaleClamped, "window_scale_clamped",
     "window scale > 14: treated as 14 (RFC 7323)"},
    {Note::DataAfterFin, "data_after_fin", "new data after the sender's own FIN"},
    {Note::SegmentAfterClose, "segment_after_close", "segment after both sides closed"},
    {Note::PortReuse, "port_reuse", "four-tuple reused: a new connection"},
    {Note::InferredMidstream, "inferred_midstream",
     "capture starts mid-connection: states inferred"},
    {Note::TimeWaitExpired, "time_wait_expired", "TIME_WAIT over (2*MSL): CLOSED"},
    {Note::IcmpUnreachable, "icmp_unreachable", "ICMP destination unreachable"},
    {Note::SynAckBadAck, "synack_bad_ack",
     "unacceptable SYN-ACK: wrong ack, the client stays SYN_SENT and should answer RST "
     "seq=SEG.ACK (RFC 9293 3.10.7.3)"},
    {Note::RstAnswersBadSynAck, "rst_answers_bad_synack",
     "RST seq=SEG.ACK: the expected answer to an unacceptable SYN-ACK; the client stays "
     "SYN_SENT"},
    {Note::HandshakeReset, "handshake_reset",
     "RST answers the SYN-ACK: the listener drops the half-open connection (SYN_RCVD -> "
     "LISTEN); no accept() returned, nobody sees ECONNRESET"},
    {Note::SynInSynchronized, "syn_in_synchronized",
     "SYN with a new sequence number on an open connection: not a retransmission, the ISN "
     "stays; a challenge ACK is due (RFC 5961 4)"},
    {Note::ChallengeAck, "challenge_ack", "challenge ACK (RFC 5961): not applied as a reset"},
    {Note::FastRetransmission, "fast_retransmission",
     "fast retransmission: resent after duplicate ACKs"},
    {Note::SpuriousRetransmission, "spurious_retransmission",
     "spurious retransmission: already acknowledged"},
    {Note::ZeroWindowProbe, "zero_window_probe",
     "zero-window probe: one byte at the edge of a zero window"},
    {Note::ZeroWindowProbeAck, "zero_window_probe_ack",
     "zero-window probe answered: the window is still zero"},
    {Note::TfoCookieRequest, "tfo_cookie_request", "Fast Open cookie request"},
    {Note::TfoCookie, "tfo_cookie", "Fast Open cookie"},
    {Note::TfoDataAccepted, "tfo_data_accepted", "Fast Open: the SYN's data was accepted"},
    {Note::TfoDataIgnored, "tfo_data_ignored",
     "Fast Open: the SYN's data was not accepted; the client must send it again"},
    {Note::RstSuspectedForged, "rst_suspected_forged", "RST suspected forged"},
}};
static_assert(table_in_enum_order<Note>(kNotes));

/// The stable snake_case id of a note.
std::string_view note_id(Note n);
/// A short human explanation, for the text and ladder views.
std::string_view note_text(Note n);

/// A small set of notes (bitset), so a segment event never allocates.
class NoteSet {
 public:
  void add(Note n) { bits_ |= uint64_t{1} << static_cast<unsigned>(n); }
  void remove(Note n) { bits_ &= ~(uint64_t{1} << static_cast<unsigned>(n)); }
  bool has(Note n) const { return bits_ & (uint64_t{1} << static_cast<unsigned>(n)); }
  bool empty() const { return bits_ == 0; }
  template <typename F>
  void for_each(F&& f) const {
    for (size_t i = 0; i < kNoteCount; ++i)
      if (bits_ & (uint64_t{1} << i)) f(static_cast<Note>(i));
  }

 private:
  uint64_t bits_ = 0;
};
static_assert(kNoteCount <= 64);

}  // namespace tcpinspect::core
