// SPDX-License-Identifier: MIT
#pragma once
#include <cstdint>

#include "core/tcp/connection.hpp"
#include "core/tcp/segment_event.hpp"

/// Every rule that undoes a step an endpoint took on trust (core/tcp/undo_log.hpp), and the
/// only code that moves an endpoint back. A receipt is only as sure as the receiver's own
/// later segments make it: they confirm it (an acknowledgement covering the segment) or show
/// it never happened (the receiver sends again what the segment acknowledged, or the sender
/// sends the segment again while the receiver stayed silent about it). A received SYN or
/// FIN may have crossed the receiver's own; an RST in a side's name may not be its own. Each
/// undone step is reported in the event as a Revision, from which the held-back records are
/// corrected (core/tcp/confirmation.hpp).
namespace tcpinspect::core {

/// What the resending rules need to know of one segment.
struct ResendFacts {
  bool syn_again = false;  // the sender's SYN (or SYN-ACK) again, same ISN
  bool fin_again = false;  // the sender's FIN again, same sequence number
  bool has_ack = false;
  bool rst = false;
  uint32_t ack = 0;
};

/// Logs the receiver's step `step.before` -> `step.after` for a segment it received.
void log_step(Endpoint& e, const UndoStep& step);

/// Before the segment's transitions: undoes what its resending shows never happened (the
/// sender's own receipt of an ACK, or the receiver's receipt of the resent SYN/FIN), and
/// confirms the sender's receipts its acknowledgement covers. Sets `ev.confirms`.
void undo_what_resending_shows(Endpoint& sender, Endpoint& receiver, bool sender_is_client,
                               const ResendFacts& f, SegmentEvent& ev);

/// The sender had been credited with receiving the peer's SYN or FIN; its own segment now
/// tells whether it really had (RFC 9293 figures 8 and 13): an RST answering the SYN means
/// nothing was listening; its own SYN/FIN not acknowledging the peer's means they crossed,
/// and the receipt is undone so that the send comes first. Returns the flag (kSyn, kFin)
/// whose receipt the caller takes again after the sender's own transition, or 0.
uint8_t settle_crossing(Connection& c, Endpoint& sender, const Endpoint& peer, uint16_t flags,
                        uint32_t ack, SegmentEvent& ev);

/// The side sends data after an RST in its name that its peer accepted: it never sent that
/// RST, so it never left the state it was in (its peer did take the RST; that stays).
/// Returns whether it was restored.
bool restore_after_forged_rst(Connection& c, Endpoint& sender, SegmentEvent& ev);

/// A SYN never answered (the capture ended, or an ICMP error answered it): the server never
/// showed it received it, so it never left the state it was in.
bool settle_unanswered_syn(Connection& c, Revision& revision);

}  // namespace tcpinspect::core
