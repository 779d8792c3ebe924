// SPDX-License-Identifier: MIT
#pragma once
#include <array>
#include <cstdint>
#include <optional>
#include <string_view>

#include "core/tcp/connection.hpp"

namespace tcpinspect::core {

/// One side of a connection as it ended: who it was, where it got to, what it sent.
struct EndpointSummary {
  IpAddress addr;
  uint16_t port = 0;
  TcpState state = TcpState::Closed;  // final state
  StatePath path;                     // every state it went through, revised in hindsight

  /// The ISN: seen in its SYN (isn_known), else Wireshark's base of its relative numbers
  /// (first seq - 1, or the peer's first ack - 1), else unset (it sent nothing).
  uint32_t isn = 0;
  bool isn_set = false;
  bool isn_known = false;
  /// The window scale shift count in effect (RFC 7323 2.2: only when both SYNs carried the
  /// option), else 0.
  uint8_t window_scale = 0;

  uint32_t retransmissions = 0;
  uint64_t packets = 0;
  uint64_t payload_bytes = 0;
};

/// What Zeek's conn.log says of the connection (core/zeek).
struct ZeekSummary {
  std::string_view conn_state;  // "S0", "SF", ...: static text
  bool roles_swapped = false;   // Zeek's originator is tcpinspect's server
  uint64_t orig_bytes = 0;      // conn.log orig_bytes / resp_bytes (from sequence numbers)
  uint64_t resp_bytes = 0;

  std::string_view history() const { return {history_.data(), history_len_}; }
  void set_history(std::string_view h);

 private:
  std::array<char, ZeekConn::kHistoryCapacity> history_{};
  uint8_t history_len_ = 0;
};

/// Everything the views print of a connection when it ends, computed once from the final
/// Connection when tracking of it ends (Inspector). A plain value: no pointer into the
/// connection table, no heap.
struct ConnectionSummary {
  uint32_t id = 0;
  EndpointSummary client;
  EndpointSummary server;

  CloseKind close = CloseKind::Open;
  bool inferred = false;  // capture began mid-connection
  bool evicted = false;   // dropped early by the --max-connections cap
  bool simultaneous_open = false;
  bool simultaneous_close = false;
  bool isn_inferred = false;  // either side's ISN was not seen in a SYN
  uint32_t bad_checksums = 0;
  uint32_t retransmissions = 0;  // both sides

  int64_t first_ts_ns = 0;  // capture times of its first and last segment
  int64_t last_ts_ns = 0;
  int64_t duration_ns = 0;  // last - first
  /// Handshake round trips seen from the capture point: the first bare SYN to the first
  /// SYN-ACK, and that SYN-ACK to the handshake's ACK. Unset when a segment was not seen.
  std::optional<int64_t> rtt_syn_synack_ns;
  std::optional<int64_t> rtt_synack_ack_ns;
  /// From the first bare SYN to the last segment: how long the capture shows the client
  /// trying (a no_answer connection). Unset without a SYN.
  std::optional<int64_t> since_syn_ns;

  ZeekSummary zeek;

  const EndpointSummary& sender(Direction d) const {
    return d == Direction::ClientToServer ? client : server;
  }
  const EndpointSummary& receiver(Direction d) const {
    return d == Direction::ClientToServer ? server : client;
  }
};

/// The summary of `c` as it stands; call once its analysis is final (finalize_connection).
ConnectionSummary summarize(const Connection& c);

}  // namespace tcpinspect::core
