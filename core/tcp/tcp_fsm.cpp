// SPDX-License-Identifier: MIT
#include "core/tcp/tcp_fsm.hpp"

#include "core/wire/packet.hpp"

namespace tcpinspect::core {

TcpState state_after_send(TcpState s, uint16_t flags) {
  using enum TcpState;
  if (flags & kRst) return Closed;
  if ((flags & kSyn) && !(flags & kAck)) {
    if (s == Closed || s == Listen) s = SynSent;
  } else if ((flags & kSyn) && (flags & kAck)) {
    // A SYN-ACK is sent from SYN_RCVD (passive open, or simultaneous open's reply).
    if (s == Closed || s == Listen || s == SynSent) s = SynRcvd;
  }
  if (flags & kFin) {
    switch (s) {
      case SynRcvd:
      case Established:
        return FinWait1;
      case CloseWait:
        return LastAck;
      default:
        break;  // a retransmitted FIN, or a FIN where none can be sent: no change
    }
  }
  return s;
}

TcpState state_after_receive(TcpState s, const ReceiveFacts& facts) {
  using enum TcpState;
  const uint16_t flags = facts.flags;
  // We follow the connection, not the listening socket: an accepted RST ends it in every
  // state (RFC 9293 3.10.7.4; TIME_WAIT too, as Linux does, RFC 1337 notwithstanding).
  // Except a passive open's SYN_RCVD: the half-open connection is dropped and the listener
  // carries on (RFC 9293 3.10.7.4, "If this connection was initiated with a passive OPEN").
  if (flags & kRst) return s == Listen || (s == SynRcvd && facts.passive_open) ? Listen : Closed;

  if (flags & kSyn) {
    if (!(flags & kAck)) {
      // Passive open, or the crossing SYN of a simultaneous open (RFC 9293 figure 8).
      if (s == Closed || s == Listen || s == SynSent) return SynRcvd;
      return s;  // a SYN in a synchronized state only draws a challenge ACK (RFC 5961 4)
    }
    if ((s == SynSent || s == SynRcvd) && facts.acks_our_syn) s = Established;
    // The SYN-ACK may carry a FIN too; fall through to FIN processing.
  } else if (flags & kAck) {
    switch (s) {
      case SynRcvd:
        if (facts.acks_our_syn) s = Established;
        break;
      case FinWait1:
        if (facts.acks_our_fin) s = FinWait2;
        break;
      case Closing:
        if (facts.acks_our_fin) s = TimeWait;
        break;
      case LastAck:
        if (facts.acks_our_fin) s = Closed;
        break;
      default:
        break;
    }
  }

  if (flags & kFin) {
    switch (s) {
      case SynRcvd:
      case Established:
        return CloseWait;
      case FinWait1:
        return Closing;  // our FIN not yet acknowledged: simultaneous close
      case FinWait2:
        return TimeWait;
      default:
        break;
    }
  }
  return s;
}

}  // namespace tcpinspect::core
