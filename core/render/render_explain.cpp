// SPDX-License-Identifier: MIT
#include "core/render/render_explain.hpp"

#include "core/render/phrasebook.hpp"
#include "core/render/render_common.hpp"
#include "core/wire/seq.hpp"

namespace tcpinspect::core {
namespace {

using render::SegRecord;

bool zh(Lang l) {
  return l == Lang::Zh;
}

// An ordinary segment: only ACK/PSH, nothing noted, every check passed, no state change.
bool is_plain(const render::ConnRecord& r, const SegRecord& s, TcpState client_before,
              TcpState server_before) {
  if (s.timer || (s.flags & ~(kAck | kPsh)) || !s.notes.empty() || s.bad_checksum) return false;
  for (const Check& c : r.checks_of(s))
    if (!c.ok) return false;
  return s.client == client_before && s.server == server_before && !s.via[0].count &&
         !s.via[1].count;
}

class Teller {
 public:
  Teller(OutBuffer& out, const ConnectionSummary& c, Lang lang, const Glyphs& g)
      : out_(out), c_(c), lang_(lang), g_(g), arrow_(" " + std::string(g.arrow) + " ") {}

  void tell(const render::ConnRecord& r) {
    header();
    TcpState client = c_.client.path[0], server = c_.server.path[0];
    size_t i = 0;
    while (i < r.rows.size()) {
      if (is_plain(r, r.rows[i], client, server)) {
        size_t j = i;
        while (j < r.rows.size() && is_plain(r, r.rows[j], client, server))
          ++j;
        run(r, i, j);
        i = j;
        continue;
      }
      const SegRecord& s = r.rows[i];
      if (s.timer)
        timer(s, client, server);
      else
        segment(s, r.checks_of(s), client, server);
      client = s.client;
      server = s.server;
      ++i;
    }
    if (r.dropped) {
      if (zh(lang_))
        out_.put("（还有 ").put_uint(r.dropped).put(" 个报文段没有讲述。）\n");
      else
        out_.put("(").put_uint(r.dropped).put(" more segments are not told.)\n");
    }
    ending();
  }

 private:
  void sentence_end() { out_.put(zh(lang_) ? "。" : ". "); }

  void header() {
    const bool z = zh(lang_);
    out_.put(z ? "连接 #" : "Connection #").put_uint(c_.id).put(z ? "：客户端 " : ": client ");
    render::put_endpoint(out_, c_.client);
    out_.put(z ? "，服务器 " : ", server ");
    render::put_endpoint(out_, c_.server);
    out_.put(z ? "。\n" : ".\n");
    start_state(Direction::ClientToServer, c_.client.path[0]);
    start_state(Direction::ServerToClient, c_.server.path[0]);
    if (c_.inferred) out_.put(render::note_sentence(lang_, Note::InferredMidstream)).put('\n');
  }

  void start_state(Direction side, TcpState s) {
    if (zh(lang_)) {
      out_.put(render::side_name(lang_, side)).put("一开始处于 ").put(state_name(s)).put("：");
      out_.put(render::state_meaning(lang_, s)).put("。\n");
    } else {
      out_.put("The ").put(render::side_name(lang_, side)).put(" starts in ").put(state_name(s));
      out_.put(": it ").put(render::state_meaning(lang_, s)).put(".\n");
    }
  }

  void time(int64_t ns) { out_.put_seconds(ns).put(' '); }

