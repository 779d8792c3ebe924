// SPDX-License-Identifier: MIT
// The summary table as CSV (RFC 4180).
#include "core/render/render_csv.hpp"

#include "core/render/render_common.hpp"

namespace tcpinspect::core {
namespace {

constexpr std::string_view kHeader =
    "conn,community_id,client,server,close,inferred,evicted,conn_state,history,"
    "client_packets,client_bytes,server_packets,server_bytes,duration,rtt_syn_synack,"
    "retransmissions,client_states,server_states\r\n";

void no_write(std::string_view) {}

}  // namespace

void put_csv_field(OutBuffer& out, std::string_view field) {
  if (field.find_first_of(",\"\r\n") == std::string_view::npos) {
    out.put(field);
    return;
  }
  out.put('"');
  for (char ch : field) {
    if (ch == '"') out.put('"');
    out.put(ch);
  }
  out.put('"');
}

CsvRenderer::CsvRenderer(const RenderOptions& options, WriteFn write)
    : options_(options), out_(std::move(write)), cell_(no_write, 256) {
  out_.put(kHeader);
}

void CsvRenderer::on_connection_end(const ConnectionSummary& c) {
  using namespace render;
  // Each text field is formatted into cell_ and quoted if it must be; numbers never need it.
  auto text = [&](auto&& fill) {
    cell_.discard();
    fill(cell_);
    put_csv_field(out_, cell_.text());
  };
  out_.put_uint(c.id).put(',');
  put_community_id(out_, c, options_.community_id_seed), out_.put(',');
  text([&](OutBuffer& b) { put_address(b, c.client.addr, c.client.port); }), out_.put(',');
  text([&](OutBuffer& b) { put_address(b, c.server.addr, c.server.port); }), out_.put(',');
  out_.put(close_kind_id(c.close)).put(',');
  out_.put(c.inferred ? "true," : "false,");
  out_.put(c.evicted ? "true," : "false,");
  out_.put(c.zeek.conn_state).put(',');
  text([&](OutBuffer& b) { b.put(c.zeek.history()); }), out_.put(',');
  out_.put_uint(c.client.packets).put(',').put_uint(c.client.payload_bytes).put(',');
  out_.put_uint(c.server.packets).put(',').put_uint(c.server.payload_bytes).put(',');
  out_.put_seconds(c.duration_ns, 6).put(',');
  if (c.rtt_syn_synack_ns) out_.put_seconds(*c.rtt_syn_synack_ns, 6);
  out_.put(',');  // empty: no handshake round trip was seen
  out_.put_uint(c.retransmissions).put(',');
  text([&](OutBuffer& b) { put_path(b, c.client.path, ">"); }), out_.put(',');
  text([&](OutBuffer& b) { put_path(b, c.server.path, ">"); }), out_.put("\r\n");
  out_.maybe_flush();
}

void CsvRenderer::on_finish(const InspectorStats&) {
  out_.flush();
}

}  // namespace tcpinspect::core
