// SPDX-License-Identifier: MIT
// Builds hand-written TCP conversations as raw IPv4 frames and runs them through the
// Inspector, recording what it concluded. Sequence numbers are written relative to each
// side's ISN so every scenario can be replayed at ISNs near 2^32.
#pragma once
#include <array>
#include <cstdint>
#include <string>
#include <vector>

#include "core/tcp/inspector.hpp"
#include "core/wire/frame.hpp"
#include "core/wire/ip_format.hpp"

namespace scenario {

using namespace tcpinspect::core;

enum class Side { Client, Server };
constexpr Side C = Side::Client;
constexpr Side S = Side::Server;

struct Seg {
  Side from;
  uint16_t flags;
  uint32_t seq_off;  // seq = sender's ISN + seq_off
  uint32_t ack_off;  // ack = receiver's ISN + ack_off (ignored without ACK)
  uint32_t len = 0;
  int64_t t_ms = 0;  // capture time in milliseconds since the first frame
  uint16_t window = 1000;
  uint8_t ttl = 64;                   // IPv4 TTL
  uint16_t ip_id = 0;                 // IPv4 ID (sent with DF set)
  std::vector<uint8_t> options = {};  // raw TCP options, padded to 4 bytes with NOPs
  uint16_t client_port = 0;           // 0: kClientPort; another one is another connection
};

/// A TCP Fast Open option (kind 34, RFC 7413) with `cookie_len` cookie bytes; 0 = request.
inline std::vector<uint8_t> tfo_option(uint8_t cookie_len) {
  std::vector<uint8_t> o{34, static_cast<uint8_t>(2 + cookie_len)};
  for (uint8_t i = 0; i < cookie_len; ++i)
    o.push_back(static_cast<uint8_t>(0xa0 + i));
  return o;
}

/// One raw IPv4+TCP frame (LinkType::Raw) with correct checksums.
inline std::vector<uint8_t> ipv4_tcp_frame(uint32_t src, uint32_t dst, uint16_t sport,
                                           uint16_t dport, uint32_t seq, uint32_t ack,
                                           uint16_t flags, uint16_t window, uint32_t len,
                                           uint8_t ttl = 64, uint16_t ip_id = 0,
                                           std::vector<uint8_t> options = {}) {
  while (options.size() % 4)
    options.push_back(1);  // NOP
  const uint32_t hdr = 20 + static_cast<uint32_t>(options.size());
  std::vector<uint8_t> f(20 + hdr + len, 0);
  auto put16 = [&](size_t at, uint32_t v) {
    f[at] = static_cast<uint8_t>(v >> 8);
    f[at + 1] = static_cast<uint8_t>(v);
  };
  auto put32 = [&](size_t at, uint32_t v) {
    put16(at, v >> 16);
    put16(at + 2, v & 0xFFFF);
  };
  f[0] = 0x45;               // version 4, IHL 5
  put16(2, 20 + hdr + len);  // total length
  put16(4, ip_id);
  f[6] = 0x40;  // DF
  f[8] = ttl;
  f[9] = 6;  // protocol TCP
  put32(12, src);
  put32(16, dst);
  put16(20, sport);
  put16(22, dport);
  put32(24, seq);
  put32(28, ack);
  f[32] = static_cast<uint8_t>((hdr / 4) << 4 | ((flags >> 8) & 1));  // data offset, AE bit
  f[33] = static_cast<uint8_t>(flags);
  put16(34, window);
  for (size_t i = 0; i < options.size(); ++i)
    f[40 + i] = options[i];
  for (uint32_t i = 0; i < len; ++i)
    f[20 + hdr + i] = static_cast<uint8_t>('a' + i % 26);
  auto sum = [&](size_t from, size_t to, uint32_t acc) {
    for (size_t i = from; i < to; i += 2)
      acc += static_cast<uint32_t>(f[i] << 8 | (i + 1 < to ? f[i + 1] : 0));
    return acc;
  };
  auto fold = [](uint32_t acc) {
    while (acc >> 16)
      acc = (acc & 0xFFFF) + (acc >> 16);
    return static_cast<uint16_t>(~acc);
  };
  put16(10, fold(sum(0, 20, 0)));
  uint32_t pseudo = (src >> 16) + (src & 0xFFFF) + (dst >> 16) + (dst & 0xFFFF) + 6 + hdr + len;
  put16(36, fold(sum(20, f.size(), pseudo)));
  return f;
}

struct SegmentRecord {
  uint64_t frame;
  uint32_t conn;
  Direction dir;
  TcpState client_before, client_after, server_before, server_after;
  uint32_t rel_seq, rel_ack;
  int64_t seq_off, ack_off;
  std::vector<std::string> notes;
  std::vector<std::pair<std::string, bool>> checks;
  RetransmissionEvidence retransmission;
  ForgedRstEvidence forged_rst;
  bool revised = false;
  uint8_t unconfirmed = 0;  // bit 0 client, bit 1 server
  uint32_t client_isn = 0, server_isn = 0;
  std::array<std::vector<TcpState>, 2> via{};  // SegmentEvent::via: [0] client, [1] server
};

struct ConnectionRecord {
  uint32_t id;
  std::vector<std::string> client_path, server_path;
  std::string close, conn_state, history;
  uint32_t client_isn, server_isn;
  bool inferred, evicted;
  std::string client, server;
};

struct TimerRecord {
  uint32_t conn;
  bool client_side;
  int64_t rel_ts_ns;
};

class Recorder final : public EventSink {
 public:
  std::vector<SegmentRecord> segments;
  std::vector<ConnectionRecord> connections;
  std::vector<ConnectionSummary> summaries;  // as given, in the order connections ended
  std::vector<TimerRecord> timers;
  std::vector<RevisionEvent> revisions;  // corrections of records already handed on
  std::vector<std::string> icmp_errnos;
  InspectorStats stats;

