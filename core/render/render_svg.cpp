// SPDX-License-Identifier: MIT
#include "core/render/render_svg.hpp"

#include <algorithm>

#include "core/render/render_common.hpp"

namespace tcpinspect::core {
namespace {

using render::SegRecord;

// Geometry (pixels). The same layout as the html report's ladder (core/render/report/).
constexpr int kWidth = 1060;
constexpr int kClientX = 250;
constexpr int kServerX = 690;
constexpr int kTop = 96;       // first arrow
constexpr int kMinGap = 34;    // readable spacing between arrows
constexpr int kMaxExtra = 40;  // extra spacing for the longest pause
constexpr int kSlant = 16;     // an arrow lands this much lower than it leaves
constexpr int kLineHeight = 14;
constexpr int kNotesX = kServerX + 190;  // other notes, right of the server's states

void put_escaped(OutBuffer& out, std::string_view s) {
  for (char ch : s) {
    switch (ch) {
      case '<':
        out.put("&lt;");
        break;
      case '>':
        out.put("&gt;");
        break;
      case '&':
        out.put("&amp;");
        break;
      case '"':
        out.put("&quot;");
        break;
      default:
        out.put(ch);
    }
  }
}

void text(OutBuffer& out, int x, int y, std::string_view cls, std::string_view anchor,
          std::string_view s) {
  out.put("<text x=\"").put_int(x).put("\" y=\"").put_int(y).put("\" class=\"").put(cls);
  out.put("\" text-anchor=\"").put(anchor).put("\">");
  put_escaped(out, s);
  out.put("</text>\n");
}

// "FIN_WAIT_1 → CLOSING" when the side passed through states within one record.
std::string state_label(const SegRecord& r, size_t which, TcpState s, bool unconfirmed) {
  std::string l;
  for (uint8_t i = 0; i < r.via[which].count; ++i)
    l.append(state_name(r.via[which].states[i])).append(" → ");
  l.append(state_name(s));
  if (unconfirmed) l += '?';
  return l;
}

std::string arrow_label(const SegRecord& s, std::span<const Check> checks) {
  std::string l;
  OutBuffer b([&l](std::string_view v) { l.append(v); }, 256);
  render::put_flag_names(b, s.flags, ",");
  b.put(" seq=");
  render::put_symbolic(b, render::space_of(s.dir), s.seq_off);
  if (s.flags & kAck) {
    b.put(" ack=");
    render::put_symbolic(b, render::space_of(render::opposite(s.dir)), s.ack_off);
  }
  if (s.len) b.put(" len=").put_uint(s.len);
  bool any_check = false, all_ok = true;
  for (const Check& c : checks) {
    any_check = true;
    all_ok = all_ok && c.ok;
  }
  if (any_check) b.put(all_ok ? " ✓" : " ✗");
  b.flush();
  return l;
}

// Rows go down with time: at least kMinGap apart, more for longer pauses (relative to
// the longest pause in the connection, so a slow handshake still looks slow).
// A row's socket-API moments are written under its state labels: the next row leaves room.
std::vector<int> row_positions(const std::vector<SegRecord>& rows) {
  int64_t longest = 1;
  for (size_t i = 1; i < rows.size(); ++i)
    longest = std::max(longest, rows[i].rel_ts_ns - rows[i - 1].rel_ts_ns);
  std::vector<int> y(rows.size());
  int at = kTop;
  for (size_t i = 0; i < rows.size(); ++i) {
    if (i) {
      const int64_t gap = std::max<int64_t>(0, rows[i].rel_ts_ns - rows[i - 1].rel_ts_ns);
      int moments = 0;
      rows[i - 1].notes.for_each([&](Note n) { moments += render::is_socket_moment(n) ? 1 : 0; });
      at += kMinGap + kLineHeight * moments + static_cast<int>(kMaxExtra * gap / longest);
    }
    y[i] = at;
  }
  return y;
}

}  // namespace

SvgRenderer::SvgRenderer(const RenderOptions& options, WriteFn write)
    : options_(options), out_(std::move(write)) {}

uint32_t SvgRenderer::wanted(uint32_t seen_id) {
  if (options_.only_conn != 0) return options_.only_conn;
  if (first_seen_ == 0) first_seen_ = seen_id;
  return first_seen_;
}

void SvgRenderer::on_segment(const SegmentEvent& ev) {
  if (ev.conn_id == wanted(ev.conn_id)) recorder_.on_segment(ev);
}

void SvgRenderer::on_timer(const TimerEvent& ev) {
  if (ev.conn_id == wanted(ev.conn_id)) recorder_.on_timer(ev);
}

void SvgRenderer::on_icmp(const IcmpEvent& ev) {
  if (ev.conn_id && ev.conn_id == wanted(ev.conn_id)) recorder_.on_icmp(ev);
}

void SvgRenderer::on_revision(const RevisionEvent& ev) {
  if (ev.conn_id == wanted(ev.conn_id)) recorder_.on_revision(ev);
}

void SvgRenderer::on_connection_end(const ConnectionSummary& c) {
  if (c.id != wanted(c.id)) return;
  drawn_ = true;
  const render::ConnRecord r = recorder_.take(c);
  const std::vector<int> y = row_positions(r.rows);
  const int bottom = (y.empty() ? kTop : y.back()) + kSlant + 60;
  const int height = bottom + (r.dropped ? 30 : 10);
  OutBuffer& o = out_;
  o.put("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
  o.put("<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"").put_int(kWidth);
  o.put("\" height=\"").put_int(height).put("\" viewBox=\"0 0 ").put_int(kWidth).put(' ');
  o.put_int(height).put("\" font-family=\"DejaVu Sans Mono, monospace\" font-size=\"12\">\n");
  o.put(
      "<style>.t{fill:#666}.st{fill:#0b5394;font-weight:bold}.un{fill:#b45f06;"
      "font-style:italic;font-weight:bold}.api{fill:#38761d;font-style:italic}"
      ".lb{fill:#222}.bad{fill:#c00}.note{fill:#a61c00}.h{font-weight:bold;font-size:14px}"
      ".a{stroke:#222;stroke-width:1.4;fill:none;marker-end:url(#head)}"
      ".ax{stroke:#c00}.life{stroke:#999;stroke-width:2}</style>\n");
  o.put(
      "<defs><marker id=\"head\" viewBox=\"0 0 10 10\" refX=\"10\" refY=\"5\" "
      "markerWidth=\"8\" markerHeight=\"8\" orient=\"auto-start-reverse\">"
      "<path d=\"M0,0 L10,5 L0,10 z\" fill=\"#222\"/></marker></defs>\n");
  o.put("<rect width=\"100%\" height=\"100%\" fill=\"white\"/>\n");
  std::string title;
  {
    OutBuffer b([&title](std::string_view v) { title.append(v); }, 256);
    b.put('#').put_uint(c.id).put("  client ");
    render::put_endpoint(b, c.client);
    b.put("  ⇄  server ");
    render::put_endpoint(b, c.server);
    b.put("  (").put(close_kind_id(c.close)).put(")");
    b.flush();
  }
  text(o, 20, 24, "h", "start", title);
  text(o, kClientX, 50, "h", "middle", "client");
  text(o, kServerX, 50, "h", "middle", "server");
  o.put("<line class=\"life\" x1=\"").put_int(kClientX).put("\" y1=\"58\" x2=\"");
  o.put_int(kClientX).put("\" y2=\"").put_int(bottom - 30).put("\"/>\n");
  o.put("<line class=\"life\" x1=\"").put_int(kServerX).put("\" y1=\"58\" x2=\"");
  o.put_int(kServerX).put("\" y2=\"").put_int(bottom - 30).put("\"/>\n");
  text(o, kClientX - 8, 74, "st", "end", state_name(c.client.path[0]));
  text(o, kServerX + 8, 74, "st", "start", state_name(c.server.path[0]));
  TcpState client = c.client.path[0], server = c.server.path[0];
  for (size_t i = 0; i < r.rows.size(); ++i) {
    const SegRecord& s = r.rows[i];
    const bool c2s = s.dir == Direction::ClientToServer;
    std::string time_text;
    {
      OutBuffer b([&time_text](std::string_view v) { time_text.append(v); }, 64);
      b.put_seconds(s.rel_ts_ns);
      b.flush();
    }
    text(o, 20, y[i] + 4, "t", "start", time_text);
    // Where each side's state is written: beside the arrow's end on that side.
    const int client_y = y[i] + (c2s ? 4 : kSlant + 4);
    const int server_y = y[i] + (c2s ? kSlant + 4 : 4);
    if (s.timer) {
      text(o, (kClientX + kServerX) / 2, y[i] + 4, "api", "middle",
           s.timer_note == Note::Count_ ? "end of capture" : note_text(s.timer_note));
    } else {
      const int x1 = c2s ? kClientX : kServerX, x2 = c2s ? kServerX : kClientX;
      bool ok = true;
      const std::span<const Check> checks = r.checks_of(s);
      for (const Check& c : checks)
        ok = ok && c.ok;
      o.put("<line class=\"a").put(ok ? "" : " ax").put("\" x1=\"").put_int(x1).put("\" y1=\"");
      o.put_int(y[i]).put("\" x2=\"").put_int(x2).put("\" y2=\"").put_int(y[i] + kSlant);
      o.put("\"/>\n");
      text(o, (kClientX + kServerX) / 2, y[i] + kSlant / 2 - 5, ok ? "lb" : "bad", "middle",
           arrow_label(s, checks));
      // Socket-API moments beside the receiver, other notes at the far right.
      const bool to_client = !c2s;
      int moment_line = 0, note_line = 0;
      s.notes.for_each([&](Note n) {
        if (render::is_socket_moment(n)) {
          const int ny = (to_client ? client_y : server_y) + kLineHeight * ++moment_line;
          // "read() returns 0: peer closed ..." -> "read() returns 0" beside the side.
          const std::string_view t = note_text(n);
          text(o, to_client ? kClientX - 8 : kServerX + 8, ny, "api", to_client ? "end" : "start",
               t.substr(0, t.find(':')));
        } else if (n != Note::BadChecksum) {
          text(o, kNotesX, y[i] + 4 + kLineHeight * note_line++, "note", "start", note_id(n));
        }
      });
    }
    if (s.client != client || s.via[0].count || (s.unconfirmed & 1))
      text(o, kClientX - 8, client_y, (s.unconfirmed & 1) ? "un" : "st", "end",
           state_label(s, 0, s.client, s.unconfirmed & 1));
    if (s.server != server || s.via[1].count || (s.unconfirmed & 2))
      text(o, kServerX + 8, server_y, (s.unconfirmed & 2) ? "un" : "st", "start",
           state_label(s, 1, s.server, s.unconfirmed & 2));
    client = s.client;
    server = s.server;
  }
  if (r.dropped) {
    std::string more = "… " + std::to_string(r.dropped) + " more segments not drawn (capped at " +
                       std::to_string(kMaxArrows) + ")";
    text(o, 20, bottom, "note", "start", more);
  }
  o.put("</svg>\n");
  o.flush();
}

void SvgRenderer::on_finish(const InspectorStats&) {
  if (!drawn_) {
    // Still a valid picture, saying why it is empty.
    out_.put("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
    out_.put("<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"400\" height=\"40\">");
    if (options_.only_conn != 0)
      out_.put("<text x=\"10\" y=\"25\">no connection #").put_uint(options_.only_conn);
    else
      out_.put("<text x=\"10\" y=\"25\">no connection");
    out_.put(" in this capture</text></svg>\n");
  }
  out_.flush();
}

}  // namespace tcpinspect::core