  void run(const render::ConnRecord& r, size_t from, size_t to) {
    uint64_t bytes[2] = {0, 0};
    for (size_t k = from; k < to; ++k)
      bytes[r.rows[k].dir == Direction::ClientToServer ? 0 : 1] += r.rows[k].len;
    time(r.rows[from].rel_ts_ns);
    const size_t n = to - from;
    if (zh(lang_)) {
      if (n > 1) out_.put("到 ").put_seconds(r.rows[to - 1].rel_ts_ns).put(" 为止，");
      out_.put_uint(n).put(" 个普通报文段");
      if (bytes[0] + bytes[1] == 0) {
        out_.put("只是确认（ACK），没有携带数据");
      } else {
        out_.put("传输了数据：客户端发出 ").put_uint(bytes[0]).put(" 字节，服务器发出 ");
        out_.put_uint(bytes[1]).put(" 字节");
      }
      out_.put("；双方状态不变。\n");
    } else {
      out_.put_uint(n).put(n == 1 ? " ordinary segment" : " ordinary segments");
      if (n > 1) out_.put(" until ").put_seconds(r.rows[to - 1].rel_ts_ns);
      if (bytes[0] + bytes[1] == 0) {
        out_.put(" only acknowledged (ACK), carrying no data");
      } else {
        out_.put(" carried data: ").put_uint(bytes[0]).put(" bytes from the client, ");
        out_.put_uint(bytes[1]).put(" bytes from the server");
      }
      out_.put("; neither state changed.\n");
    }
  }

  void sym(Direction space, int64_t off) {
    render::put_symbolic(out_, render::space_of(space), off);
  }

  void segment(const SegRecord& s, std::span<const Check> checks, TcpState client_before,
               TcpState server_before) {
    const bool z = zh(lang_);
    const Direction peer = render::opposite(s.dir);
    time(s.rel_ts_ns);
    if (z)
      out_.put(render::side_name(lang_, s.dir)).put("发出 ");
    else
      out_.put("The ").put(render::side_name(lang_, s.dir)).put(" sent ");
    render::put_flag_names(out_, s.flags, ",");
    out_.put(" seq=");
    sym(s.dir, s.seq_off);
    if (s.flags & kAck) out_.put(" ack="), sym(peer, s.ack_off);
    if (s.len) out_.put(" len=").put_uint(s.len);
    const EndpointSummary& sender = c_.sender(s.dir);
    if ((s.flags & kSyn) && sender.isn_known && s.seq_off == 0) {
      out_.put(z ? "，初始序列号 " : " with ISN ").put(render::space_of(s.dir));
      out_.put(" = ").put_uint(sender.isn);
    }
    sentence_end();
    for (const Check& c : checks)
      check(s, c);
    transition(s, 0, client_before, s.client, s.unconfirmed & 1);
    transition(s, 1, server_before, s.server, s.unconfirmed & 2);
    s.notes.for_each([&](Note n) { out_.put(render::note_sentence(lang_, n)).put(z ? "" : " "); });
    if (s.bad_checksum && !s.notes.has(Note::BadChecksum))
      out_.put(render::note_sentence(lang_, Note::BadChecksum)).put(z ? "" : " ");
    trim_space();
    out_.put('\n');
  }

  void check(const SegRecord& s, const Check& ch) {
    const bool z = zh(lang_);
    // Sequence-number rules compare in the sender's space, the others in the ack's.
    const bool own = ch.kind == CheckKind::SeqExpected || ch.kind == CheckKind::RstAcceptable;
    const Direction space = own ? s.dir : render::opposite(s.dir);
    const uint32_t isn = own ? c_.sender(s.dir).isn : c_.receiver(s.dir).isn;
    out_.put(ch.ok ? g_.ok : g_.bad).put(' ');
    out_.put(z ? "规则：" : "Rule: ").put(render::check_rule(lang_, ch.kind));
    if (!ch.ok) {
      out_.put(z ? "，期望 " : "; expected ");
      sym(space, render::symbolic_offset(ch.expected, isn));
      out_.put(z ? "，实际是 " : ", got ");
      sym(space, render::symbolic_offset(ch.actual, isn));
    }
    out_.put(z ? "。" : ". ");
  }

  void transition(const SegRecord& s, size_t which, TcpState before, TcpState after,
                  bool unconfirmed) {
    if (before == after) return;
    const bool z = zh(lang_);
    const Direction side = which == 0 ? Direction::ClientToServer : Direction::ServerToClient;
    if (z)
      out_.put(render::side_name(lang_, side)).put(" ");
    else
      out_.put("The ").put(render::side_name(lang_, side)).put(" went ");
    out_.put(state_name(before));
    for (uint8_t i = 0; i < s.via[which].count; ++i)
      out_.put(arrow_).put(state_name(s.via[which].states[i]));
    out_.put(arrow_).put(state_name(after));
    if (unconfirmed) out_.put(z ? "（未确认）" : " (unconfirmed)");
    if (z)
      out_.put("：").put(render::state_meaning(lang_, after)).put("。");
    else
      out_.put(": it ").put(render::state_meaning(lang_, after)).put(". ");
  }

