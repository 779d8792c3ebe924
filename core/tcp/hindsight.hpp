// SPDX-License-Identifier: MIT
#pragma once
#include <cstdint>

#include "core/tcp/connection.hpp"
#include "core/tcp/segment_event.hpp"

/// Hindsight about receive transitions: a state reached by receiving a segment is only as
/// sure as the receiver's own later segments make it. They confirm it (an acknowledgement
/// covering the segment) or show it never happened (rule 4 of issue 9: the receiver sends
/// again what the segment acknowledged, or the sender sends the segment again while the
/// receiver stayed silent about it). Works on one connection's endpoints; the records
/// already emitted are corrected by the caller from the Revision it gets.
namespace tcpinspect::core {

/// What the hindsight rules need to know of one segment.
struct ResendFacts {
  bool syn_again = false;  // the sender's SYN (or SYN-ACK) again, same ISN
  bool fin_again = false;  // the sender's FIN again, same sequence number
  bool has_ack = false;
  bool rst = false;
  uint32_t ack = 0;
};

/// Before the segment's transitions: undoes what its resending shows never happened (the
/// sender's own receipt of an ACK, or the receiver's receipt of the resent SYN/FIN), and
/// clears the sender's unconfirmed mark when its acknowledgement covers what caused it.
/// Records corrections in `ev` (revisions, and `confirms`).
void apply_hindsight(Endpoint& sender, Endpoint& receiver, bool sender_is_client,
                     const ResendFacts& f, SegmentEvent& ev);

/// After the receiver's transition `receipt.before` -> `receipt.after`: marks it
/// unconfirmed until its own segments confirm it. `receipt.cause` is kSyn, kFin or kAck (an
/// acknowledgement of the receiver's SYN or FIN); `receipt.end` = the segment's seq + length.
void mark_unconfirmed(Endpoint& receiver, const Endpoint::PendingReceipt& receipt);

/// Forgets the receive transitions still unconfirmed (they were undone another way).
void forget_unconfirmed(Endpoint& e);

/// Undoes a receive transition applied on trust: state and path back to what they were.
void revert_endpoint(Endpoint& e, TcpState before, uint8_t path_size);

}  // namespace tcpinspect::core
