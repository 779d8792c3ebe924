// SPDX-License-Identifier: MIT
// The page: head, style, a <script type="text/plain"> holding one line per connection
// (written as connections end, so memory stays bounded), then the meta data (words of the
// chosen language), the stats and the script that draws everything. Format: docs/report.md.
#include "core/render/render_html.hpp"

#include "core/render/json_string.hpp"
#include "core/render/phrasebook.hpp"
#include "core/render/render_common.hpp"
#include "core/render/render_explain.hpp"

namespace tcpinspect::core {
namespace {

using render::SegRecord;

// JSON strings in the page's <script>: '<' escaped so that nothing can close it.
void put_json_str(OutBuffer& out, std::string_view s) {
  put_json_string(out, s, {.inside_script = true});
}

// A multi-line story (newlines kept as \n).
void put_json_text(OutBuffer& out, std::string_view s) {
  put_json_string(out, s, {.keep_newlines = true, .inside_script = true});
}

void put_us(OutBuffer& out, int64_t ns) {
  out.put_int(ns / 1000);
}

// Up to 64 notes; the page reads the number without 32-bit bitwise operators (report.js).
static_assert(kNoteCount <= 53, "report.js reads the note bits as an exact double");
uint64_t note_bits(const NoteSet& notes) {
  uint64_t bits = 0;
  notes.for_each([&](Note n) { bits |= uint64_t{1} << static_cast<unsigned>(n); });
  return bits;
}

void put_path(OutBuffer& out, const StatePath& p) {
  out.put('[');
  for (size_t i = 0; i < p.size(); ++i) {
    if (i) out.put(',');
    out.put_uint(static_cast<unsigned>(p[i]));
  }
  out.put(']');
}

// [[client via states], [server via states]]
void put_via(OutBuffer& out, const SegRecord& s) {
  out.put('[');
  for (size_t w = 0; w < 2; ++w) {
    if (w) out.put(',');
    out.put('[');
    for (uint8_t i = 0; i < s.via[w].count; ++i) {
      if (i) out.put(',');
      out.put_uint(static_cast<unsigned>(s.via[w].states[i]));
    }
    out.put(']');
  }
  out.put(']');
}

// One segment: [t_us, dir, flags, seq, ack, rel_seq, rel_ack, seq_off, ack_off, len, win,
// client_state, server_state, notes, checks, options, frame, bad_checksum?, unconfirmed?,
// via?]; a timer: [t_us, side, -1, note, client_state, server_state, via?] (note = the
// number of notes for the end of the capture). docs/report.md.
void put_segment(OutBuffer& out, const SegRecord& s, std::span<const Check> checks,
                 const render::SegExtras& x, int64_t base_ns) {
  const bool via = s.via[0].count || s.via[1].count;
  out.put('[');
  put_us(out, s.rel_ts_ns - base_ns);
  out.put(',').put(s.dir == Direction::ClientToServer ? '0' : '1');
  if (s.timer) {
    out.put(",-1,").put_uint(static_cast<unsigned>(s.timer_note));
    out.put(',').put_uint(static_cast<unsigned>(s.client));
    out.put(',').put_uint(static_cast<unsigned>(s.server));
    if (via) out.put(','), put_via(out, s);
    out.put(']');
    return;
  }
  out.put(',').put_uint(s.flags);
  out.put(',').put_uint(s.seq).put(',').put_uint(s.ack);
  out.put(',').put_uint(s.rel_seq).put(',').put_uint(s.rel_ack);
  out.put(',').put_int(s.seq_off).put(',').put_int(s.ack_off);
  out.put(',').put_uint(s.len).put(',').put_uint(s.win);
  out.put(',').put_uint(static_cast<unsigned>(s.client));
  out.put(',').put_uint(static_cast<unsigned>(s.server));
  out.put(',').put_uint(note_bits(s.notes));
  out.put(',');
  if (checks.empty()) {
    out.put('0');
  } else {
    out.put('[');
    for (size_t i = 0; i < checks.size(); ++i) {
      const Check& c = checks[i];
      if (i) out.put(',');
      out.put('[').put_uint(static_cast<unsigned>(c.kind)).put(',').put(c.ok ? '1' : '0');
      out.put(',').put_uint(c.expected).put(',').put_uint(c.actual).put(']');
    }
    out.put(']');
  }
  out.put(',');
  const bool any_option = x.mss >= 0 || x.wscale >= 0 || x.sack_perm || s.has_ts || x.sack_count;
  if (!any_option) {
    out.put('0');
  } else {
    out.put('{');
    bool first = true;
    auto key = [&](std::string_view k) {
      if (!first) out.put(',');
      first = false;
      out.put(k);
    };
    if (x.mss >= 0) key("\"m\":"), out.put_int(x.mss);
    if (x.wscale >= 0) key("\"w\":"), out.put_int(x.wscale);
    if (x.sack_perm) key("\"p\":1");
    if (s.has_ts) key("\"t\":["), out.put_uint(s.ts_val).put(',').put_uint(s.ts_ecr).put(']');
    if (x.sack_count) {
      key("\"k\":[");
      for (uint8_t i = 0; i < x.sack_count; ++i) {
        if (i) out.put(',');
        out.put('[').put_uint(x.sack[i].left).put(',').put_uint(x.sack[i].right).put(']');
      }
      out.put(']');
    }
    out.put('}');
  }
  out.put(',').put_uint(s.frame);
  if (s.bad_checksum || s.unconfirmed || via) out.put(',').put(s.bad_checksum ? '1' : '0');
  if (s.unconfirmed || via) out.put(',').put_uint(s.unconfirmed);
  if (via) out.put(','), put_via(out, s);
  out.put(']');
}

void put_meta(OutBuffer& out, Lang lang) {
  out.put("{\"lang\":\"").put(lang == Lang::Zh ? "zh" : "en").put("\",\"states\":[");
  for (unsigned i = 0; i <= static_cast<unsigned>(TcpState::TimeWait); ++i) {
    const auto s = static_cast<TcpState>(i);
    if (i) out.put(',');
    out.put('[');
    put_json_str(out, state_name(s));
    out.put(',');
    put_json_str(out, render::state_meaning(lang, s));
    out.put(']');
  }
  out.put("],\"notes\":[");
  for (size_t i = 0; i < kNoteCount; ++i) {
    const auto n = static_cast<Note>(i);
    if (i) out.put(',');
    out.put('[');
    put_json_str(out, note_id(n));
    out.put(',');
    put_json_str(out, note_text(n));
    out.put(',');
    put_json_str(out, render::note_sentence(lang, n));
    out.put(',');
    put_json_str(out, render::note_rfc(n));
    out.put(',').put(render::is_socket_moment(n) ? '1' : '0').put(']');
  }
  out.put("],\"checks\":[");
  for (unsigned i = 0; i <= static_cast<unsigned>(CheckKind::RstAcksSyn); ++i) {
    const auto k = static_cast<CheckKind>(i);
    if (i) out.put(',');
    out.put('[');
    put_json_str(out, check_id(k));
    out.put(',');
    put_json_str(out, render::check_rule(lang, k));
    out.put(']');
  }
  // Every close kind, from its table: a kind left out here reads "undefined" on the page.
  out.put("],\"closes\":{");
  for (size_t i = 0; i < kCloseKinds.size(); ++i) {
    const CloseKind k = kCloseKinds[i].value;
    if (i) out.put(',');
    put_json_str(out, close_kind_id(k));
    out.put(':');
    put_json_str(out, render::close_sentence(lang, k));
  }
  out.put("},\"max_records\":").put_uint(HtmlRenderer::kMaxRecords);
  out.put(",\"max_stories\":").put_uint(HtmlRenderer::kMaxStories).put('}');
}

}  // namespace

HtmlRenderer::HtmlRenderer(const RenderOptions& options, WriteFn write)
    : options_(options), out_(std::move(write)), story_([](std::string_view) {}) {
  put_head();
}

void HtmlRenderer::put_head() {
  out_.put(
      "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">\n"
      "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
      "<title>tcpinspect report</title>\n<style>\n");
  out_.put(render::kReportCss);
  out_.put(
      "</style></head><body>\n<div id=\"app\"><p>Loading… (this report needs "
      "JavaScript)</p></div>\n<script type=\"text/plain\" id=\"conns\">\n");
}

void HtmlRenderer::on_segment(const SegmentEvent& ev) {
  recorder_.on_segment(ev);
}

void HtmlRenderer::on_timer(const TimerEvent& ev) {
  recorder_.on_timer(ev);
}

void HtmlRenderer::on_icmp(const IcmpEvent& ev) {
  recorder_.on_icmp(ev);
}

void HtmlRenderer::on_revision(const RevisionEvent& ev) {
  recorder_.on_revision(ev);
}

// One line: [header]\t[segments]\t"story". The header is parsed for the index; the rest
// only when the connection is opened (a large capture stays quick to load).
void HtmlRenderer::on_connection_end(const ConnectionSummary& c) {
  const render::ConnRecord r = recorder_.take(c);
  const int64_t base = r.rows.empty() ? 0 : r.rows.front().rel_ts_ns;
  out_.put('[').put_uint(c.id).put(',');
  out_.put('"');
  render::put_endpoint(out_, c.client);
  out_.put("\",\"");
  render::put_endpoint(out_, c.server);
  out_.put("\",\"").put(close_kind_id(c.close)).put("\",");
  put_json_str(out_, c.zeek.conn_state);
  out_.put(',');
  put_json_str(out_, c.zeek.history());
  out_.put(',');
  put_us(out_, base);
  out_.put(',');
  put_us(out_, c.duration_ns);
  out_.put(',').put_uint(c.client.packets).put(',').put_uint(c.client.payload_bytes);
  out_.put(',').put_uint(c.server.packets).put(',').put_uint(c.server.payload_bytes);
  out_.put(',');
  auto put_rtt = [&](const std::optional<int64_t>& rtt) {
    if (rtt)
      put_us(out_, *rtt);
    else
      out_.put("null");
  };
  put_rtt(c.rtt_syn_synack_ns);
  out_.put(',');
  put_rtt(c.rtt_synack_ack_ns);
  out_.put(',');
  put_path(out_, c.client.path);
  out_.put(',');
  put_path(out_, c.server.path);
  out_.put(',').put_uint(c.client.isn).put(',').put_uint(c.server.isn);
  out_.put(',').put(c.isn_inferred ? '1' : '0');
  out_.put(',').put_uint(c.client.window_scale).put(',').put_uint(c.server.window_scale);
  out_.put(',').put_uint(r.dropped).put(',').put_uint(r.note_bits);
  out_.put("]\t[");
  for (size_t i = 0; i < r.rows.size(); ++i) {
    if (i) out_.put(',');
    put_segment(out_, r.rows[i], r.checks_of(r.rows[i]), r.extras_of(r.rows[i]), base);
  }
  out_.put("]\t");
  if (stories_ < kMaxStories) {
    ++stories_;
    story_.discard();
    tell_connection(story_, c, r, options_.lang);
    put_json_text(out_, story_.text());
  } else {
    out_.put("null");
  }
  out_.put('\n');
  out_.maybe_flush();
}

void HtmlRenderer::on_finish(const InspectorStats& s) {
  out_.put("</script>\n<script type=\"application/json\" id=\"meta\">");
  put_meta(out_, options_.lang);
  out_.put("</script>\n<script type=\"application/json\" id=\"stats\">");
  out_.put("{\"frames\":").put_uint(s.frames);
  out_.put(",\"tcp_segments\":").put_uint(s.tcp_segments);
  out_.put(",\"connections\":").put_uint(s.connections);
  out_.put(",\"evicted\":").put_uint(s.evicted);
  out_.put(",\"bad_checksums\":").put_uint(s.bad_checksums).put('}');
  out_.put("</script>\n<script>\n");
  out_.put(render::kReportJs);
  out_.put("</script>\n</body></html>\n");
  out_.flush();
}

}  // namespace tcpinspect::core
