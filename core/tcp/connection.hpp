// SPDX-License-Identifier: MIT
#pragma once
#include <array>
#include <cstdint>
#include <string_view>

#include "core/tcp/sender_history.hpp"
#include "core/tcp/state_path.hpp"
#include "core/tcp/tcp_fsm.hpp"
#include "core/tcp/tcp_state.hpp"
#include "core/tcp/undo_log.hpp"
#include "core/wire/enum_table.hpp"
#include "core/wire/packet.hpp"
#include "core/zeek/zeek_conn.hpp"

namespace tcpinspect::core {

/// How a connection ended, as shown in summaries. The ids are a public format.
enum class CloseKind : uint8_t {
  Open,            // still open when the capture (or tracking) ended
  Graceful,        // both sides sent FIN and had it acknowledged
  HalfClosed,      // one side's FIN only
  ResetByClient,   // an accepted RST from the client
  ResetByServer,   // an accepted RST from the server (not in answer to the SYN)
  Refused,         // SYN answered by RST: ECONNREFUSED
  TimedOut,        // the capture shows the client giving up on its unanswered SYNs
  Unreachable,     // ICMP destination unreachable for the SYN: EHOSTUNREACH/ENETUNREACH
  HandshakeReset,  // the SYN-ACK was answered by RST: the listener dropped the half-open one
  NoAnswer,        // SYN(s) unanswered when the capture ended: connect() still waiting
};

/// Every close kind's id (jsonl "close") and what the ending means for the sockets, in words
/// (text and ladder views), in enumerator order.
inline constexpr std::array<EnumEntry<CloseKind>, static_cast<size_t>(CloseKind::NoAnswer) + 1>
    kCloseKinds{{
        {CloseKind::Open, "open", "still open when the capture ended"},
        {CloseKind::Graceful, "graceful", "both sides sent FIN and had it acknowledged"},
        {CloseKind::HalfClosed, "half_closed", "only one direction was closed"},
        {CloseKind::ResetByClient, "reset_by_client",
         "the client reset it: the server sees ECONNRESET"},
        {CloseKind::ResetByServer, "reset_by_server",
         "the server reset it: the client sees ECONNRESET"},
        {CloseKind::Refused, "refused", "SYN answered by RST: connect() failed with ECONNREFUSED"},
        {CloseKind::TimedOut, "timed_out",
         "SYN never answered and the client gave up: connect() failed with ETIMEDOUT"},
        {CloseKind::Unreachable, "unreachable", "ICMP destination unreachable: connect() failed"},
        {CloseKind::HandshakeReset, "handshake_reset",
         "the SYN-ACK was answered by RST: the listener dropped the half-open connection; no "
         "accept() returned, no application saw it"},
        // How many retries a stack makes before giving up is its own setting (Linux:
        // net.ipv4.tcp_syn_retries); the capture cannot tell, so no count is claimed.
        {CloseKind::NoAnswer, "no_answer",
         "no answer yet: the client is still in SYN_SENT when the capture ends"},
    }};
static_assert(table_in_enum_order<CloseKind>(kCloseKinds));

constexpr std::string_view close_kind_id(CloseKind k) {
  return enum_entry<CloseKind>(kCloseKinds, k).id;
}
constexpr std::string_view close_kind_text(CloseKind k) {
  return enum_entry<CloseKind>(kCloseKinds, k).text;
}

enum class Direction : uint8_t { ClientToServer, ServerToClient };

/// One side of a connection as an observer on the wire sees it. Sequence fields are the
/// endpoint's own sending sequence space (RFC 9293 3.3.1: ISS, SND.NXT), as seen.
struct Endpoint {
  // Ordered by size, not by topic, so that no padding sits between the fields, and flags
  // are bits: ~100,000 connections of a busy capture are tracked at once (most waiting out
  // TIME_WAIT).
  IpAddress addr;
  TcpState state = TcpState::Closed;
  uint16_t port = 0;
  StatePath path;

