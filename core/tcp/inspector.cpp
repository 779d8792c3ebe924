// SPDX-License-Identifier: MIT
#include "core/tcp/inspector.hpp"

#include <algorithm>
#include <utility>
#include <vector>

#include "core/tcp/confirmation.hpp"
#include "core/tcp/connection_summary.hpp"
#include "core/tcp/connection_table.hpp"
#include "core/tcp/segment_analyzer.hpp"
#include "core/tcp/undo.hpp"
#include "core/wire/flow_key.hpp"

namespace tcpinspect::core {
namespace {

// How long a connection whose both sides are CLOSED (after an RST, or a refused SYN) is
// kept so stray late segments still land on it; Zeek's tcp_close_delay is also 5 s.
constexpr int64_t kCloseLinger = 5'000'000'000;

// The capture time at which this connection next needs attention.
int64_t next_deadline(const Connection& c, const InspectorConfig& cfg) {
  int64_t due = c.last_ts + cfg.idle_timeout_ns;
  const int64_t tw = next_time_wait_expiry(c, 2 * cfg.msl_ns);
  if (tw >= 0 && tw < due) due = tw;
  if (c.closed_since >= 0) {
    const int64_t linger = c.closed_via_time_wait ? c.closed_since : c.closed_since + kCloseLinger;
    if (linger < due) due = linger;
  }
  return due;
}

}  // namespace

Inspector::Inspector(const InspectorConfig& config, EventSink& sink)
    : config_(config),
      sink_(sink),
      table_(std::make_unique<ConnectionTable>(config.max_connections)),
      held_(std::make_unique<ConfirmationBuffer>(sink)),
      segments_wanted_(sink.wants_segments()) {}

Inspector::~Inspector() = default;

void Inspector::end_connection(uint32_t slot) {
  Connection& c = table_->at(slot);
  close_out(c);
  table_->erase(slot);
}

void Inspector::close_out(Connection& c) {
  Revision rev;
  if (finalize_connection(c, rev)) held_->revise(c, rev);
  held_->release(c);
  sink_.on_connection_end(summarize(c));
}

void Inspector::release_held_as_of(int64_t now_ns) {
  held_->release_before(now_ns - config_.hold_ns);
}

void Inspector::emit_timers(uint32_t slot, int64_t now) {
  Connection& c = table_->at(slot);
  TimerEvent timers[2];
  const int n = expire_time_wait(c, now, 2 * config_.msl_ns, timers);
  if (n) held_->release(c);  // the segments before the timer come first
  for (int i = 0; i < n; ++i) {
    timers[i].rel_ts_ns = timers[i].ts_ns - stats_.first_ts;
    sink_.on_timer(timers[i]);
  }
}

void Inspector::run_deadlines(int64_t now) {
  for (uint32_t slot = table_->pop_due(now); slot != ConnectionTable::kNone;
       slot = table_->pop_due(now)) {
    Connection& c = table_->at(slot);
    emit_timers(slot, now);
    const bool idle = now - c.last_ts >= config_.idle_timeout_ns;
    const bool linger_over =
        c.closed_since >= 0 && (c.closed_via_time_wait || now - c.closed_since >= kCloseLinger);
    if (idle || linger_over) {
      if (idle && !linger_over) ++stats_.idle_expired;
      end_connection(slot);
    } else {
      table_->schedule(slot, next_deadline(c, config_));
    }
  }
}

uint32_t Inspector::open_connection(const FlowKey& key) {
  if (table_->size() >= table_->capacity()) {
    // The cap holds whatever the capture does: the least recently active one goes.
    const uint32_t victim = table_->least_recent();
    table_->at(victim).evicted = true;
    ++stats_.evicted;
    end_connection(victim);
  }
  const uint32_t slot = table_->insert(key);
  ++stats_.connections;
  if (table_->size() > stats_.peak_connections) stats_.peak_connections = table_->size();
  return slot;
}

void Inspector::feed(std::span<const DecodedFrame> frames) {
  if (finished_) return;
  // The lookahead below reads frames a few ahead; their first line is asked for further
  // ahead still, since it usually sits in the decoding thread's cache.
  constexpr size_t kFrameAhead = 32;
  table_->visit_prefetched(
      frames.size(),
      [&](size_t i) {
        if (i + kFrameAhead < frames.size()) __builtin_prefetch(&frames[i + kFrameAhead]);
        return frames[i].packet.result == DecodeResult::Tcp ? &frames[i].hash : nullptr;
      },
      [&](size_t i) { process(frames[i]); });
}

void Inspector::process(const DecodedFrame& d) {
  const Frame& frame = d.frame;
  const DecodedPacket& packet = d.packet;
  if (stats_.frames == 0) stats_.first_ts = frame.ts_ns;
  ++stats_.frames;
  stats_.last_ts = frame.ts_ns;
  run_deadlines(frame.ts_ns);

  switch (packet.result) {
    case DecodeResult::Tcp:
      on_tcp(frame, packet, d.key, d.hash);
      return;
    case DecodeResult::IcmpUnreachable:
      on_icmp(frame, packet);
      return;
    case DecodeResult::NotTcp:
      ++stats_.not_tcp;
      return;
    case DecodeResult::NonFirstFragment:
      ++stats_.non_first_fragments;
      break;
    case DecodeResult::Truncated:
      ++stats_.truncated;
      break;
    case DecodeResult::Malformed:
    case DecodeResult::UnsupportedLink:
      ++stats_.malformed;
      break;
  }
  ProblemEvent ev;
  ev.frame = frame.index;
  ev.ts_ns = frame.ts_ns;
  ev.rel_ts_ns = frame.ts_ns - stats_.first_ts;
  ev.result = packet.result;
  ev.problem = packet.problem;
  ev.packet = &packet;
  sink_.on_problem(ev);
}

void Inspector::on_tcp(const Frame& frame, const DecodedPacket& packet, const FlowKey& key,
                       uint64_t hash) {
  ++stats_.tcp_segments;
  if (packet.tcp_checksum == ChecksumStatus::Bad) ++stats_.bad_checksums;
  const int64_t ts = frame.ts_ns;
  const uint16_t flags = packet.tcp.flags;
  const bool bare_syn = (flags & kSyn) && !(flags & (kAck | kRst));

  bool reused = false;
  uint32_t slot = table_->find(key, hash);
  if (slot != ConnectionTable::kNone) {
    emit_timers(slot, ts);
    Connection& old = table_->at(slot);
    // A new SYN on a four-tuple whose connection is over (or in TIME_WAIT) starts a new
    // connection, unless it is the old SYN again.
    const Direction d = direction_of(old, packet);
    const Endpoint& s = old.sender(d);
    auto done = [](TcpState st) { return st == TcpState::Closed || st == TcpState::TimeWait; };
    if (bare_syn && done(old.client.state) && done(old.server.state) &&
        !(s.syn_seen && s.isn == packet.tcp.seq)) {
      end_connection(slot);
      slot = ConnectionTable::kNone;
      reused = true;
    }
  }
  const bool fresh = slot == ConnectionTable::kNone;
  if (fresh) {
    slot = open_connection(key);
    start_connection(table_->at(slot), static_cast<uint32_t>(stats_.connections), packet, ts);
  }
  Connection& c = table_->at(slot);
  table_->touch(slot);

  SegmentEvent ev;
  ev.frame = frame.index;
  ev.ts_ns = ts;
  ev.rel_ts_ns = ts - stats_.first_ts;
  if (reused) ev.notes.add(Note::PortReuse);
  const TcpState tw_client = c.client.state, tw_server = c.server.state;
  const int64_t closed_before = c.closed_since;
  analyze_segment(c, direction_of(c, packet), packet, ts, ev);
  if (segments_wanted_) held_->on_segment(c, ev);
  // The hold is coarse (seconds): look at what is due once per millisecond of capture time.
  if (ts >= next_hold_check_ && held_->holding()) {
    release_held_as_of(ts);
    next_hold_check_ = ts + 1'000'000;
  }
  // Wake up again when something is due: at creation (idle), or when this segment started
  // TIME_WAIT or closed both sides.
  if (fresh || (c.client.state != tw_client && c.client.state == TcpState::TimeWait) ||
      (c.server.state != tw_server && c.server.state == TcpState::TimeWait) ||
      (closed_before < 0 && c.closed_since >= 0))
    table_->schedule(slot, next_deadline(c, config_));
}

void Inspector::on_icmp(const Frame& frame, const DecodedPacket& packet) {
  ++stats_.icmp_unreachable;
  const IcmpQuote& q = packet.icmp;
  bool src_is_lo = false;
  const FlowKey key =
      make_flow_key(q.quoted_src, q.quoted_src_port, q.quoted_dst, q.quoted_dst_port, src_is_lo);
  IcmpEvent ev;
  ev.frame = frame.index;
  ev.ts_ns = frame.ts_ns;
  ev.rel_ts_ns = frame.ts_ns - stats_.first_ts;
  ev.packet = &packet;
  const uint32_t slot = table_->find(key);
  if (slot != ConnectionTable::kNone) {
    Connection& c = table_->at(slot);
    const Direction d = (q.quoted_src_port == c.client.port && q.quoted_src == c.client.addr)
                            ? Direction::ClientToServer
                            : Direction::ServerToClient;
    ev.errno_name = apply_icmp_unreachable(c, d, q, packet.ip_version == 6);
    ev.conn_id = c.id;
    // The SYN the ICMP error answers never reached a listener.
    if (Revision rev; settle_unanswered_syn(c, rev)) held_->revise(c, rev);
    held_->release(c);
    ev.client_state = c.client.state;
    ev.server_state = c.server.state;
    c.last_ts = frame.ts_ns;
    table_->touch(slot);
    if (both_closed(c) && c.closed_since < 0) {
      c.closed_since = frame.ts_ns;
      table_->schedule(slot, next_deadline(c, config_));
    }
  }
  sink_.on_icmp(ev);
}

void Inspector::finish() {
  if (finished_) return;
  finished_ = true;
  // TIME_WAIT that would have ended within the capture already did (run_deadlines); the
  // rest is still open: summaries in order of connection id.
  // Sorted as (id, slot) pairs, so the comparisons do not chase ~100,000 nodes at random.
  std::vector<std::pair<uint32_t, uint32_t>> order;
  order.reserve(table_->size());
  table_->for_each([&](uint32_t slot) { order.emplace_back(table_->at(slot).id, slot); });
  std::sort(order.begin(), order.end());
  // The table is discarded with the inspector, so the connections are not erased one by one.
  table_->visit_slots_prefetched(
      order.size(), [&](size_t i) { return order[i].second; },
      [&](size_t i) { close_out(table_->at(order[i].second)); });
  sink_.on_finish(stats_);
}

}  // namespace tcpinspect::core
