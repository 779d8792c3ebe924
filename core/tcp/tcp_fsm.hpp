// SPDX-License-Identifier: MIT
#pragma once
#include <cstdint>

#include "core/tcp/tcp_state.hpp"

/// RFC 9293's state transitions, as an observer on the wire applies them: a segment
/// moves its sender as sent and its receiver as received. Pure functions; the analyzer
/// decides what "acks our SYN/FIN" means from the sequence numbers it tracks.
namespace tcpinspect::core {

/// The sender's state after it sends a segment with `flags` (TcpFlag bits).
/// SYN: active open (CLOSED/LISTEN -> SYN_SENT); SYN-ACK: passive open reply
/// (-> SYN_RCVD); FIN: close() (ESTABLISHED/SYN_RCVD -> FIN_WAIT_1, CLOSE_WAIT -> LAST_ACK);
/// RST: abort (-> CLOSED). Anything else leaves the state unchanged.
TcpState state_after_send(TcpState s, uint16_t flags);

struct ReceiveFacts {
  uint16_t flags = 0;
  bool acks_our_syn = false;  // ACK set and ack covers this endpoint's SYN (ISN + 1)
  bool acks_our_fin = false;  // ACK set and ack covers this endpoint's FIN (FIN seq + 1)
  bool passive_open = false;  // this endpoint reached SYN_RCVD from LISTEN
};

/// The receiver's state after it accepts a segment (RFC 9293 3.10.7). The caller has
/// already decided that an RST is acceptable; unacceptable RSTs must not be passed here.
/// ACK processing happens before FIN processing, as in the RFC's "fifth/eighth" steps.
TcpState state_after_receive(TcpState s, const ReceiveFacts& facts);

}  // namespace tcpinspect::core
