// SPDX-License-Identifier: MIT
#include "core/tcp/notes.hpp"

namespace tcpinspect::core {

std::string_view note_id(Note n) {
  switch (n) {
    case Note::ConnectReturns:
      return "connect_returns";
    case Note::AcceptReturns:
      return "accept_returns";
    case Note::ReadReturnsZero:
      return "read_returns_0";
    case Note::ConnectionRefused:
      return "econnrefused";
    case Note::ConnectionReset:
      return "econnreset";
    case Note::SimultaneousOpen:
      return "simultaneous_open";
    case Note::SimultaneousClose:
      return "simultaneous_close";
    case Note::HalfClose:
      return "half_close";
    case Note::Retransmission:
      return "retransmission";
    case Note::SynRetransmission:
      return "syn_retransmission";
    case Note::PreviousSegmentNotCaptured:
      return "previous_segment_not_captured";
    case Note::OutOfOrder:
      return "out_of_order";
    case Note::AckedUnseenSegment:
      return "acked_unseen_segment";
    case Note::DuplicateAck:
      return "duplicate_ack";
    case Note::ZeroWindow:
      return "zero_window";
    case Note::WindowFull:
      return "window_full";
    case Note::KeepAlive:
      return "keep_alive";
    case Note::RstOutOfWindow:
      return "rst_out_of_window";
    case Note::RstChallengeAck:
      return "rst_challenge_ack";
    case Note::BadChecksum:
      return "bad_checksum";
    case Note::WindowScaleClamped:
      return "window_scale_clamped";
    case Note::DataAfterFin:
      return "data_after_fin";
    case Note::SegmentAfterClose:
      return "segment_after_close";
    case Note::PortReuse:
      return "port_reuse";
    case Note::InferredMidstream:
      return "inferred_midstream";
    case Note::TimeWaitExpired:
      return "time_wait_expired";
    case Note::IcmpUnreachable:
      return "icmp_unreachable";
    case Note::SynAckBadAck:
      return "synack_bad_ack";
    case Note::Count_:
      break;
  }
  return "unknown";
}

std::string_view note_text(Note n) {
  switch (n) {
    case Note::ConnectReturns:
      return "connect() returns";
    case Note::AcceptReturns:
      return "accept() returns";
    case Note::ReadReturnsZero:
      return "read() returns 0: peer closed its sending side";
    case Note::ConnectionRefused:
      return "connection refused: connect() fails with ECONNREFUSED";
    case Note::ConnectionReset:
      return "reset: the receiver's next call fails with ECONNRESET";
    case Note::SimultaneousOpen:
      return "simultaneous open: both SYNs crossed";
    case Note::SimultaneousClose:
      return "simultaneous close: both FINs crossed";
    case Note::HalfClose:
      return "half-close: data still flows to the side that sent FIN";
    case Note::Retransmission:
      return "retransmission";
    case Note::SynRetransmission:
      return "SYN retransmitted: no SYN-ACK yet";
    case Note::PreviousSegmentNotCaptured:
      return "previous segment not captured (gap)";
    case Note::OutOfOrder:
      return "out of order: fills the earlier gap (reordered, or resent after a loss before "
             "the capture point)";
    case Note::AckedUnseenSegment:
      return "ACKs bytes not seen in the capture";
    case Note::DuplicateAck:
      return "duplicate ACK";
    case Note::ZeroWindow:
      return "zero window: receiver's buffer is full";
    case Note::WindowFull:
      return "window full: fills the receiver's advertised window; the sender must now wait";
    case Note::KeepAlive:
      return "keep-alive probe";
    case Note::RstOutOfWindow:
      return "RST outside the receive window: ignored (RFC 9293)";
    case Note::RstChallengeAck:
      return "RST in window but not at RCV.NXT: challenge ACK expected (RFC 5961)";
    case Note::BadChecksum:
      return "bad TCP checksum";
    case Note::WindowScaleClamped:
      return "window scale > 14: treated as 14 (RFC 7323)";
    case Note::DataAfterFin:
      return "new data after the sender's own FIN";
    case Note::SegmentAfterClose:
      return "segment after both sides closed";
    case Note::PortReuse:
      return "four-tuple reused: a new connection";
    case Note::InferredMidstream:
      return "capture starts mid-connection: states inferred";
    case Note::TimeWaitExpired:
      return "TIME_WAIT over (2*MSL): CLOSED";
    case Note::IcmpUnreachable:
      return "ICMP destination unreachable";
    case Note::SynAckBadAck:
      return "SYN-ACK acknowledges the wrong number";
    case Note::Count_:
      break;
  }
  return "";
}

}  // namespace tcpinspect::core
