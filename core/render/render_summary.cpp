// SPDX-License-Identifier: MIT
// Only the per-connection summaries, as an aligned table.
#include "core/render/render_summary.hpp"

#include <algorithm>

#include "core/render/render_common.hpp"

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

void no_write(std::string_view) {}

}  // namespace

SummaryRenderer::SummaryRenderer(const RenderOptions& options, WriteFn write)
    : ascii_(options.ascii), write_(std::move(write)), cells_(no_write, 1 << 20), out_(write_) {
  ends_.reserve(kMaxBufferedRows * kColumns);
  columns_.reserve(kMaxBufferedRows * kColumns);
  for (size_t col = 0; col < kColumns; ++col)
    width_[col] = columns_of(kHeaders[col]);
}

void SummaryRenderer::end_cell(size_t column, size_t start) {
  const size_t cols = columns_of(cells_.text().substr(start));
  ends_.push_back(static_cast<uint32_t>(cells_.size()));
  columns_.push_back(static_cast<uint16_t>(std::min<size_t>(cols, UINT16_MAX)));
  width_[column] = std::max(width_[column], cols);
}

void SummaryRenderer::on_connection_end(const ConnectionSummary& c) {
  using namespace render;
  OutBuffer& b = cells_;
  size_t col = 0;
  auto cell = [&](auto&& fill) {
    const size_t start = b.size();
    fill();
    end_cell(col++, start);
  };
  cell([&] { b.put_uint(c.id); });
  cell([&] { put_address(b, c.client.addr, c.client.port); });
  cell([&] { put_address(b, c.server.addr, c.server.port); });
  cell([&] {
    b.put(close_kind_id(c.close));
    if (c.inferred) b.put('*');
    if (c.evicted) b.put('!');
  });
  cell([&] { b.put(c.zeek.conn_state); });
  cell([&] { b.put(c.zeek.history().empty() ? std::string_view("-") : c.zeek.history()); });
  cell([&] { b.put_uint(c.client.packets); });
  cell([&] { b.put_uint(c.client.payload_bytes); });
  cell([&] { b.put_uint(c.server.packets); });
  cell([&] { b.put_uint(c.server.payload_bytes); });
  cell([&] { b.put_seconds(c.duration_ns); });
  cell([&] {
    if (c.rtt_syn_synack_ns)
      b.put_seconds(*c.rtt_syn_synack_ns);
    else
      b.put('-');
  });
  cell([&] { put_path(b, c.client.path, ">", glyphs(ascii_).ellipsis); });
  cell([&] { put_path(b, c.server.path, ">", glyphs(ascii_).ellipsis); });
  if (ends_.size() >= kMaxBufferedRows * kColumns) print_block();
}

void SummaryRenderer::print_block() {
  auto pad = [&](size_t col, size_t cols) {
    if (col + 1 < kColumns)
      out_.put_in_place(width_[col] - cols + 2, [&](char* dst) {
        std::fill_n(dst, width_[col] - cols + 2, ' ');
        return width_[col] - cols + 2;
      });
  };
  for (size_t col = 0; col < kColumns; ++col) {
    out_.put(kHeaders[col]);
    pad(col, columns_of(kHeaders[col]));
  }
  out_.put('\n');
  const std::string_view text = cells_.text();
  size_t start = 0;
  for (size_t i = 0; i < ends_.size(); ++i) {
    const size_t col = i % kColumns;
    out_.put(text.substr(start, ends_[i] - start));
    pad(col, columns_[i]);
    start = ends_[i];
    if (col + 1 == kColumns) {
      out_.put('\n');
      out_.maybe_flush();
    }
  }
  out_.flush();
  cells_.discard();
  ends_.clear();
  columns_.clear();
  for (size_t col = 0; col < kColumns; ++col)
    width_[col] = columns_of(kHeaders[col]);
}

void SummaryRenderer::on_finish(const InspectorStats& s) {
  if (!ends_.empty()) print_block();
  render::put_count(out_, s.connections, "connection", "connections");
  out_.put(", "), render::put_count(out_, s.tcp_segments, "TCP segment", "TCP segments");
  out_.put(" in "), render::put_count(out_, s.frames, "frame", "frames");
  if (s.evicted) out_.put(", ").put_uint(s.evicted).put(" evicted (--max-connections)");
  out_.put(".  * mid-stream (inferred)  ! evicted\n");
  out_.flush();
}

}  // namespace tcpinspect::core
