// SPDX-License-Identifier: MIT
#pragma once
#include <array>
#include <cstdint>
#include <string_view>

#include "core/wire/enum_table.hpp"

/// A model of Zeek's per-connection TCP bookkeeping that yields conn.log's `conn_state` and
/// `history` fields. It replays, packet by packet, the logic of Zeek's
/// src/packet_analysis/protocol/tcp/TCPSessionAdapter.cc (Process, UpdateStateMachine,
/// update_history, update_last_seq, ...), src/analyzer/protocol/tcp/TCP_Endpoint.cc,
/// src/Conn.cc (history, FlipRoles), the reassembler's gap detection
/// (src/analyzer/protocol/tcp/TCP_Reassembler.cc) and scripts/base/protocols/conn/main.zeek
/// (conn_state). docs/zeek.md lists what is reproduced and what is approximated.
namespace tcpinspect::core {

/// TCP_Endpoint::EndpointState (src/analyzer/protocol/tcp/TCP_Endpoint.h), same order as
/// the script-level TCP_INACTIVE .. TCP_RESET constants.
enum class ZeekEndpointState : uint8_t {
  Inactive,     // nothing (or only a non-SYN ack from this side) seen
  SynSent,      // SYN seen, no ack
  SynAckSent,   // SYN-ACK seen from the originator, no initial SYN
  Partial,      // data seen, but no SYN
  Established,  // SYN-ACK seen (implicit for a SYN sent by the responder)
  Closed,       // FIN seen
  Reset,        // RST seen
};

/// Every state as Zeek scripts name it ("TCP_INACTIVE", "TCP_SYN_SENT", ...), in
/// enumerator order.
inline constexpr std::array<EnumEntry<ZeekEndpointState>,
                            static_cast<size_t>(ZeekEndpointState::Reset) + 1>
    kZeekEndpointStates{{
        {ZeekEndpointState::Inactive, "TCP_INACTIVE", "TCP_INACTIVE"},
        {ZeekEndpointState::SynSent, "TCP_SYN_SENT", "TCP_SYN_SENT"},
        {ZeekEndpointState::SynAckSent, "TCP_SYN_ACK_SENT", "TCP_SYN_ACK_SENT"},
        {ZeekEndpointState::Partial, "TCP_PARTIAL", "TCP_PARTIAL"},
        {ZeekEndpointState::Established, "TCP_ESTABLISHED", "TCP_ESTABLISHED"},
        {ZeekEndpointState::Closed, "TCP_CLOSED", "TCP_CLOSED"},
        {ZeekEndpointState::Reset, "TCP_RESET", "TCP_RESET"},
    }};
static_assert(table_in_enum_order<ZeekEndpointState>(kZeekEndpointStates));

std::string_view zeek_endpoint_state_name(ZeekEndpointState s);

/// What on_segment() did with a segment.
enum class ZeekSegmentOutcome : uint8_t {
  Processed,        // went through the state machine
  ChecksumDropped,  // bad checksum: Zeek records C/c and drops the packet before Process()
  RolesFlipped,     // processed, and Zeek flipped roles (SYN/SYN-ACK reversal, adds '^';
                    // or the late flip of a connection that began with a SYN-ACK: "^h")
};

/// Zeek-compatible per-connection bookkeeping (conn.log's conn_state and history).
///
/// Direction frame: `is_orig` passed to on_segment() means "sent by the side that was
/// Zeek's originator once the connection was created", i.e. after the creation-time flip()
/// decided by zeek_first_packet_flips(). If Zeek later flips roles while processing a
/// segment (the two cases below), this object keeps accepting the same frame
/// and maps it itself; zeek_roles_swapped() then says that Zeek's originator is the
/// caller's responder side (for printing conn.log's id.orig_h/id.resp_h as Zeek would).
/// Zeek flips inside its state machine in two cases: a SYN answering the originator's
/// SYN-ACK (UpdateInactiveState's SYN/SYN-ACK reversal, appends '^'), and a pure ACK or data
/// segment, from either side, while the history is still just "H", i.e. the connection began
/// with a SYN-ACK that the creation-time rule did not flip (the late flip of Zeek 5.1 and
/// later, zeek/zeek#2191: the history becomes "^h"; a stealth scan's SYN-ACK draws only a RST
/// or nothing, so an ACK or data means a real connection whose SYN was missed).
///
/// A caller whose own roles differ from Zeek's from the start (e.g. it names the sender of a
/// first SYN-ACK the server, where Zeek keeps it as originator) calls swap_caller_frame()
/// once before the first segment: no history letter, only the mapping changes.
///
/// Connection identity: Zeek starts a new connection (a new conn.log line) when a SYN
/// arrives that IsReuse() accepts. Ask is_reuse() before feeding each segment after the
/// first, and start a fresh ZeekConn when it says so.
///
/// Size: sizeof(ZeekConn) <= 256 bytes (no heap). The history keeps the first
/// kHistoryCapacity letters; Zeek's own string is unbounded but in practice far shorter
/// (a/d/i/q appear at most once per direction, c/g/t/w logarithmically).
class ZeekConn {
 public:
  static constexpr std::size_t kHistoryCapacity = 54;

