// SPDX-License-Identifier: MIT
#include "core/render/conn_record.hpp"

namespace tcpinspect::core::render {
namespace {

bool is_done(TcpState s) {
  return s == TcpState::TimeWait || s == TcpState::Closed;
}

}  // namespace

void ConnRecorder::on_segment(const SegmentEvent& ev) {
  ConnRecord& r = records_[ev.conn_id];
  ev.notes.for_each([&r](Note n) { r.note_bits |= uint64_t{1} << static_cast<unsigned>(n); });
  if (r.rows.size() >= cap_) {
    ++r.dropped;
    return;
  }
  const DecodedPacket& p = *ev.packet;
  const TcpHeader& t = p.tcp;
  SegRecord& s = r.rows.emplace_back();
  s.frame = ev.frame;
  s.rel_ts_ns = ev.rel_ts_ns;
  s.dir = ev.dir;
  s.flags = t.flags;
  s.seq = t.seq;
  s.ack = t.ack;
  s.rel_seq = ev.rel_seq;
  s.rel_ack = ev.rel_ack;
  s.seq_off = ev.seq_off;
  s.ack_off = ev.ack_off;
  s.len = p.payload_len;
  s.win = t.window;
  s.client = ev.client_after;
  s.server = ev.server_after;
  s.unconfirmed = ev.unconfirmed;
  for (size_t which = 0; which < 2; ++which)
    for (uint8_t i = 0; i < ev.via[which].count; ++i)
      s.via[which].add(ev.via[which].states[i]);
  s.bad_checksum = p.tcp_checksum == ChecksumStatus::Bad;
  s.notes = ev.notes;
  const TcpOptions& o = t.options;
  s.has_ts = o.has_timestamps;
  s.ts_val = o.ts_val;
  s.ts_ecr = o.ts_ecr;
  s.first_check = static_cast<uint16_t>(r.checks.size());
  s.check_count = ev.check_count;
  r.checks.insert(r.checks.end(), ev.checks.begin(), ev.checks.begin() + ev.check_count);
  if (o.has_mss || o.has_window_scale || o.sack_permitted || o.sack_block_count != 0) {
    SegExtras& x = r.extras.emplace_back();
    s.extras = static_cast<uint16_t>(r.extras.size() - 1);
    if (o.has_mss) x.mss = o.mss;
    if (o.has_window_scale) x.wscale = o.window_scale;
    x.sack_perm = o.sack_permitted;
    x.sack_count = o.sack_block_count;
    const uint32_t sack_base = t.ack - ev.rel_ack;  // SACK edges are in the ack's space
    for (uint8_t i = 0; i < o.sack_block_count && i < x.sack.size(); ++i)
      x.sack[i] = SackBlock{o.sack_blocks[i].left - sack_base, o.sack_blocks[i].right - sack_base};
  }
  // Both sides done: the connection will most likely send nothing more, but it is kept
  // until TIME_WAIT ends (a minute), and on a busy capture most connections are in that
  // wait at once. What the vectors reserved for growth is given back then, once (a peer
  // that keeps sending would otherwise cost a copy of the rows a segment).
  const bool done = is_done(s.client) && is_done(s.server);
  const SegRecord* before = r.rows.size() > 1 ? &r.rows[r.rows.size() - 2] : nullptr;
  if (done && !(before && is_done(before->client) && is_done(before->server))) {
    r.rows.shrink_to_fit();
    r.checks.shrink_to_fit();
    r.extras.shrink_to_fit();
  }
}

void ConnRecorder::on_timer(const TimerEvent& ev) {
  auto it = records_.find(ev.conn_id);
  if (it == records_.end() || it->second.rows.empty()) return;
  ConnRecord& r = it->second;
  if (r.rows.size() >= cap_) {
    ++r.dropped;
    return;
  }
  SegRecord s = r.rows.back();
  s.timer = true;
  s.timer_note = ev.note;
  s.rel_ts_ns = ev.rel_ts_ns;
  s.dir = ev.client_side ? Direction::ClientToServer : Direction::ServerToClient;
  (ev.client_side ? s.client : s.server) = ev.after;
  s.notes = NoteSet{};
  s.check_count = 0;
  s.via = {};
  r.rows.push_back(s);
}

void ConnRecorder::on_icmp(const IcmpEvent& ev) {
  if (ev.conn_id == 0) return;
  ConnRecord& r = records_[ev.conn_id];
  if (r.rows.size() >= cap_) {
    ++r.dropped;
    return;
  }
  SegRecord s;
  s.frame = ev.frame;
  s.timer = true;
  s.timer_note = Note::IcmpUnreachable;
  s.rel_ts_ns = ev.rel_ts_ns;
  s.client = ev.client_state;
  s.server = ev.server_state;
  r.rows.push_back(s);
}

void ConnRecorder::on_revision(const RevisionEvent& ev) {
  if (auto it = records_.find(ev.conn_id); it != records_.end())
    apply_revision(it->second.rows, ev);
}

ConnRecord ConnRecorder::take(const ConnectionSummary& c) {
  ConnRecord r;
  if (auto it = records_.find(c.id); it != records_.end()) {
    r = std::move(it->second);
    records_.erase(it);
  }
  // Every state change comes with a record (a segment's, a timer's or an ICMP error's, with
  // the states passed through on the way), and a connection's records come all or not at
  // all: the filter's hold limit can give up a connection's segments and still show its
  // end. Such a connection still shows where each side got to, as one end-of-capture record.
  if (r.rows.empty() && r.dropped == 0) {
    for (const StatePath* path : {&c.client.path, &c.server.path})
      if (path->size() == 0 || path->truncated()) return r;
    SegRecord end;
    end.timer = true;
    end.timer_note = Note::Count_;
    for (size_t which = 0; which < 2; ++which) {
      const StatePath& path = which == 0 ? c.client.path : c.server.path;
      for (size_t k = 1; k + 1 < path.size(); ++k)
        end.via[which].add(path[k]);
      (which == 0 ? end.client : end.server) = path.back();
    }
    if (c.client.path.size() > 1 || c.server.path.size() > 1) r.rows.push_back(end);
  }
  return r;
}

bool is_socket_moment(Note n) {
  switch (n) {
    case Note::ConnectReturns:
    case Note::AcceptReturns:
    case Note::ReadReturnsZero:
    case Note::ConnectionRefused:
    case Note::ConnectionReset:
      return true;
    default:
      return false;
  }
}

}  // namespace tcpinspect::core::render
