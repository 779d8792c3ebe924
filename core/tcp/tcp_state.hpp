// SPDX-License-Identifier: MIT
#pragma once
#include <cstdint>
#include <string_view>

namespace tcpinspect::core {

/// The eleven connection states of RFC 9293 section 3.3.2. The names printed are the
/// public format (stable; pinned by golden files).
enum class TcpState : uint8_t {
  Closed,
  Listen,
  SynSent,
  SynRcvd,
  Established,
  FinWait1,
  FinWait2,
  CloseWait,
  Closing,
  LastAck,
  TimeWait,
};

constexpr std::string_view state_name(TcpState s) {
  switch (s) {
    case TcpState::Closed:
      return "CLOSED";
    case TcpState::Listen:
      return "LISTEN";
    case TcpState::SynSent:
      return "SYN_SENT";
    case TcpState::SynRcvd:
      return "SYN_RCVD";
    case TcpState::Established:
      return "ESTABLISHED";
    case TcpState::FinWait1:
      return "FIN_WAIT_1";
    case TcpState::FinWait2:
      return "FIN_WAIT_2";
    case TcpState::CloseWait:
      return "CLOSE_WAIT";
    case TcpState::Closing:
      return "CLOSING";
    case TcpState::LastAck:
      return "LAST_ACK";
    case TcpState::TimeWait:
      return "TIME_WAIT";
  }
  return "?";
}

}  // namespace tcpinspect::core