  /// Feeds one TCP segment of this connection, in capture order.
  /// tcp_flags: TcpFlag bits (only the low 8 bits matter to Zeek). payload_len: from the IP
  /// length fields. checksum_bad: the TCP checksum was verified and is wrong (leave false
  /// when it could not be verified, e.g. snaplen-truncated: Zeek checks only whole packets).
  /// payload_captured: the whole payload was captured (Zeek gives truncated payload to no
  /// reassembler, so an ack covering it later counts as a content gap 'G').
  ZeekSegmentOutcome on_segment(bool is_orig, uint16_t tcp_flags, uint32_t seq, uint32_t ack,
                                uint32_t payload_len, uint16_t window, bool checksum_bad,
                                bool payload_captured = true);

  /// Connection::FlipRoles() at creation time (IPBasedAnalyzer::NewConn): swaps the roles
  /// and appends '^'. Call before the first segment when zeek_first_packet_flips() is true;
  /// the caller then labels the first packet's receiver as the originator.
  void flip();

  /// The caller's originator is Zeek's responder (and vice versa) from now on; unlike flip()
  /// this is no Zeek event and records nothing. For a caller that names the roles by
  /// handshake evidence where Zeek's creation rule (zeek_first_packet_flips) did not flip.
  void swap_caller_frame() { frame_swapped_ = !frame_swapped_; }

  /// TCPSessionAdapter::IsReuse(): true if Zeek would end this connection and start a new
  /// one for a segment with these flags and sequence number (only SYNs can do that).
  bool is_reuse(uint16_t tcp_flags, uint32_t seq) const;

  /// conn.log conn_state: "S0", "S1", "SF", "REJ", "S2", "S3", "RSTO", "RSTR", "RSTOS0",
  /// "RSTRH", "SH", "SHR" or "OTH" (scripts/base/protocols/conn/main.zeek, conn_state()).
  std::string_view conn_state() const;
  /// conn.log history, e.g. "ShADadFf" (empty if nothing was recorded).
  std::string_view history() const { return {history_.data(), history_len_}; }
  /// True if letters were dropped because the history reached kHistoryCapacity.
  bool history_truncated() const { return history_truncated_; }

  /// True when Zeek's current originator is the caller's responder side (an odd number of
  /// state-machine flips since creation).
  bool zeek_roles_swapped() const { return frame_swapped_; }
  ZeekEndpointState orig_state() const { return orig().state; }
  ZeekEndpointState resp_state() const { return resp().state; }
  /// TCP_Endpoint::Size(): conn.log orig_bytes / resp_bytes (from sequence numbers).
  uint64_t orig_size() const { return size_of(orig(), resp()); }
  uint64_t resp_size() const { return size_of(resp(), orig()); }

