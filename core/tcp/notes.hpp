// SPDX-License-Identifier: MIT
#pragma once
#include <cstdint>
#include <string_view>

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
  BadChecksum,                 // TCP checksum wrong (offload on local captures, or corruption)
  WindowScaleClamped,          // window scale > 14: treated as 14 (RFC 7323 2.3)
  DataAfterFin,                // sender sends new bytes after its own FIN
  SegmentAfterClose,           // a segment for a connection both sides had closed
  PortReuse,                   // new SYN on a four-tuple whose old connection ended
  InferredMidstream,           // capture began mid-connection: states inferred
  TimeWaitExpired,             // 2*MSL of capture time passed in TIME_WAIT: CLOSED
  IcmpUnreachable,             // ICMP destination unreachable quoting this connection
  SynAckBadAck,                // SYN-ACK acknowledging something other than ISN+1
  Count_,
};

inline constexpr size_t kNoteCount = static_cast<size_t>(Note::Count_);

/// The stable snake_case id of a note.
std::string_view note_id(Note n);
/// A short human explanation, for the text and ladder views.
std::string_view note_text(Note n);

/// A small set of notes (bitset), so a segment event never allocates.
class NoteSet {
 public:
  void add(Note n) { bits_ |= uint32_t{1} << static_cast<unsigned>(n); }
  bool has(Note n) const { return bits_ & (uint32_t{1} << static_cast<unsigned>(n)); }
  bool empty() const { return bits_ == 0; }
  template <typename F>
  void for_each(F&& f) const {
    for (size_t i = 0; i < kNoteCount; ++i)
      if (bits_ & (uint32_t{1} << i)) f(static_cast<Note>(i));
  }

 private:
  uint32_t bits_ = 0;
};
static_assert(kNoteCount <= 32);

}  // namespace tcpinspect::core