  void on_segment(const SegmentEvent& ev) override {
    SegmentRecord r{ev.frame,
                    ev.conn_id,
                    ev.dir,
                    ev.client_before,
                    ev.client_after,
                    ev.server_before,
                    ev.server_after,
                    ev.rel_seq,
                    ev.rel_ack,
                    ev.seq_off,
                    ev.ack_off,
                    {},
                    {},
                    ev.retransmission,
                    ev.forged_rst};
    r.revised = ev.revised;
    r.unconfirmed = ev.unconfirmed;
    r.client_isn = ev.client_isn;
    r.server_isn = ev.server_isn;
    for (size_t side = 0; side < 2; ++side)
      for (uint8_t i = 0; i < ev.via[side].count; ++i)
        r.via[side].push_back(ev.via[side].states[i]);
    ev.notes.for_each([&](Note n) { r.notes.emplace_back(note_id(n)); });
    for (uint8_t i = 0; i < ev.check_count; ++i)
      r.checks.emplace_back(std::string(check_id(ev.checks[i].kind)), ev.checks[i].ok);
    segments.push_back(std::move(r));
  }
  void on_timer(const TimerEvent& ev) override {
    timers.push_back({ev.conn_id, ev.client_side, ev.rel_ts_ns});
  }
  void on_icmp(const IcmpEvent& ev) override { icmp_errnos.emplace_back(ev.errno_name); }
  void on_revision(const RevisionEvent& ev) override { revisions.push_back(ev); }
  void on_connection_end(const ConnectionSummary& c) override {
    ConnectionRecord r;
    r.id = c.id;
    for (size_t i = 0; i < c.client.path.size(); ++i)
      r.client_path.emplace_back(state_name(c.client.path[i]));
    for (size_t i = 0; i < c.server.path.size(); ++i)
      r.server_path.emplace_back(state_name(c.server.path[i]));
    r.close = close_kind_id(c.close);
    r.conn_state = c.zeek.conn_state;
    r.history = c.zeek.history();
    r.client_isn = c.client.isn;
    r.server_isn = c.server.isn;
    r.inferred = c.inferred;
    r.evicted = c.evicted;
    r.client = endpoint_to_string(c.client.addr, c.client.port);
    r.server = endpoint_to_string(c.server.addr, c.server.port);
    connections.push_back(std::move(r));
    summaries.push_back(c);
  }
  void on_finish(const InspectorStats& s) override { stats = s; }

