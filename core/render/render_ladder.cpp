// SPDX-License-Identifier: MIT
#include "core/render/render_ladder.hpp"

#include <algorithm>

#include "core/render/conn_record.hpp"
#include "core/render/render_common.hpp"

namespace tcpinspect::core {
namespace {

constexpr size_t kTimeWidth = 11;
constexpr size_t kStateWidth = 12;
constexpr size_t kArrowWidth = 52;

std::string text_of(const std::function<void(OutBuffer&)>& fill) {
  std::string s;
  OutBuffer b([&s](std::string_view v) { s.append(v); }, 256);
  fill(b);
  b.flush();
  return s;
}

// Draws "|--- label ------->|" or "|<-- label --------|", at least kArrowWidth columns.
void put_arrow(OutBuffer& out, bool rightwards, std::string_view label) {
  size_t label_cols = 0;
  for (char ch : label)
    if ((static_cast<unsigned char>(ch) & 0xC0) != 0x80) ++label_cols;
  const size_t inner = kArrowWidth - 2;  // between the two '|'
  out.put('|');
  out.put(rightwards ? "--- " : "<-- ");
  size_t used = 4;
  out.put(label);
  used += label_cols;
  out.put(' ');
  ++used;
  while (used + 1 < inner) {
    out.put('-');
    ++used;
  }
  out.put(rightwards ? '>' : '-');
  out.put('|');
}

}  // namespace

LadderRenderer::LadderRenderer(const RenderOptions& options, WriteFn write)
    : options_(options), out_(std::move(write)) {}

void LadderRenderer::add_row(Diagram& d, Row row) {
  if (d.rows.size() >= kMaxRows) {
    ++d.dropped;
    return;
  }
  d.rows.push_back(std::move(row));
}

void LadderRenderer::on_segment(const SegmentEvent& ev) {
  using namespace render;
  Diagram& d = diagrams_[ev.conn_id];
  const DecodedPacket& p = *ev.packet;
  const bool c2s = ev.dir == Direction::ClientToServer;
  Row row;
  row.frame = ev.frame;
  row.rel_ts_ns = ev.rel_ts_ns;
  row.client = ev.client_after;
  row.server = ev.server_after;
  row.unconfirmed = ev.unconfirmed;
  row.rightwards = c2s;
  row.label = text_of([&](OutBuffer& l) {
    put_flag_names(l, p.tcp.flags, ",");
    l.put(" seq=");
    put_symbolic(l, space_of(ev.dir), ev.seq_off);
    if (p.tcp.flags & kAck) {
      l.put(" ack=");
      put_symbolic(l, space_of(opposite(ev.dir)), ev.ack_off);
    }
    if (p.payload_len) l.put(" len=").put_uint(p.payload_len);
    for (uint8_t i = 0; i < ev.check_count; ++i)
      if (!ev.checks[i].ok) l.put(' ').put(glyphs(options_.ascii).bad);
  });
  row.notes = text_of([&](OutBuffer& n) {
    bool first = true;
    ev.notes.for_each([&](Note note) {
      if (note == Note::BadChecksum || note_hidden(note, ev)) return;
      if (!first) n.put("; ");
      first = false;
      put_note_text(n, note, ev);
    });
  });
  add_row(d, std::move(row));
}

void LadderRenderer::on_timer(const TimerEvent& ev) {
  auto it = diagrams_.find(ev.conn_id);
  if (it == diagrams_.end() || it->second.rows.empty()) return;
  Row row = it->second.rows.back();
  row.rel_ts_ns = ev.rel_ts_ns;
  (ev.client_side ? row.client : row.server) = ev.after;
  row.is_timer = true;
  row.unconfirmed = 0;
  row.label.clear();
  row.notes = note_text(ev.note);
  add_row(it->second, std::move(row));
}

void LadderRenderer::on_revision(const RevisionEvent& ev) {
  if (auto it = diagrams_.find(ev.conn_id); it != diagrams_.end())
    render::apply_revision(it->second.rows, ev);
}

void LadderRenderer::draw_row(const Row& row) {
  size_t mark = out_.size();
  out_.put_seconds(row.rel_ts_ns);
  out_.pad_to(mark, kTimeWidth);
  mark = out_.size();
  out_.put(state_name(row.client));
  if (row.unconfirmed & 1) out_.put('?');
  out_.pad_to(mark, kStateWidth);
  if (row.is_timer) {
    mark = out_.size();
    out_.put('|');
    out_.pad_to(mark, kArrowWidth - 1);
    out_.put('|');
  } else {
    put_arrow(out_, row.rightwards, row.label);
  }
  out_.put(' ');
  mark = out_.size();
  out_.put(state_name(row.server));
  if (row.unconfirmed & 2) out_.put('?');
  if (!row.notes.empty()) {
    out_.pad_to(mark, kStateWidth);
    out_.put(' ').put(row.notes);
  }
  out_.put('\n');
}

void LadderRenderer::on_connection_end(const ConnectionSummary& c) {
  using namespace render;
  Diagram d;
  if (auto it = diagrams_.find(c.id); it != diagrams_.end()) {
    d = std::move(it->second);
    diagrams_.erase(it);
  }
  out_.put("#").put_uint(c.id).put("  client ");
  put_endpoint(out_, c.client);
  out_.put("  ").put(glyphs(options_.ascii).both_ways).put("  server ");
  put_endpoint(out_, c.server);
  out_.put("  (").put(close_kind_id(c.close)).put(")\n");
  size_t mark = out_.size();
  out_.pad_to(mark, kTimeWidth);
  mark = out_.size();
  out_.put("client");
  out_.pad_to(mark, kStateWidth + kArrowWidth + 1);
  out_.put("server\n");
  // Where each side began, after any revision in hindsight.
  mark = out_.size();
  out_.pad_to(mark, kTimeWidth);
  mark = out_.size();
  out_.put(state_name(c.client.path[0]));
  out_.pad_to(mark, kStateWidth + kArrowWidth + 1);
  out_.put(state_name(c.server.path[0])).put('\n');
  for (const Row& row : d.rows)
    draw_row(row);
  const Glyphs& g = glyphs(options_.ascii);
  if (d.dropped)
    out_.put(g.ellipsis).put(' ').put_uint(d.dropped).put(" more segments not drawn\n");
  // After any correction: a row whose mark it took away needs no legend.
  if (std::any_of(d.rows.begin(), d.rows.end(), [](const Row& r) { return r.unconfirmed != 0; }))
    out_.put(kUnconfirmedLegend).put('\n');
  out_.put("client: ");
  const std::string arrow = " " + std::string(g.arrow) + " ";
  put_path(out_, c.client.path, arrow, g.ellipsis);
  out_.put("\nserver: ");
  put_path(out_, c.server.path, arrow, g.ellipsis);
  out_.put("\n\n");
  out_.maybe_flush();
}

void LadderRenderer::on_finish(const InspectorStats& s) {
  render::put_count(out_, s.connections, "connection", "connections");
  out_.put(", "), render::put_count(out_, s.tcp_segments, "TCP segment", "TCP segments");
  out_.put('\n');
  out_.flush();
  (void)options_;
}

}  // namespace tcpinspect::core