  void timer(const SegRecord& s, TcpState client_before, TcpState server_before) {
    time(s.rel_ts_ns);
    if (s.timer_note == Note::Count_)
      out_.put(zh(lang_) ? "抓包结束时：" : "By the end of the capture: ");
    else
      out_.put(render::note_sentence(lang_, s.timer_note)).put(zh(lang_) ? "" : " ");
    transition(s, 0, client_before, s.client, false);
    transition(s, 1, server_before, s.server, false);
    trim_space();
    out_.put('\n');
  }

  void ending() {
    const bool z = zh(lang_);
    out_.put(z ? "结局：" : "In the end: ").put(render::close_sentence(lang_, c_.close));
    out_.put(z ? "Zeek 连接状态 " : " Zeek conn_state ").put(c_.zeek.conn_state);
    out_.put(z ? "，历史 " : ", history ").put(c_.zeek.history()).put(z ? "。\n" : ".\n");
    path(Direction::ClientToServer, c_.client.path);
    path(Direction::ServerToClient, c_.server.path);
    out_.put('\n');
  }

  void path(Direction side, const StatePath& p) {
    if (zh(lang_))
      out_.put(render::side_name(lang_, side)).put("经历的状态：");
    else
      out_.put("The ").put(render::side_name(lang_, side)).put(" went through ");
    render::put_path(out_, p, arrow_, g_.ellipsis);
    out_.put(zh(lang_) ? "。\n" : ".\n");
  }

  // Drops the trailing space of the last English sentence on a line.
  void trim_space() { out_.trim_trailing(' '); }

  OutBuffer& out_;
  const ConnectionSummary& c_;
  Lang lang_;
  const Glyphs& g_;
  std::string arrow_;  // " → "
};

}  // namespace

void tell_connection(OutBuffer& out, const ConnectionSummary& c, const render::ConnRecord& r,
                     Lang lang, const Glyphs& g) {
  Teller(out, c, lang, g).tell(r);
}

ExplainRenderer::ExplainRenderer(const RenderOptions& options, WriteFn write)
    : options_(options), out_(std::move(write)) {}

void ExplainRenderer::on_segment(const SegmentEvent& ev) {
  if (wanted(ev.conn_id)) recorder_.on_segment(ev);
}

void ExplainRenderer::on_timer(const TimerEvent& ev) {
  if (wanted(ev.conn_id)) recorder_.on_timer(ev);
}

void ExplainRenderer::on_icmp(const IcmpEvent& ev) {
  if (ev.conn_id && wanted(ev.conn_id)) recorder_.on_icmp(ev);
}

void ExplainRenderer::on_revision(const RevisionEvent& ev) {
  if (wanted(ev.conn_id)) recorder_.on_revision(ev);
}

void ExplainRenderer::on_connection_end(const ConnectionSummary& c) {
  if (!wanted(c.id)) return;
  tell_connection(out_, c, recorder_.take(c), options_.lang, glyphs(options_.ascii));
  ++told_;
  out_.maybe_flush();
}

void ExplainRenderer::on_finish(const InspectorStats& s) {
  const bool z = options_.lang == Lang::Zh;
  if (options_.only_conn != 0 && told_ == 0) {
    out_.put(z ? "没有编号为 " : "There is no connection #").put_uint(options_.only_conn);
    out_.put(z ? " 的连接。\n" : ".\n");
  }
  if (z) {
    out_.put("共 ").put_uint(s.connections).put(" 个连接，").put_uint(s.tcp_segments);
    out_.put(" 个 TCP 报文段。\n");
  } else {
    render::put_count(out_, s.connections, "connection", "connections");
    out_.put(", "), render::put_count(out_, s.tcp_segments, "TCP segment", "TCP segments");
    out_.put(".\n");
  }
  out_.flush();
}

}  // namespace tcpinspect::core