  uint32_t isn = 0;       // valid when isn_set (known when isn_known, else first seq - 1)
  uint32_t next_seq = 0;  // highest seq + segment length (SYN and FIN count one) sent
  uint32_t fin_seq = 0;   // sequence number the FIN occupies, when fin_sent
  uint32_t last_ack = 0;  // highest acknowledgement this side sent, when ack_set
  // Wireshark's relative-number base for this direction (tcp.seq = seq - base).
  uint32_t ws_base = 0;
  // The latest gap in what this side sent, [hole_start, hole_end): bytes the capture has
  // not seen although later ones arrived. A segment that fits inside it is out of order
  // (reordered, or resent after a loss before the capture point), not a retransmission
  // of something seen. One gap is kept; an older one is forgotten when a new one opens.
  uint32_t hole_start = 0;
  uint32_t hole_end = 0;
  uint32_t retransmissions = 0;
  uint16_t last_window = 0;
  uint8_t window_scale = 0;  // shift count (clamped to 14), valid when both SYNs carried it

  bool isn_known : 1 = false;  // saw its SYN (else isn is inferred: first seq - 1)
  bool isn_set : 1 = false;
  bool next_seq_set : 1 = false;
  bool fin_sent : 1 = false;
  bool fin_acked : 1 = false;  // the peer acknowledged the FIN (ack = FIN seq + 1)
  bool ack_set : 1 = false;
  bool offered_window_scale : 1 = false;
  bool syn_seen : 1 = false;
  bool synack_sent : 1 = false;
  bool ws_base_set : 1 = false;
  bool hole_set : 1 = false;

  uint64_t packets = 0;
  uint64_t payload_bytes = 0;
  int64_t time_wait_since = -1;  // capture time this side entered TIME_WAIT
  SenderHistory history;         // evidence for retransmission kinds, probes, forged RSTs

  // The state changes applied on trust, each with why it may yet be undone
  // (core/tcp/undo.cpp).
  UndoLog undo;
};

/// Moves the endpoint to `s`, adding it to the states it went through.
inline void set_state(Endpoint& e, TcpState s) {
  e.state = s;
  e.path.push(s);
}

/// A tracked TCP connection. Client = the side that sent the first SYN (or Zeek's
/// originator heuristics when the handshake was not captured).
struct Connection {
  Endpoint client;
  Endpoint server;

  // (Ordered by size, so that no padding sits between the fields; flags are bits.)
  int64_t first_ts = 0;
  int64_t last_ts = 0;
  int64_t syn_ts = -1;
  int64_t synack_ts = -1;
  int64_t handshake_ack_ts = -1;
  int64_t closed_since = -1;  // both sides CLOSED since (linger before forgetting)

  uint32_t id = 0;  // 1-based, in order of first appearance
  // The client answered an unacceptable SYN-ACK (RFC 9293 3.10.7.3): its ack, which the
  // client's RST must carry as seq (when bad_synack_seen).
  uint32_t bad_synack_ack = 0;
  uint32_t held_slot = 0;  // where its held segment events wait, while held != 0
  uint32_t bad_checksums = 0;
  // Duplicate-ACK detection per direction: the ack and window of the last segment that
  // carried an ACK (with or without data), as RFC 5681 compares against.
  uint32_t last_ack_sent[2] = {0, 0};
  uint16_t last_win_sent[2] = {0, 0};
  uint16_t held = 0;  // segment events of this connection held back (core/tcp/confirmation)
  bool last_ack_sent_set[2] = {false, false};

  CloseKind close = CloseKind::Open;
  bool inferred : 1 = false;  // capture began mid-connection
  bool closed_via_time_wait : 1 = false;
  bool refused_seen : 1 = false;
  bool unreachable_seen : 1 = false;
  bool simultaneous_open : 1 = false;
  bool simultaneous_close : 1 = false;
  bool evicted : 1 = false;
  bool bad_synack_seen : 1 = false;
  bool handshake_reset : 1 = false;  // an RST answered the SYN-ACK: the listener dropped it
  uint8_t reset_by = 0;              // 0: none, 1: client, 2: server (an accepted RST)
  // Bit 0: the client owes a challenge ACK (RFC 5961 4: a SYN arrived in a synchronized
  // state); bit 1: the server does.
  uint8_t challenge_due = 0;

  ZeekConn zeek;

  Endpoint& sender(Direction d) { return d == Direction::ClientToServer ? client : server; }
  Endpoint& receiver(Direction d) { return d == Direction::ClientToServer ? server : client; }
  const Endpoint& sender(Direction d) const {
    return d == Direction::ClientToServer ? client : server;
  }
  const Endpoint& receiver(Direction d) const {
    return d == Direction::ClientToServer ? server : client;
  }
};

}  // namespace tcpinspect::core