  const ConnectionRecord& conn(uint32_t id) const {
    for (const auto& c : connections)
      if (c.id == id) return c;
    static ConnectionRecord none;
    return none;
  }
  bool has_note(size_t segment, const std::string& note) const {
    for (const auto& n : segments.at(segment).notes)
      if (n == note) return true;
    return false;
  }
};

inline constexpr uint32_t kClientIp = 0xC000020A;  // 192.0.2.10
inline constexpr uint32_t kServerIp = 0xC6336414;  // 198.51.100.20
inline constexpr uint16_t kClientPort = 40000;
inline constexpr uint16_t kServerPort = 80;

/// Decodes one raw-IP frame and analyses it, as a live capture does frame by frame.
inline void feed_frame(Inspector& inspector, const Frame& frame) {
  DecodedFrame d;
  decode_frame(LinkType::Raw, frame, d);
  inspector.feed({&d, 1});
}

/// Feeds `segs` to an Inspector reporting to `sink`: one four-tuple conversation (per client
/// port) with ISNs x (client) and y (server), frames numbered from 1.
inline void play_into(EventSink& sink, const std::vector<Seg>& segs, uint32_t x, uint32_t y,
                      InspectorConfig config = {}, uint16_t server_port = kServerPort) {
  Inspector inspector(config, sink);
  uint64_t frame = 0;
  const int64_t t0 = 1'700'000'000'000'000'000;
  for (const Seg& s : segs) {
    const bool c = s.from == Side::Client;
    const uint32_t own = c ? x : y, peer = c ? y : x;
    const uint16_t client_port = s.client_port ? s.client_port : kClientPort;
    auto bytes = ipv4_tcp_frame(c ? kClientIp : kServerIp, c ? kServerIp : kClientIp,
                                c ? client_port : server_port, c ? server_port : client_port,
                                own + s.seq_off, (s.flags & kAck) ? peer + s.ack_off : 0, s.flags,
                                s.window, s.len, s.ttl, s.ip_id, s.options);
    feed_frame(inspector,
               Frame{++frame, t0 + s.t_ms * 1'000'000, bytes, static_cast<uint32_t>(bytes.size())});
  }
  inspector.finish();
}

/// Runs `segs` as one four-tuple conversation with ISNs x (client) and y (server).
inline Recorder run(const std::vector<Seg>& segs, uint32_t x, uint32_t y,
                    InspectorConfig config = {}, uint16_t server_port = kServerPort) {
  Recorder rec;
  play_into(rec, segs, x, y, config, server_port);
  return rec;
}

/// A client's SYN, then (1.7 s later, past the 1.5 s hold) a segment of another connection
/// that hands the SYN's record on, then at 2 s the server's own SYN, which crossed the
/// client's: the correction of the SYN's record comes after it went out.
inline const std::vector<Seg> kCrossingSynAfterTheHold = {
    {C, kSyn, 0, 0, 0, 0},
    {.from = C, .flags = kSyn, .seq_off = 0, .ack_off = 0, .t_ms = 1700, .client_port = 40001},
    {S, kSyn, 0, 0, 0, 2000},  // crossed the client's SYN on the wire
    {C, kSyn | kAck, 0, 1, 0, 2001},
    {S, kSyn | kAck, 0, 1, 0, 2002},
    {C, kAck, 1, 1, 0, 2003},
};

inline std::vector<std::string> states(std::initializer_list<const char*> names) {
  return {names.begin(), names.end()};
}

}  // namespace scenario