 private:
  // One side as Zeek models it (not core::Endpoint, the TCP model's): TCP_Endpoint plus its
  // TCP_Reassembler's gap bookkeeping. Relative sequence numbers (rel) count from start_seq,
  // the first data byte after a SYN being 1.
  struct ZeekEndpoint {
    uint64_t hist_last_syn = 0;  // rel seq of the last SYN/FIN/RST seen (history repeats)
    uint64_t hist_last_fin = 0;
    uint64_t hist_last_rst = 0;
    uint64_t fin_seq = 0;      // rel seq just past the FIN (TCP_Endpoint::FIN_seq)
    uint64_t reassem_seq = 1;  // Reassembler::last_reassem_seq: delivered or gapped up to
    uint64_t block_lo = 0;     // one buffered out-of-order block [lo, lo + len) above the
    uint32_t block_len = 0;    // hole (block_len == 0: none)
    uint32_t start_seq = 0;
    uint32_t last_seq = 0;  // one past the highest sequence number sent
    uint32_t ack_seq = 0;   // highest ack the peer sent for this side's data
    uint32_t seq_wraps = 0;
    uint32_t ack_wraps = 0;
    std::array<uint32_t, 4> counts{};  // checksum errors, retransmissions, zero windows, gaps
    std::array<uint8_t, 4> levels{};   // how many scaled letters each count has produced
    ZeekEndpointState state = ZeekEndpointState::Inactive;
    ZeekEndpointState prev_state = ZeekEndpointState::Inactive;
    bool fin_seen : 1 = false;         // FIN_cnt > 0
    bool did_close : 1 = false;        // ConnectionClosed() ran for this side
    bool skip_deliveries : 1 = false;  // the reassembler gave up: no more gaps
  };

  ZeekEndpoint& orig() { return ep_[orig_index_]; }
  ZeekEndpoint& resp() { return ep_[orig_index_ ^ 1U]; }
  const ZeekEndpoint& orig() const { return ep_[orig_index_]; }
  const ZeekEndpoint& resp() const { return ep_[orig_index_ ^ 1U]; }
  bool is_orig(const ZeekEndpoint& e) const { return &e == &ep_[orig_index_]; }
  ZeekEndpoint& peer_of(ZeekEndpoint& e) { return &e == &ep_[0] ? ep_[1] : ep_[0]; }

  static uint64_t size_of(const ZeekEndpoint& e, const ZeekEndpoint& peer);
  void flip_roles();
  bool flip_if_began_with_syn_ack();
  void add_history(char code);
  void add_history(const ZeekEndpoint& e, char code);
  bool check_history(const ZeekEndpoint& e, uint32_t mask, char code);
  void scaled_entry(ZeekEndpoint& e, int which, char code);
  // The parts of on_segment(), in its order, each named after the Zeek code it reproduces.
  void set_partial_status(bool is_orig, bool syn, bool ack_flag);
  bool update_history(ZeekEndpoint& ep, uint8_t flags, uint64_t rel_seq, uint32_t payload_len);
  void update_window(ZeekEndpoint& ep, const ZeekEndpoint& peer, uint16_t window, bool rst);
  int32_t update_last_seq(ZeekEndpoint& ep, uint32_t seq_one_past_segment, uint8_t flags,
                          uint32_t payload_len);
  bool update_state_machine(ZeekEndpoint& ep, ZeekEndpoint& peer, uint32_t base_seq,
                            uint32_t ack_seq, uint32_t len, int32_t delta_last, bool is_orig,
                            uint8_t flags, bool& flipped);
  bool update_inactive(ZeekEndpoint& ep, ZeekEndpoint& peer, uint32_t base_seq, uint32_t len,
                       bool is_orig, uint8_t flags, bool& flipped);
  void ack_received(ZeekEndpoint& e, uint64_t rel_ack);
  void undelivered(ZeekEndpoint& e, uint64_t up_to);
  void gap(ZeekEndpoint& e);
  void data_sent(ZeekEndpoint& e, uint64_t rel_seq, uint32_t len);
  void new_block(ZeekEndpoint& e, uint64_t lo, uint64_t hi);

  std::array<ZeekEndpoint, 2> ep_{};
  uint32_t hist_seen_ = 0;  // Connection::hist_seen: responder masks are shifted by 16
  uint8_t orig_index_ = 0;
  uint8_t first_packet_seen_ = 0;  // TCPSessionAdapter::first_packet_seen (ORIG 1, RESP 2)
  bool is_partial_ = false;
  bool frame_swapped_ = false;
  bool history_truncated_ = false;
  uint8_t history_len_ = 0;
  std::array<char, kHistoryCapacity> history_{};
};

/// Whether Zeek would flip roles for a connection whose first packet has these properties
/// (TCPAnalyzer::WantConnection): a first packet that is not a bare SYN (no SYN, or
/// SYN-ACK) from a likely server port to a port that is not one flips; if both ports are
/// likely server ports, only a non-SYN packet with src_port < dst_port flips.
bool zeek_first_packet_flips(uint16_t tcp_flags, uint16_t src_port, uint16_t dst_port);

}  // namespace tcpinspect::core
