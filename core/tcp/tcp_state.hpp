// SPDX-License-Identifier: MIT
#pragma once
#include <array>
#include <cstdint>
#include <optional>
#include <string_view>

#include "core/wire/enum_table.hpp"

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

/// Every state with its printed name (id and text are the same), in enumerator order.
inline constexpr std::array<EnumEntry<TcpState>, static_cast<size_t>(TcpState::TimeWait) + 1>
    kTcpStates{{
        {TcpState::Closed, "CLOSED", "CLOSED"},
        {TcpState::Listen, "LISTEN", "LISTEN"},
        {TcpState::SynSent, "SYN_SENT", "SYN_SENT"},
        {TcpState::SynRcvd, "SYN_RCVD", "SYN_RCVD"},
        {TcpState::Established, "ESTABLISHED", "ESTABLISHED"},
        {TcpState::FinWait1, "FIN_WAIT_1", "FIN_WAIT_1"},
        {TcpState::FinWait2, "FIN_WAIT_2", "FIN_WAIT_2"},
        {TcpState::CloseWait, "CLOSE_WAIT", "CLOSE_WAIT"},
        {TcpState::Closing, "CLOSING", "CLOSING"},
        {TcpState::LastAck, "LAST_ACK", "LAST_ACK"},
        {TcpState::TimeWait, "TIME_WAIT", "TIME_WAIT"},
    }};
static_assert(table_in_enum_order<TcpState>(kTcpStates));

constexpr std::string_view state_name(TcpState s) {
  return enum_entry<TcpState>(kTcpStates, s).id;
}
/// The state printed as `name` ("SYN_SENT"), if any.
constexpr std::optional<TcpState> state_from_name(std::string_view name) {
  return enum_from_id<TcpState>(kTcpStates, name);
}

}  // namespace tcpinspect::core
