// SPDX-License-Identifier: MIT
#include "core/render_ladder.hpp"

#include "core/render_common.hpp"

namespace tcpinspect::core {
namespace {

constexpr size_t kTimeWidth = 11;
constexpr size_t kStateWidth = 12;
constexpr size_t kArrowWidth = 44;

std::string render_row(const std::function<void(OutBuffer&)>& fill) {
  std::string s;
  OutBuffer b([&s](std::string_view v) { s.append(v); });
  fill(b);
  b.flush();
  return s;
}

// Draws "|--- label ------->|" or "|<-- label --------|" exactly kArrowWidth columns wide.
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

void LadderRenderer::add_row(Diagram& d, std::string row) {
  if (d.rows.size() >= kMaxRows) {
    ++d.dropped;
    return;
  }
  d.rows.push_back(std::move(row));
}

void LadderRenderer::on_segment(const SegmentEvent& ev) {
  using namespace render;
  Diagram& d = diagrams_[ev.conn->id];
  if (!d.header_states_set) {
    d.header_states_set = true;
    d.client_first = ev.client_before;
    d.server_first = ev.server_before;
  }
  const DecodedPacket& p = *ev.packet;
  const bool c2s = ev.dir == Direction::ClientToServer;
  std::string row = render_row([&](OutBuffer& b) {
    size_t mark = b.size();
    b.put_seconds(ev.rel_ts_ns);
    b.pad_to(mark, kTimeWidth);
    mark = b.size();
    b.put(ev.client_before != ev.client_after || d.rows.empty() ? state_name(ev.client_after) : "");
    b.pad_to(mark, kStateWidth);
    std::string label = render_row([&](OutBuffer& l) {
      put_flag_names(l, p.tcp.flags, ",");
      l.put(" seq=");
      put_symbolic(l, space_of(ev.dir), ev.seq_off);
      if (p.tcp.flags & kAck) {
        l.put(" ack=");
        put_symbolic(l, space_of(opposite(ev.dir)), ev.ack_off);
      }
      if (p.payload_len) l.put(" len=").put_uint(p.payload_len);
      for (uint8_t i = 0; i < ev.check_count; ++i)
        if (!ev.checks[i].ok) l.put(" ✗");
    });
    put_arrow(b, c2s, label);
    b.put(' ');
    mark = b.size();
    b.put(ev.server_before != ev.server_after || d.rows.empty() ? state_name(ev.server_after) : "");
    bool first = true;
    ev.notes.for_each([&](Note n) {
      if (n == Note::BadChecksum) return;
      if (first)
        b.pad_to(mark, kStateWidth).put(" ");
      else
        b.put("; ");
      first = false;
      b.put(note_text(n));
    });
  });
  while (!row.empty() && row.back() == ' ')
    row.pop_back();
  add_row(d, std::move(row));
}

void LadderRenderer::on_timer(const TimerEvent& ev) {
  auto it = diagrams_.find(ev.conn->id);
  if (it == diagrams_.end()) return;
  add_row(it->second, render_row([&](OutBuffer& b) {
            size_t mark = b.size();
            b.put_seconds(ev.rel_ts_ns);
            b.pad_to(mark, kTimeWidth);
            mark = b.size();
            b.put(ev.client_side ? state_name(ev.after) : "");
            b.pad_to(mark, kStateWidth + kArrowWidth + 1);
            b.put(ev.client_side ? "" : state_name(ev.after));
            b.put("   ").put(note_text(ev.note));
          }));
}

void LadderRenderer::on_connection_end(const Connection& c) {
  using namespace render;
  Diagram d;
  if (auto it = diagrams_.find(c.id); it != diagrams_.end()) {
    d = std::move(it->second);
    diagrams_.erase(it);
  }
  out_.put("#").put_uint(c.id).put("  client ");
  put_endpoint(out_, c.client);
  out_.put("  ⇄  server ");
  put_endpoint(out_, c.server);
  out_.put("  (").put(close_kind_id(c.close)).put(")\n");
  size_t mark = out_.size();
  out_.pad_to(mark, kTimeWidth);
  mark = out_.size();
  out_.put("client");
  out_.pad_to(mark, kStateWidth + kArrowWidth + 1);
  out_.put("server\n");
  mark = out_.size();
  out_.pad_to(mark, kTimeWidth);
  mark = out_.size();
  out_.put(state_name(d.client_first));
  out_.pad_to(mark, kStateWidth + kArrowWidth + 1);
  out_.put(state_name(d.server_first)).put('\n');
  for (const std::string& row : d.rows)
    out_.put(row).put('\n');
  if (d.dropped) out_.put("… ").put_uint(d.dropped).put(" more segments not drawn\n");
  out_.put("client: ");
  put_path(out_, c.client.path, " → ");
  out_.put("\nserver: ");
  put_path(out_, c.server.path, " → ");
  out_.put("\n\n");
  out_.maybe_flush();
}

void LadderRenderer::on_finish(const InspectorStats& s) {
  out_.put_uint(s.connections)
      .put(" connections, ")
      .put_uint(s.tcp_segments)
      .put(" TCP segments\n");
  out_.flush();
  (void)options_;
}

}  // namespace tcpinspect::core
