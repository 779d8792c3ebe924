// SPDX-License-Identifier: MIT
#include "core/tcp/connection_summary.hpp"

#include <algorithm>

namespace tcpinspect::core {
namespace {

EndpointSummary summarize(const Endpoint& e, bool scaled) {
  EndpointSummary s;
  s.addr = e.addr;
  s.port = e.port;
  s.state = e.state;
  s.path = e.path;
  s.isn = e.isn;
  s.isn_set = e.isn_set;
  s.isn_known = e.isn_known;
  s.window_scale = scaled ? e.window_scale : 0;
  s.retransmissions = e.retransmissions;
  s.packets = e.packets;
  s.payload_bytes = e.payload_bytes;
  return s;
}

}  // namespace

void ZeekSummary::set_history(std::string_view h) {
  history_len_ = static_cast<uint8_t>(std::min(h.size(), history_.size()));
  std::copy_n(h.data(), history_len_, history_.data());
}

ConnectionSummary summarize(const Connection& c) {
  ConnectionSummary s;
  s.id = c.id;
  const bool scaled = c.client.offered_window_scale && c.server.offered_window_scale;
  s.client = summarize(c.client, scaled);
  s.server = summarize(c.server, scaled);
  s.close = c.close;
  s.inferred = c.inferred;
  s.evicted = c.evicted;
  s.simultaneous_open = c.simultaneous_open;
  s.simultaneous_close = c.simultaneous_close;
  s.isn_inferred = !(c.client.isn_known && c.server.isn_known);
  s.bad_checksums = c.bad_checksums;
  s.retransmissions = c.client.retransmissions + c.server.retransmissions;
  s.first_ts_ns = c.first_ts;
  s.last_ts_ns = c.last_ts;
  s.duration_ns = c.last_ts - c.first_ts;
  // -1: not seen (Connection's convention for these capture times).
  if (c.syn_ts >= 0 && c.synack_ts >= 0) s.rtt_syn_synack_ns = c.synack_ts - c.syn_ts;
  if (c.synack_ts >= 0 && c.handshake_ack_ts >= 0)
    s.rtt_synack_ack_ns = c.handshake_ack_ts - c.synack_ts;
  if (c.syn_ts >= 0) s.since_syn_ns = c.last_ts - c.syn_ts;
  s.zeek.conn_state = c.zeek.conn_state();
  s.zeek.set_history(c.zeek.history());
  s.zeek.roles_swapped = c.zeek.zeek_roles_swapped();
  s.zeek.orig_bytes = c.zeek.orig_size();
  s.zeek.resp_bytes = c.zeek.resp_size();
  return s;
}

}  // namespace tcpinspect::core
