// SPDX-License-Identifier: MIT
// What ZeekConn reports: conn_state (scripts/base/protocols/conn/main.zeek), sizes
// (TCP_Endpoint::Size), IsReuse and the first-packet role decision.
#include <string_view>

#include "core/wire/packet.hpp"
#include "core/zeek/zeek_conn.hpp"
#include "core/zeek/zeek_server_ports.hpp"

namespace tcpinspect::core {
namespace {

using State = ZeekEndpointState;

// conn_state()'s `/\^?S[^HAFGIQ]*R.*/ == c$history`: a Zeek pattern compared with == must
// match the whole string.
bool history_is_syn_then_rst(std::string_view h) {
  std::size_t i = (!h.empty() && h[0] == '^') ? 1 : 0;
  if (i >= h.size() || h[i] != 'S') return false;
  for (++i; i < h.size(); ++i) {
    if (h[i] == 'R') return true;
    if (std::string_view("HAFGIQ").find(h[i]) != std::string_view::npos) return false;
  }
  return false;
}

}  // namespace

std::string_view zeek_endpoint_state_name(ZeekEndpointState s) {
  return enum_entry<ZeekEndpointState>(kZeekEndpointStates, s).id;
}

uint64_t ZeekConn::size_of(const ZeekEndpoint& e, const ZeekEndpoint& peer) {
  // TCP_Endpoint::Size(). Comparisons here are on the 64-bit unwrapped values, as in Zeek.
  const uint64_t acked = (uint64_t{e.ack_wraps} << 32) + e.ack_seq;
  const bool no_data_acked = acked == e.start_seq || acked == uint64_t{e.start_seq} + 1;
  // A half-open connection discovered and aborted: its sequence numbers mean nothing.
  if (e.prev_state == State::SynSent && e.state == State::Reset && peer.state == State::Inactive &&
      !no_data_acked) {
    return 0;
  }
  const uint64_t last = (uint64_t{e.seq_wraps} << 32) + e.last_seq;
  uint64_t size = (last > acked ? last : acked) - e.start_seq;
  if (size != 0) --size;                // the SYN octet
  if (e.fin_seen && size != 0) --size;  // the FIN octet
  return size;
}

std::string_view ZeekConn::conn_state() const {
  const State os = orig().state;
  const State rs = resp().state;
  const bool o_inactive = os == State::Inactive || os == State::Partial;
  const bool r_inactive = rs == State::Inactive || rs == State::Partial;
  if (rs == State::Reset) {
    if (os == State::SynSent || os == State::SynAckSent ||
        (os == State::Reset && orig_size() == 0 && resp_size() == 0)) {
      return "REJ";
    }
    return o_inactive ? "RSTRH" : "RSTR";
  }
  if (os == State::Reset) {
    if (r_inactive) return history_is_syn_then_rst(history()) ? "RSTOS0" : "OTH";
    return "RSTO";
  }
  if (rs == State::Closed && os == State::Closed) return "SF";
  if (os == State::Closed) return r_inactive ? "SH" : "S2";
  if (rs == State::Closed) return o_inactive ? "SHR" : "S3";
  if (os == State::SynSent && rs == State::Inactive) return "S0";
  if (os == State::Established && rs == State::Established) return "S1";
  return "OTH";
}

bool ZeekConn::is_reuse(uint16_t tcp_flags, uint32_t seq) const {
  // TCPSessionAdapter::IsReuse(): only SYNs start a new connection; SYN-ACKs only for a
  // connection whose originator never spoke.
  if (!(tcp_flags & kSyn)) return false;
  const ZeekEndpoint* conn_orig = &orig();
  if (tcp_flags & kAck) {
    if (orig().state != State::Inactive) return false;
    conn_orig = &resp();
  }
  const bool is_closed = orig().did_close || resp().did_close;
  if (!is_closed) {
    if (seq == conn_orig->start_seq) return false;
    // A SYN arriving after its own SYN-ACK (e.g. two capture interfaces): not a reuse.
    if (!(tcp_flags & kAck) && conn_orig->state == State::SynAckSent &&
        resp().state == State::Inactive && seq == resp().start_seq) {
      return false;
    }
  }
  return true;
}

bool zeek_first_packet_flips(uint16_t tcp_flags, uint16_t src_port, uint16_t dst_port) {
  // TCPAnalyzer::WantConnection() with partial_connection_ok and tcp_SYN_ack_ok (both T).
  const bool syn = tcp_flags & kSyn;
  const bool ack = tcp_flags & kAck;
  if (syn && !ack) return false;  // a bare SYN names its sender the originator
  if (!zeek_likely_server_port(src_port)) return false;
  // Both plausible: flip only a non-SYN-ACK, and only towards the lower port.
  if (zeek_likely_server_port(dst_port)) return !syn && src_port < dst_port;
  return true;
}

}  // namespace tcpinspect::core
