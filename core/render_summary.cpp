// SPDX-License-Identifier: MIT
// Only the per-connection summaries, as one aligned table printed at the end.
#include "core/render_summary.hpp"

#include <algorithm>

#include "core/render_common.hpp"

namespace tcpinspect::core {
namespace {

std::string text_of(const std::function<void(OutBuffer&)>& fill) {
  std::string s;
  OutBuffer b([&s](std::string_view v) { s.append(v); });
  fill(b);
  b.flush();
  return s;
}

size_t columns(std::string_view s) {
  size_t n = 0;
  for (char ch : s)
    if ((static_cast<unsigned char>(ch) & 0xC0) != 0x80) ++n;
  return n;
}

}  // namespace

SummaryRenderer::SummaryRenderer(const RenderOptions& options, WriteFn write)
    : options_(options), write_(std::move(write)) {
  rows_.push_back({"conn", "client", "server", "close", "zeek", "history", "c>s pkts", "c>s bytes",
                   "s>c pkts", "s>c bytes", "duration", "rtt", "client states", "server states"});
}

void SummaryRenderer::on_connection_end(const Connection& c) {
  using namespace render;
  std::vector<std::string> row;
  row.reserve(14);
  row.push_back(std::to_string(c.id));
  row.push_back(text_of([&](OutBuffer& b) { put_endpoint(b, c.client); }));
  row.push_back(text_of([&](OutBuffer& b) { put_endpoint(b, c.server); }));
  std::string close(close_kind_id(c.close));
  if (c.inferred) close += "*";
  if (c.evicted) close += "!";
  row.push_back(close);
  row.emplace_back(c.zeek.conn_state());
  row.push_back(c.zeek.history().empty() ? "-" : std::string(c.zeek.history()));
  row.push_back(std::to_string(c.client.packets));
  row.push_back(std::to_string(c.client.payload_bytes));
  row.push_back(std::to_string(c.server.packets));
  row.push_back(std::to_string(c.server.payload_bytes));
  row.push_back(text_of([&](OutBuffer& b) { b.put_seconds(c.last_ts - c.first_ts); }));
  row.push_back(c.syn_ts >= 0 && c.synack_ts >= 0
                    ? text_of([&](OutBuffer& b) { b.put_seconds(c.synack_ts - c.syn_ts); })
                    : "-");
  row.push_back(text_of([&](OutBuffer& b) { put_path(b, c.client.path, ">"); }));
  row.push_back(text_of([&](OutBuffer& b) { put_path(b, c.server.path, ">"); }));
  rows_.push_back(std::move(row));
}

void SummaryRenderer::on_finish(const InspectorStats& s) {
  std::vector<size_t> width(rows_[0].size(), 0);
  for (const auto& row : rows_)
    for (size_t i = 0; i < row.size(); ++i)
      width[i] = std::max(width[i], columns(row[i]));
  std::string text;
  for (const auto& row : rows_) {
    for (size_t i = 0; i < row.size(); ++i) {
      text += row[i];
      if (i + 1 == row.size()) break;
      text.append(width[i] - columns(row[i]) + 2, ' ');
    }
    text += '\n';
    if (text.size() > 64 * 1024) {
      write_(text);
      text.clear();
    }
  }
  text += std::to_string(s.connections) + " connections, " + std::to_string(s.tcp_segments) +
          " TCP segments in " + std::to_string(s.frames) + " frames";
  if (s.evicted) text += ", " + std::to_string(s.evicted) + " evicted (--max-connections)";
  text += ".  * mid-stream (inferred)  ! evicted\n";
  write_(text);
  (void)options_;
}

}  // namespace tcpinspect::core
