// SPDX-License-Identifier: MIT
// Only the per-connection summaries, as one aligned table printed at the end.
#include "core/render_summary.hpp"

#include <algorithm>
#include <cstring>

#include "core/render_common.hpp"

namespace tcpinspect::core {
namespace {

constexpr std::string_view kHeaders[SummaryRenderer::kColumns] = {
    "conn",      "client",   "server",    "close",    "zeek", "history",       "c>s pkts",
    "c>s bytes", "s>c pkts", "s>c bytes", "duration", "rtt",  "client states", "server states"};

size_t columns_of(std::string_view s) {
  size_t n = 0;
  for (char ch : s)
    if ((static_cast<unsigned char>(ch) & 0xC0) != 0x80) ++n;
  return n;
}

void append_with(std::string& out, const std::function<void(OutBuffer&)>& fill) {
  OutBuffer b([&out](std::string_view v) { out.append(v); }, 256);
  fill(b);
}

}  // namespace

SummaryRenderer::SummaryRenderer(const RenderOptions& options, WriteFn write)
    : options_(options), write_(std::move(write)) {}

void SummaryRenderer::on_connection_end(const Connection& c) {
  Row r{};
  r.id = c.id;
  r.client_addr = c.client.addr;
  r.server_addr = c.server.addr;
  r.client_port = c.client.port;
  r.server_port = c.server.port;
  r.close = c.close;
  r.inferred = c.inferred;
  r.evicted = c.evicted;
  const std::string_view zs = c.zeek.conn_state();
  std::memcpy(r.conn_state.data(), zs.data(), std::min(zs.size(), r.conn_state.size() - 1));
  r.history = c.zeek.history();
  r.client_packets = c.client.packets;
  r.client_bytes = c.client.payload_bytes;
  r.server_packets = c.server.packets;
  r.server_bytes = c.server.payload_bytes;
  r.duration_ns = c.last_ts - c.first_ts;
  r.rtt_ns = c.syn_ts >= 0 && c.synack_ts >= 0 ? c.synack_ts - c.syn_ts : -1;
  r.client_path = c.client.path;
  r.server_path = c.server.path;
  rows_.push_back(std::move(r));
  if (rows_.size() >= kMaxBufferedRows) print_block();
}

void SummaryRenderer::cell(const Row* row, size_t column, std::string& out) const {
  using namespace render;
  if (!row) {
    out.append(kHeaders[column]);
    return;
  }
  const Row& r = *row;
  switch (column) {
    case 0:
      out += std::to_string(r.id);
      break;
    case 1:
      append_with(out, [&](OutBuffer& b) { put_address(b, r.client_addr, r.client_port); });
      break;
    case 2:
      append_with(out, [&](OutBuffer& b) { put_address(b, r.server_addr, r.server_port); });
      break;
    case 3:
      out.append(close_kind_id(r.close));
      if (r.inferred) out += '*';
      if (r.evicted) out += '!';
      break;
    case 4:
      out.append(r.conn_state.data());
      break;
    case 5:
      out.append(r.history.empty() ? "-" : r.history);
      break;
    case 6:
      out += std::to_string(r.client_packets);
      break;
    case 7:
      out += std::to_string(r.client_bytes);
      break;
    case 8:
      out += std::to_string(r.server_packets);
      break;
    case 9:
      out += std::to_string(r.server_bytes);
      break;
    case 10:
      append_with(out, [&](OutBuffer& b) { b.put_seconds(r.duration_ns); });
      break;
    case 11:
      if (r.rtt_ns < 0)
        out += '-';
      else
        append_with(out, [&](OutBuffer& b) { b.put_seconds(r.rtt_ns); });
      break;
    case 12:
      append_with(out, [&](OutBuffer& b) { put_path(b, r.client_path, ">"); });
      break;
    case 13:
      append_with(out, [&](OutBuffer& b) { put_path(b, r.server_path, ">"); });
      break;
    default:
      break;
  }
}

void SummaryRenderer::print_block() {
  // Two passes over the compact rows: measure every column, then print.
  std::array<size_t, kColumns> width{};
  std::string text;
  for (size_t col = 0; col < kColumns; ++col) {
    text.clear();
    cell(nullptr, col, text);
    width[col] = columns_of(text);
    for (const Row& r : rows_) {
      text.clear();
      cell(&r, col, text);
      width[col] = std::max(width[col], columns_of(text));
    }
  }
  std::string out, value;
  auto emit_row = [&](const Row* r) {
    for (size_t col = 0; col < kColumns; ++col) {
      value.clear();
      cell(r, col, value);
      out += value;
      if (col + 1 < kColumns) out.append(width[col] - columns_of(value) + 2, ' ');
    }
    out += '\n';
    if (out.size() > 64 * 1024) {
      write_(out);
      out.clear();
    }
  };
  emit_row(nullptr);
  for (const Row& r : rows_)
    emit_row(&r);
  write_(out);
  rows_.clear();
}

void SummaryRenderer::on_finish(const InspectorStats& s) {
  if (!rows_.empty()) print_block();
  std::string out = std::to_string(s.connections) + " connections, " +
                    std::to_string(s.tcp_segments) + " TCP segments in " +
                    std::to_string(s.frames) + " frames";
  if (s.evicted) out += ", " + std::to_string(s.evicted) + " evicted (--max-connections)";
  out += ".  * mid-stream (inferred)  ! evicted\n";
  write_(out);
  (void)options_;
}

}  // namespace tcpinspect::core
