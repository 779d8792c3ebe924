// SPDX-License-Identifier: MIT
// One JSON object per line; the format is documented in docs/json.md and stable.
#include "core/render/render_jsonl.hpp"

#include <algorithm>
#include <bit>

#include "core/render/json_string.hpp"
#include "core/render/render_common.hpp"
#include "core/wire/ip_format.hpp"
#include "core/wire/tcp_option_kind.hpp"

namespace tcpinspect::core {
namespace {

// Only our own ids, state names, addresses and static texts reach here; escaped anyway.
void put_str(OutBuffer& out, std::string_view s) {
  put_json_string(out, s);
}

void put_endpoint_str(OutBuffer& out, const IpAddress& a, uint16_t port) {
  out.put('"');
  render::put_address(out, a, port);
  out.put('"');
}

void put_ts(OutBuffer& out, int64_t ns) {
  out.put_seconds(ns, 9);
}

/// `"ts":seconds.9digits,"ts_ns":integer` (and the same for first_ts, last_ts): the
/// integer is exact where a JSON reader's double would round the nanoseconds.
void put_ts_pair(OutBuffer& out, std::string_view key, int64_t ns) {
  out.put(",\"").put(key).put("\":");
  put_ts(out, ns);
  out.put(",\"").put(key).put("_ns\":").put_int(ns);
}

/// client_ip, client_port, server_ip, server_port: the endpoints split for tools that
/// join or filter on them.
void put_split_endpoints(OutBuffer& out, const IpAddress& client_addr, uint16_t client_port,
                         const IpAddress& server_addr, uint16_t server_port) {
  out.put(",\"client_ip\":\""), render::put_ip(out, client_addr);
  out.put("\",\"client_port\":").put_uint(client_port);
  out.put(",\"server_ip\":\""), render::put_ip(out, server_addr);
  out.put("\",\"server_port\":").put_uint(server_port);
}

void put_community_id(OutBuffer& out, std::string_view id) {
  out.put(",\"community_id\":\"").put(id).put('"');
}

void put_states(OutBuffer& out, const StatePath& path) {
  out.put('[');
  for (size_t i = 0; i < path.size(); ++i) {
    if (i) out.put(',');
    out.put('"').put(state_name(path[i])).put('"');
  }
  out.put(']');
}

void put_options(OutBuffer& out, const TcpOptions& o) {
  out.put('{');
  bool first = true;
  auto key = [&](std::string_view k) {
    if (!first) out.put(',');
    first = false;
    out.put('"').put(k).put("\":");
  };
  if (o.has_mss) key("mss"), out.put_uint(o.mss);
  if (o.has_window_scale) key("wscale"), out.put_uint(o.window_scale);
  if (o.sack_permitted) key("sack_perm"), out.put("true");
  if (o.sack_block_count) {
    key("sack");
    out.put('[');
    for (uint8_t i = 0; i < o.sack_block_count; ++i) {
      if (i) out.put(',');
      out.put('[')
          .put_uint(o.sack_blocks[i].left)
          .put(',')
          .put_uint(o.sack_blocks[i].right)
          .put(']');
    }
    out.put(']');
  }
  if (o.has_timestamps) {
    key("ts");
    out.put('[').put_uint(o.ts_val).put(',').put_uint(o.ts_ecr).put(']');
  }
  if (o.has_fast_open) {
    key("tfo_cookie");
    static constexpr char kHex[] = "0123456789abcdef";
    out.put('"');
    for (uint8_t b = 0; b < o.fast_open_cookie_len && b < o.fast_open_cookie.size(); ++b)
      out.put(kHex[o.fast_open_cookie[b] >> 4]).put(kHex[o.fast_open_cookie[b] & 15]);
    out.put('"');
  }
  bool any_unknown = false;
  for (uint8_t i = 0; i < o.kind_count; ++i) {
    const uint8_t k = o.kinds[i];
    // Known kinds have their own keys above; 254 only when it carried Fast Open.
    const auto known = tcp_option_kind_info(k);
    if (known && (known->kind != TcpOptionKind::Experimental || o.has_fast_open)) continue;
    if (!any_unknown)
      key("unknown"), out.put('[');
    else
      out.put(',');
    any_unknown = true;
    out.put_uint(k);
  }
  if (any_unknown) out.put(']');
  if (o.problem != TcpOptionProblem::None)
    key("problem"), put_str(out, tcp_option_problem_text(o.problem));
  out.put('}');
}

// Which of the retransmission rules fired, and its evidence (docs/json.md).
void put_retransmission(OutBuffer& out, const RetransmissionEvidence& e) {
  out.put(",\"retransmission\":{\"rule\":\"").put(retransmission_rule_id(e.rule)).put('"');
  if (e.original_frame != 0) {
    out.put(",\"original_frame\":").put_uint(e.original_frame);
    out.put(",\"since_original\":"), put_ts(out, e.since_original_ns);
  }
  switch (e.rule) {
    case RetransmissionRule::Fast:
      out.put(",\"dup_acks\":").put_uint(e.dup_acks);
      out.put(",\"since_last_ack\":"), put_ts(out, e.since_last_ack_ns);
      break;
    case RetransmissionRule::Spurious:
      out.put(",\"acked\":").put_uint(e.acked);
      if (e.acked_frame != 0) out.put(",\"acked_frame\":").put_uint(e.acked_frame);
      break;
    case RetransmissionRule::OutOfOrderTime:
      out.put(",\"since_newest\":"), put_ts(out, e.since_newest_ns);
      out.put(",\"threshold\":"), put_ts(out, e.threshold_ns);
      break;
    default:
      break;
  }
  out.put('}');
}

// Why an RST looks forged (docs/json.md).
void put_forged_rst(OutBuffer& out, const ForgedRstEvidence& e) {
  out.put(",\"rst_forged\":{\"reasons\":[");
  const char* sep = "";
  if (e.reasons & kTtlDiffers) out.put(sep).put("\"ttl\""), sep = ",";
  if (e.reasons & kIpIdOutOfSequence) out.put(sep).put("\"ip_id\""), sep = ",";
  if (e.reasons & kDataAfterRst) out.put(sep).put("\"data_after_rst\"");
  out.put(']');
  if (e.reasons & kTtlDiffers)
    out.put(",\"ttl\":").put_uint(e.ttl).put(",\"usual_ttl\":").put_uint(e.usual_ttl);
  if (e.reasons & kIpIdOutOfSequence)
    out.put(",\"ip_id\":").put_uint(e.ip_id).put(",\"previous_ip_id\":").put_uint(e.previous_ip_id);
  if (e.reasons & kDataAfterRst) out.put(",\"rst_frame\":").put_uint(e.rst_frame);
  out.put('}');
}

}  // namespace

JsonlRenderer::JsonlRenderer(const RenderOptions& options, WriteFn write)
    : options_(options), out_(std::move(write)) {}

std::string_view JsonlRenderer::community_id(uint32_t conn_id, const IpAddress& client_addr,
                                             uint16_t client_port, const IpAddress& server_addr,
                                             uint16_t server_port) {
  auto [it, added] = community_ids_.try_emplace(conn_id);
  if (added)
    it->second = community_id_v1(client_addr, client_port, server_addr, server_port, kIpProtoTcp,
                                 options_.community_id_seed);
  return {it->second.data(), it->second.size()};
}

void JsonlRenderer::put_endpoint_fields(const SegmentEvent& ev) {
  const DecodedPacket& p = *ev.packet;
  // The client sent the segment or receives it.
  const bool c2s = ev.dir == Direction::ClientToServer;
  const IpAddress& client_addr = c2s ? p.src : p.dst;
  const IpAddress& server_addr = c2s ? p.dst : p.src;
  const uint16_t client_port = c2s ? p.tcp.src_port : p.tcp.dst_port;
  const uint16_t server_port = c2s ? p.tcp.dst_port : p.tcp.src_port;
  // The cache grows with the connection ids seen, up to kEndpointCache entries (~2 MB). An
  // entry is checked by id and client endpoint, so a stale or colliding one only misses.
  const uint32_t id = ev.conn_id;
  if (id >= endpoint_fields_.size() && endpoint_fields_.size() < kEndpointCache)
    endpoint_fields_.resize(std::min(kEndpointCache, std::bit_ceil(size_t{id} + 1)));
  EndpointFields& e = endpoint_fields_[id % endpoint_fields_.size()];
  if (e.conn_id != id || e.client_port != client_port || !(e.client_addr == client_addr)) {
    e.conn_id = id;
    e.client_addr = client_addr;
    e.client_port = client_port;
    const auto cid = community_id(id, client_addr, client_port, server_addr, server_port);
    std::copy(cid.begin(), cid.end(), e.community_id.begin());
    // Formatted into a scratch buffer that is never flushed, then copied in.
    auto fill = [](char* dst, auto&& put) {
      OutBuffer scratch([](std::string_view) {}, 512);
      put(scratch);
      const std::string_view text = scratch.text();
      std::copy(text.begin(), text.end(), dst);
      scratch.discard();
      return static_cast<uint8_t>(text.size());
    };
    for (int d = 0; d < 2; ++d) {
      const IpAddress& src = d == 0 ? client_addr : server_addr;
      const IpAddress& dst = d == 0 ? server_addr : client_addr;
      const uint16_t sport = d == 0 ? client_port : server_port;
      const uint16_t dport = d == 0 ? server_port : client_port;
      e.dir_len[d] = fill(e.dir[d].data(), [&](OutBuffer& o) {
        o.put(",\"dir\":").put(d == 0 ? "\"c2s\"" : "\"s2c\"");
        o.put(",\"src\":"), put_endpoint_str(o, src, sport);
        o.put(",\"dst\":"), put_endpoint_str(o, dst, dport);
      });
    }
    e.split_len = fill(e.split.data(), [&](OutBuffer& o) {
      put_split_endpoints(o, client_addr, client_port, server_addr, server_port);
    });
  }
  put_community_id(out_, std::string_view(e.community_id.data(), e.community_id.size()));
  out_.put_prefix(e.dir[c2s ? 0 : 1], e.dir_len[c2s ? 0 : 1]);
  out_.put_prefix(e.split, e.split_len);
}

void JsonlRenderer::on_segment(const SegmentEvent& ev) {
  const DecodedPacket& p = *ev.packet;
  const TcpHeader& t = p.tcp;
  const bool has_ack = t.flags & kAck;
  out_.put("{\"type\":\"segment\",\"frame\":").put_uint(ev.frame);
  put_ts_pair(out_, "ts", ev.ts_ns);
  out_.put(",\"rel_ts\":"), put_ts(out_, ev.rel_ts_ns);
  out_.put(",\"conn\":"), out_.put_uint(ev.conn_id);
  put_endpoint_fields(ev);
  out_.put(",\"flags\":");
  if (t.flags) {
    out_.put("[\"");
    render::put_flag_names(out_, t.flags, "\",\"");
    out_.put("\"]");
  } else {
    out_.put("[]");  // a NULL segment
  }
  out_.put(",\"seq\":"), out_.put_uint(t.seq);
  out_.put(",\"ack\":"), out_.put_uint(t.ack);
  out_.put(",\"rel_seq\":"), out_.put_uint(ev.rel_seq);
  out_.put(",\"rel_ack\":");
  if (has_ack)
    out_.put_uint(ev.rel_ack);
  else
    out_.put("null");
  out_.put(",\"seq_sym\":"), out_.put('"');
  render::put_symbolic(out_, render::space_of(ev.dir), ev.seq_off);
  out_.put('"');
  out_.put(",\"ack_sym\":");
  if (has_ack) {
    out_.put('"');
    render::put_symbolic(out_, render::space_of(render::opposite(ev.dir)), ev.ack_off);
    out_.put('"');
  } else {
    out_.put("null");
  }
  out_.put(",\"len\":"), out_.put_uint(p.payload_len);
  out_.put(",\"captured_len\":"), out_.put_uint(p.captured_payload_len);
  out_.put(",\"win\":"), out_.put_uint(t.window);
  out_.put(",\"options\":"), put_options(out_, t.options);
  out_.put(",\"checksum\":"), out_.put('"').put(checksum_status_id(p.tcp_checksum)).put('"');
  out_.put(",\"client_state\":"), out_.put('"').put(state_name(ev.client_after)).put('"');
  out_.put(",\"server_state\":"), out_.put('"').put(state_name(ev.server_after)).put('"');
  out_.put(",\"client_before\":"), out_.put('"').put(state_name(ev.client_before)).put('"');
  out_.put(",\"server_before\":"), out_.put('"').put(state_name(ev.server_before)).put('"');
  out_.put(",\"checks\":");
  out_.put('[');
  for (uint8_t i = 0; i < ev.check_count; ++i) {
    const Check& c = ev.checks[i];
    if (i) out_.put(',');
    out_.put("{\"rule\":\"").put(check_id(c.kind)).put("\",\"ok\":").put(c.ok ? "true" : "false");
    out_.put(",\"expected\":").put_uint(c.expected).put(",\"actual\":").put_uint(c.actual).put('}');
  }
  out_.put(']');
  out_.put(",\"notes\":");
  out_.put('[');
  bool first = true;
  ev.notes.for_each([&](Note n) {
    if (!first) out_.put(',');
    first = false;
    out_.put('"').put(note_id(n)).put('"');
  });
  out_.put(']');
  if (ev.retransmission.rule != RetransmissionRule::None)
    put_retransmission(out_, ev.retransmission);
  if (ev.forged_rst.reasons != 0) put_forged_rst(out_, ev.forged_rst);
  // Decoding problems that left the segment analysable: an IP length replaced by the
  // frame's (decode_problem_tolerated), a malformed option.
  const bool ip_problem = p.problem_id != DecodeProblem::None;
  const bool option_problem = t.options.problem != TcpOptionProblem::None;
  if (ip_problem || option_problem) {
    out_.put(",\"problems\":[");
    if (ip_problem) out_.put('"').put(decode_problem_id(p.problem_id)).put('"');
    if (ip_problem && option_problem) out_.put(',');
    if (option_problem) out_.put('"').put(tcp_option_problem_id(t.options.problem)).put('"');
    out_.put(']');
  }
  if (ev.revised) out_.put(",\"revised\":"), out_.put("true");
  if (ev.unconfirmed) {
    out_.put(",\"unconfirmed\":[");
    if (ev.unconfirmed & 1) out_.put("\"client\"");
    if (ev.unconfirmed == 3) out_.put(',');
    if (ev.unconfirmed & 2) out_.put("\"server\"");
    out_.put(']');
  }
  out_.put("}\n");
  out_.maybe_flush();
}

void JsonlRenderer::on_timer(const TimerEvent& ev) {
  out_.put("{\"type\":\"timer\"");
  put_ts_pair(out_, "ts", ev.ts_ns);
  out_.put(",\"rel_ts\":"), put_ts(out_, ev.rel_ts_ns);
  out_.put(",\"conn\":"), out_.put_uint(ev.conn_id);
  out_.put(",\"side\":"), out_.put(ev.client_side ? "\"client\"" : "\"server\"");
  out_.put(",\"from\":"), out_.put('"').put(state_name(ev.before)).put('"');
  out_.put(",\"to\":"), out_.put('"').put(state_name(ev.after)).put('"');
  out_.put(",\"note\":"), out_.put('"').put(note_id(ev.note)).put('"');
  out_.put("}\n");
}

void JsonlRenderer::on_icmp(const IcmpEvent& ev) {
  const DecodedPacket& p = *ev.packet;
  const IcmpQuote& q = p.icmp;
  out_.put("{\"type\":\"icmp\",\"frame\":").put_uint(ev.frame);
  put_ts_pair(out_, "ts", ev.ts_ns);
  out_.put(",\"rel_ts\":"), put_ts(out_, ev.rel_ts_ns);
  out_.put(",\"conn\":");
  if (ev.conn_id)
    out_.put_uint(ev.conn_id);
  else
    out_.put("null");
  char buf[kMaxEndpointText];
  out_.put(",\"src\":"), put_str(out_, std::string_view(buf, format_ip(p.src, buf)));
  out_.put(",\"dst\":"), put_str(out_, std::string_view(buf, format_ip(p.dst, buf)));
  out_.put(",\"icmp_type\":"), out_.put_uint(q.type);
  out_.put(",\"icmp_code\":"), out_.put_uint(q.code);
  out_.put(",\"quoted_src\":"), put_endpoint_str(out_, q.quoted_src, q.quoted_src_port);
  out_.put(",\"quoted_dst\":"), put_endpoint_str(out_, q.quoted_dst, q.quoted_dst_port);
  out_.put(",\"errno\":");
  if (ev.errno_name.empty())
    out_.put("null");
  else
    put_str(out_, ev.errno_name);
  if (ev.conn_id) {
    out_.put(",\"client_state\":"), out_.put('"').put(state_name(ev.client_state)).put('"');
    out_.put(",\"server_state\":"), out_.put('"').put(state_name(ev.server_state)).put('"');
  }
  out_.put("}\n");
}

void JsonlRenderer::on_problem(const ProblemEvent& ev) {
  out_.put("{\"type\":\"problem\",\"frame\":").put_uint(ev.frame);
  put_ts_pair(out_, "ts", ev.ts_ns);
  out_.put(",\"rel_ts\":"), put_ts(out_, ev.rel_ts_ns);
  out_.put(",\"kind\":");
  out_.put("\"").put(decode_result_id(ev.result)).put("\"");
  out_.put(",\"detail\":");
  put_str(out_, ev.problem ? ev.problem : "");
  if (ev.packet && ev.packet->problem_id != DecodeProblem::None)
    out_.put(",\"problems\":[\"").put(decode_problem_id(ev.packet->problem_id)).put("\"]");
  out_.put("}\n");
}

void JsonlRenderer::on_connection_end(const ConnectionSummary& c) {
  out_.put("{\"type\":\"connection\",\"conn\":").put_uint(c.id);
  put_community_id(out_,
                   community_id(c.id, c.client.addr, c.client.port, c.server.addr, c.server.port));
  community_ids_.erase(c.id);
  out_.put(",\"client\":"), put_endpoint_str(out_, c.client.addr, c.client.port);
  out_.put(",\"server\":"), put_endpoint_str(out_, c.server.addr, c.server.port);
  put_split_endpoints(out_, c.client.addr, c.client.port, c.server.addr, c.server.port);
  out_.put(",\"client_isn\":"), out_.put_uint(c.client.isn);
  out_.put(",\"server_isn\":"), out_.put_uint(c.server.isn);
  out_.put(",\"isn_inferred\":"), out_.put(c.isn_inferred ? "true" : "false");
  out_.put(",\"client_states\":"), put_states(out_, c.client.path);
  out_.put(",\"server_states\":"), put_states(out_, c.server.path);
  out_.put(",\"client_state\":"), out_.put('"').put(state_name(c.client.state)).put('"');
  out_.put(",\"server_state\":"), out_.put('"').put(state_name(c.server.state)).put('"');
  out_.put(",\"conn_state\":"), put_str(out_, c.zeek.conn_state);
  out_.put(",\"history\":"), put_str(out_, c.zeek.history());
  out_.put(",\"close\":"), out_.put('"').put(close_kind_id(c.close)).put('"');
  put_ts_pair(out_, "first_ts", c.first_ts_ns);
  put_ts_pair(out_, "last_ts", c.last_ts_ns);
  out_.put(",\"duration\":"), put_ts(out_, c.duration_ns);
  out_.put(",\"client_packets\":"), out_.put_uint(c.client.packets);
  out_.put(",\"client_bytes\":"), out_.put_uint(c.client.payload_bytes);
  out_.put(",\"server_packets\":"), out_.put_uint(c.server.packets);
  out_.put(",\"server_bytes\":"), out_.put_uint(c.server.payload_bytes);
  auto put_rtt = [&](std::string_view key, const std::optional<int64_t>& rtt) {
    out_.put(",\"").put(key).put("\":");
    if (rtt)
      put_ts(out_, *rtt);
    else
      out_.put("null");
  };
  put_rtt("rtt_syn_synack", c.rtt_syn_synack_ns);
  put_rtt("rtt_synack_ack", c.rtt_synack_ack_ns);
  out_.put(",\"retransmissions\":"), out_.put_uint(c.retransmissions);
  out_.put(",\"bad_checksums\":"), out_.put_uint(c.bad_checksums);
  out_.put(",\"inferred\":"), out_.put(c.inferred ? "true" : "false");
  out_.put(",\"simultaneous_open\":"), out_.put(c.simultaneous_open ? "true" : "false");
  out_.put(",\"simultaneous_close\":"), out_.put(c.simultaneous_close ? "true" : "false");
  out_.put(",\"evicted\":"), out_.put(c.evicted ? "true" : "false");
  out_.put("}\n");
  out_.maybe_flush();
}

void JsonlRenderer::on_finish(const InspectorStats& s) {
  out_.put("{\"type\":\"stats\",\"frames\":").put_uint(s.frames);
  out_.put(",\"tcp_segments\":"), out_.put_uint(s.tcp_segments);
  out_.put(",\"not_tcp\":"), out_.put_uint(s.not_tcp);
  out_.put(",\"truncated\":"), out_.put_uint(s.truncated);
  out_.put(",\"malformed\":"), out_.put_uint(s.malformed);
  out_.put(",\"non_first_fragments\":"), out_.put_uint(s.non_first_fragments);
  out_.put(",\"icmp_unreachable\":"), out_.put_uint(s.icmp_unreachable);
  out_.put(",\"bad_checksums\":"), out_.put_uint(s.bad_checksums);
  out_.put(",\"connections\":"), out_.put_uint(s.connections);
  out_.put(",\"evicted\":"), out_.put_uint(s.evicted);
  out_.put(",\"idle_expired\":"), out_.put_uint(s.idle_expired);
  out_.put(",\"peak_connections\":"), out_.put_uint(s.peak_connections);
  out_.put("}\n");
  out_.flush();
}

}  // namespace tcpinspect::core
