// SPDX-License-Identifier: MIT
#include "core/render/conn_record.hpp"

namespace tcpinspect::core::render {

void ConnRecorder::on_segment(const SegmentEvent& ev) {
  ConnRecord& r = records_[ev.conn_id];
  const bool c2s = ev.dir == Direction::ClientToServer;
  if (ev.revised && !r.rows.empty() && r.dropped == 0) {
    // The sender had not really received the peer's SYN/FIN (or was never listening):
    // its margin goes back to what it was since the provisional change (as the ladder).
    TcpState SegRecord::*side = c2s ? &SegRecord::client : &SegRecord::server;
    const TcpState shown = r.rows.back().*side;
    const TcpState real = c2s ? ev.client_before : ev.server_before;
    for (auto it = r.rows.rbegin(); it != r.rows.rend() && (*it).*side == shown; ++it)
      (*it).*side = real;
  }
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
  s.bad_checksum = p.tcp_checksum == ChecksumStatus::Bad;
  s.notes = ev.notes;
  s.checks = ev.checks;
  s.check_count = ev.check_count;
  const TcpOptions& o = t.options;
  if (o.has_mss) s.mss = o.mss;
  if (o.has_window_scale) s.wscale = o.window_scale;
  s.sack_perm = o.sack_permitted;
  s.has_ts = o.has_timestamps;
  s.ts_val = o.ts_val;
  s.ts_ecr = o.ts_ecr;
  s.sack_count = o.sack_block_count;
  const uint32_t sack_base = t.ack - ev.rel_ack;  // SACK edges are in the ack's space
  for (uint8_t i = 0; i < o.sack_block_count && i < s.sack.size(); ++i)
    s.sack[i] = SackBlock{o.sack_blocks[i].left - sack_base, o.sack_blocks[i].right - sack_base};
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

namespace {

// Walks one side's rows along its state path (the truth, revised in hindsight).
void reconcile_side(ConnRecord& r, const StatePath& path, TcpState SegRecord::*side, size_t which) {
  size_t at = 0;  // index in path of the state shown so far
  for (SegRecord& row : r.rows) {
    const TcpState s = row.*side;
    if (s == path[at]) continue;
    size_t j = at + 1;
    while (j < path.size() && path[j] != s)
      ++j;
    if (j == path.size()) {
      row.*side = path[at];  // provisional, never real
      continue;
    }
    for (size_t k = at + 1; k < j && row.via_count[which] < row.via[which].size(); ++k)
      row.via[which][row.via_count[which]++] = path[k];
    at = j;
  }
  if (at + 1 < path.size()) {
    // Reached after the last record: one more record, at the end of the capture.
    if (r.rows.empty() || !r.rows.back().timer || r.rows.back().timer_note != Note::Count_) {
      SegRecord end = r.rows.empty() ? SegRecord{} : r.rows.back();
      end.timer = true;
      end.timer_note = Note::Count_;
      end.notes = NoteSet{};
      end.check_count = 0;
      end.via_count = {0, 0};
      end.unconfirmed = 0;
      r.rows.push_back(end);
    }
    SegRecord& end = r.rows.back();
    for (size_t k = at + 1; k + 1 < path.size() && end.via_count[which] < end.via[which].size();
         ++k)
      end.via[which][end.via_count[which]++] = path[k];
    end.*side = path.back();
  }
}

}  // namespace

ConnRecord ConnRecorder::take(const ConnectionSummary& c) {
  ConnRecord r;
  if (auto it = records_.find(c.id); it != records_.end()) {
    r = std::move(it->second);
    records_.erase(it);
  }
  // A truncated path, or one whose records were capped, cannot be walked faithfully.
  if (r.dropped || c.client.path.truncated() || c.server.path.truncated() ||
      c.client.path.size() == 0 || c.server.path.size() == 0)
    return r;
  reconcile_side(r, c.client.path, &SegRecord::client, 0);
  reconcile_side(r, c.server.path, &SegRecord::server, 1);
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
