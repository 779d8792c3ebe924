// SPDX-License-Identifier: MIT
// gen_bench_capture OUT.pcap [--packets N] [--active N] [--seed S]
//
// Writes a large, deterministic Ethernet pcap for benchmarks (bench/run.sh): many TCP
// connections interleaved in time (about --active at once), with handshakes, request/response
// data, FIN closes (client first, server first, three-segment), RST closes, refused SYNs,
// unanswered SYNs, half-open scans, retransmissions with duplicate ACKs, and 10% IPv6. Every
// IPv4 and TCP checksum is valid.
//
// Speed matters more than elegance here (it must write millions of frames in seconds), so
// frames are written as raw bytes with a small checksum routine, not built as libtins PDUs.
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <queue>
#include <string>
#include <vector>

#include "core/wire/seq.hpp"

namespace {

constexpr int64_t kEpochSeconds = 1704067200;  // 2024-01-01 00:00:00 UTC
constexpr uint16_t kMss = 1448;                // payload per full segment with timestamps
constexpr uint16_t kFin = 0x01, kSyn = 0x02, kRst = 0x04, kPsh = 0x08, kAck = 0x10;

// splitmix64: small, fast, and the same sequence on every platform.
class Rng {
 public:
  explicit Rng(uint64_t seed) : state_(seed) {}
  uint64_t next() {
    uint64_t z = (state_ += 0x9e3779b97f4a7c15ULL);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
    return z ^ (z >> 31);
  }
  /// Uniform in [lo, hi].
  int64_t range(int64_t lo, int64_t hi) {
    return lo + static_cast<int64_t>(next() % static_cast<uint64_t>(hi - lo + 1));
  }
  bool chance(double p) { return static_cast<double>(next() >> 11) * 0x1.0p-53 < p; }

 private:
  uint64_t state_;
};

enum class Opt : uint8_t { None, Timestamps, Syn };

/// One segment of a connection's script; times are absolute microseconds.
struct Pkt {
  int64_t t = 0;
  bool from_client = true;
  uint16_t flags = 0;
  uint32_t seq = 0;
  uint32_t ack = 0;
  uint16_t len = 0;
  uint16_t window = 0;
  Opt opt = Opt::Timestamps;
};

struct Conn {
  bool v6 = false;
  uint8_t client_ip[16] = {};
  uint8_t server_ip[16] = {};
  uint16_t client_port = 0;
  uint16_t server_port = 0;
  uint32_t client_ts = 0;
  uint32_t server_ts = 0;
  uint16_t client_ip_id = 0;
  uint16_t server_ip_id = 0;
  uint32_t flow_label = 0;
  int64_t rtt = 0;
  std::vector<Pkt> script;
  size_t next = 0;
};

struct Stats {
  uint64_t packets = 0;
  uint64_t bytes = 0;
  uint64_t connections = 0;
  uint64_t handshakes = 0;
  uint64_t fin_closes = 0;
  uint64_t rst_closes = 0;
  uint64_t refused = 0;
  uint64_t unanswered = 0;
  uint64_t scans = 0;
  uint64_t retransmissions = 0;
  uint64_t ipv6 = 0;
};

// Builds a connection's whole script at once, walking a time cursor forward.
class ScriptBuilder {
 public:
  ScriptBuilder(Conn& c, int64_t start, uint32_t client_isn, uint32_t server_isn)
      : c_(c), t_(start), cn_(client_isn), sn_(server_isn) {}

  void client(uint16_t flags, uint16_t len = 0, Opt opt = Opt::Timestamps) {
    push(true, flags, cn_, (flags & kAck) ? sn_ : 0, len, opt);
    cn_ += tcpinspect::core::seq::seg_len(flags, len);
  }
  void server(uint16_t flags, uint16_t len = 0, Opt opt = Opt::Timestamps) {
    push(false, flags, sn_, (flags & kAck) ? cn_ : 0, len, opt);
    sn_ += tcpinspect::core::seq::seg_len(flags, len);
  }
  void push(bool from_client, uint16_t flags, uint32_t seq, uint32_t ack, uint16_t len, Opt opt) {
    Pkt p;
    p.t = t_;
    p.from_client = from_client;
    p.flags = flags;
    p.seq = seq;
    p.ack = ack;
    p.len = len;
    p.opt = opt;
    if (flags & kSyn)
      p.window = from_client ? 64240 : 65160;
    else if (flags & kRst)
      p.window = 0;
    else
      p.window = from_client ? 502 : 235;
    c_.script.push_back(p);
  }
  void wait(int64_t us) { t_ += us; }
  uint32_t client_nxt() const { return cn_; }
  uint32_t server_nxt() const { return sn_; }
  int64_t now() const { return t_; }

 private:
  Conn& c_;
  int64_t t_;
  uint32_t cn_;
  uint32_t sn_;
};

void build_normal(Conn& c, Rng& rng, ScriptBuilder& b, Stats& st) {
  const int64_t rtt = c.rtt;
  const int64_t rto = 200000 + rtt;  // Linux: SRTT + max(4 * RTTVAR, 200 ms)
  b.client(kSyn, 0, Opt::Syn);
  b.wait(rtt);
  b.server(kSyn | kAck, 0, Opt::Syn);
  b.wait(rng.range(20, 80));
  b.client(kAck);
  ++st.handshakes;

  const int rounds = static_cast<int>(rng.range(1, 4));
  for (int r = 0; r < rounds; ++r) {
    b.wait(rng.range(50, 20000));
    const uint16_t req = static_cast<uint16_t>(rng.range(60, 700));
    const uint32_t req_seq = b.client_nxt();
    b.client(kPsh | kAck, req);
    if (rng.chance(0.01)) {  // request lost past the tap: resent when the RTO fires
      b.wait(rto);
      b.push(true, kPsh | kAck, req_seq, b.server_nxt(), req, Opt::Timestamps);
      ++st.retransmissions;
    }
    b.wait(rtt + rng.range(30, 800));
    const int kind = static_cast<int>(rng.range(0, 99));
    uint32_t total = kind < 60   ? static_cast<uint32_t>(rng.range(80, 1400))
                     : kind < 95 ? static_cast<uint32_t>(rng.range(1500, 9000))
                                 : static_cast<uint32_t>(rng.range(9000, 40000));
    int unacked = 0;
    while (total > 0) {
      const uint16_t len = static_cast<uint16_t>(total > kMss ? kMss : total);
      total -= len;
      const bool last = total == 0;
      const uint32_t seg_seq = b.server_nxt();
      b.server(last ? (kPsh | kAck) : kAck, len);
      ++unacked;
      if (rng.chance(0.02)) {
        // The ACK for it was lost: the server resends after the RTO and the client answers
        // with a duplicate ACK.
        b.wait(rto);
        b.push(false, kAck, seg_seq, b.client_nxt(), len, Opt::Timestamps);
        ++st.retransmissions;
        b.wait(rng.range(20, 60));
        b.client(kAck);
        unacked = 0;
      }
      if (unacked == 2 || last) {
        b.wait(rng.range(20, 60));
        b.client(kAck);
        unacked = 0;
      }
      b.wait(rng.range(8, 40));
    }
  }

  b.wait(rng.range(100, 30000));
  const int close = static_cast<int>(rng.range(0, 99));
  if (close < 35) {  // client FIN, server ACK, server FIN, client ACK
    b.client(kFin | kAck);
    b.wait(rtt);
    b.server(kAck);
    b.wait(rng.range(50, 500));
    b.server(kFin | kAck);
    b.wait(rng.range(20, 60));
    b.client(kAck);
    ++st.fin_closes;
  } else if (close < 60) {  // three-segment close
    b.client(kFin | kAck);
    b.wait(rtt);
    b.server(kFin | kAck);
    b.wait(rng.range(20, 60));
    b.client(kAck);
    ++st.fin_closes;
  } else if (close < 85) {  // server closes first
    b.server(kFin | kAck);
    b.wait(rng.range(20, 60));
    b.client(kAck);
    b.wait(rng.range(50, 2000));
    b.client(kFin | kAck);
    b.wait(rtt);
    b.server(kAck);
    ++st.fin_closes;
  } else {  // abort: RST+ACK from one side at its SND.NXT
    if (rng.chance(0.5))
      b.client(kRst | kAck);
    else
      b.server(kRst | kAck);
    ++st.rst_closes;
  }
}

void build_script(Conn& c, Rng& rng, int64_t start, Stats& st) {
  c.script.clear();
  c.next = 0;
  const uint32_t client_isn = static_cast<uint32_t>(rng.next());
  const uint32_t server_isn = static_cast<uint32_t>(rng.next());
  ScriptBuilder b(c, start, client_isn, server_isn);
  const int kind = static_cast<int>(rng.range(0, 99));
  if (kind < 84) {
    build_normal(c, rng, b, st);
  } else if (kind < 94) {  // refused: RST+ACK, seq 0, ack ISN+1, no options
    b.client(kSyn, 0, Opt::Syn);
    b.wait(c.rtt);
    b.push(false, kRst | kAck, 0, b.client_nxt(), 0, Opt::None);
    ++st.refused;
  } else if (kind < 97) {  // unanswered SYN, retransmitted at 1 s and 3 s
    b.client(kSyn, 0, Opt::Syn);
    for (int64_t gap : {1000000, 2000000}) {
      b.wait(gap);
      b.push(true, kSyn, client_isn, 0, 0, Opt::Syn);
      ++st.retransmissions;
    }
    ++st.unanswered;
  } else {  // half-open scan: SYN, SYN+ACK, bare RST
    b.client(kSyn, 0, Opt::Syn);
    b.wait(c.rtt);
    b.server(kSyn | kAck, 0, Opt::Syn);
    b.wait(rng.range(20, 80));
    b.push(true, kRst, b.client_nxt(), 0, 0, Opt::None);
    ++st.scans;
  }
}

void new_connection(Conn& c, Rng& rng, int64_t start, uint32_t serial, Stats& st) {
  c.v6 = rng.chance(0.10);
  std::memset(c.client_ip, 0, sizeof c.client_ip);
  std::memset(c.server_ip, 0, sizeof c.server_ip);
  // A bounded host population, as on a site's uplink: 1,024 IPv4 and 256 IPv6 clients, 200
  // servers, each making many connections. (A fresh random client per connection would also
  // be unfair to tcpdump, whose address-string cache hashes on the low 12 bits of the
  // address: 100,000 addresses in 10/8 turn it into lists thousands long.)
  const uint32_t client = static_cast<uint32_t>(rng.range(0, c.v6 ? 255 : 1023));
  const uint8_t server = static_cast<uint8_t>(rng.range(1, 200));
  if (c.v6) {
    const uint8_t client_prefix[8] = {0xfd, 0x00, 0x00, 0x00, 0x00, 0x01, 0x00, 0x00};
    const uint8_t server_prefix[8] = {0xfd, 0x00, 0x00, 0x00, 0x00, 0x02, 0x00, 0x00};
    std::memcpy(c.client_ip, client_prefix, 8);
    std::memcpy(c.server_ip, server_prefix, 8);
    Rng iid(client + 1);  // a stable random-looking interface identifier per client
    const uint64_t bits = iid.next();
    for (int i = 0; i < 8; ++i)
      c.client_ip[8 + i] = static_cast<uint8_t>(bits >> (8 * i));
    c.server_ip[15] = server;
    c.flow_label = static_cast<uint32_t>(rng.next()) & 0xfffff;
    ++st.ipv6;
  } else {
    c.client_ip[0] = 10;
    c.client_ip[1] = static_cast<uint8_t>(client & 0xff);
    c.client_ip[2] = static_cast<uint8_t>(client >> 8);
    c.client_ip[3] = static_cast<uint8_t>(1 + client % 250);
    c.server_ip[0] = 172;
    c.server_ip[1] = static_cast<uint8_t>(16 + server % 16);
    c.server_ip[2] = static_cast<uint8_t>(server / 16);
    c.server_ip[3] = server;
  }
  // Ports from a counter keep four-tuples of live connections distinct.
  c.client_port = static_cast<uint16_t>(32768 + serial % 28232);
  static const uint16_t kServerPorts[] = {80, 443, 443, 443, 22, 25, 8443, 8080, 3306, 5432};
  c.server_port = kServerPorts[rng.range(0, 9)];
  c.client_ts = static_cast<uint32_t>(rng.next());
  c.server_ts = static_cast<uint32_t>(rng.next());
  c.client_ip_id = static_cast<uint16_t>(rng.next());
  c.server_ip_id = static_cast<uint16_t>(rng.next());
  c.rtt = rng.range(300, 120000);
  build_script(c, rng, start, st);
  ++st.connections;
}

// One's complement sum of big-endian 16-bit words, unfolded (RFC 1071).
inline uint64_t sum16(const uint8_t* p, size_t n, uint64_t sum = 0) {
  while (n >= 2) {
    sum += static_cast<uint32_t>(p[0] << 8 | p[1]);
    p += 2;
    n -= 2;
  }
  if (n) sum += static_cast<uint32_t>(p[0] << 8);
  return sum;
}

inline uint16_t fold(uint64_t sum) {
  while (sum >> 16)
    sum = (sum & 0xffff) + (sum >> 16);
  return static_cast<uint16_t>(~sum & 0xffff);
}

inline void put16(uint8_t* p, uint32_t v) {
  p[0] = static_cast<uint8_t>(v >> 8);
  p[1] = static_cast<uint8_t>(v);
}
inline void put32(uint8_t* p, uint32_t v) {
  p[0] = static_cast<uint8_t>(v >> 24);
  p[1] = static_cast<uint8_t>(v >> 16);
  p[2] = static_cast<uint8_t>(v >> 8);
  p[3] = static_cast<uint8_t>(v);
}

class Writer {
 public:
  explicit Writer(const char* path) : file_(std::fopen(path, "wb")) {
    if (!file_) {
      failed_ = true;
      return;
    }
    buf_.reserve(kBuf + 2048);
    uint8_t hdr[24] = {};
    const uint32_t magic = 0xa1b2c3d4;  // written in host order, as libpcap does
    std::memcpy(hdr, &magic, 4);
    const uint16_t major = 2, minor = 4;
    std::memcpy(hdr + 4, &major, 2);
    std::memcpy(hdr + 6, &minor, 2);
    const uint32_t snaplen = 262144, linktype = 1;
    std::memcpy(hdr + 16, &snaplen, 4);
    std::memcpy(hdr + 20, &linktype, 4);
    buf_.insert(buf_.end(), hdr, hdr + 24);
  }
  ~Writer() { close(); }
  bool ok() const { return !failed_; }
  uint8_t* record(int64_t t_us, uint32_t len) {
    if (buf_.size() + 16 + len > kBuf) flush();
    const size_t at = buf_.size();
    buf_.resize(at + 16 + len);
    uint8_t* r = buf_.data() + at;
    const uint32_t sec = static_cast<uint32_t>(kEpochSeconds + t_us / 1000000);
    const uint32_t usec = static_cast<uint32_t>(t_us % 1000000);
    std::memcpy(r, &sec, 4);
    std::memcpy(r + 4, &usec, 4);
    std::memcpy(r + 8, &len, 4);
    std::memcpy(r + 12, &len, 4);
    return r + 16;
  }
  void close() {
    if (!file_) return;
    flush();
    if (std::fclose(file_) != 0) failed_ = true;
    file_ = nullptr;
  }

 private:
  static constexpr size_t kBuf = 8 << 20;
  void flush() {
    if (!buf_.empty() && std::fwrite(buf_.data(), 1, buf_.size(), file_) != buf_.size())
      failed_ = true;
    buf_.clear();
  }
  std::FILE* file_;
  std::vector<uint8_t> buf_;
  bool failed_ = false;
};

// Payloads always start at offset 0 of one fixed buffer, so the checksum of the first n
// bytes is precomputed for every n.
struct PayloadTable {
  uint8_t bytes[kMss + 1];
  uint64_t prefix_sum[kMss + 1];
  PayloadTable() {
    Rng rng(0x5eed);
    for (auto& b : bytes)
      b = static_cast<uint8_t>(0x20 + rng.next() % 95);
    prefix_sum[0] = 0;
    for (size_t n = 1; n <= kMss; ++n)
      prefix_sum[n] = sum16(bytes, n);
  }
};

const uint8_t kClientMac[6] = {0x02, 0x00, 0x00, 0x00, 0x00, 0x0a};
const uint8_t kRouterMac[6] = {0x02, 0x00, 0x00, 0x00, 0x00, 0x01};

void emit(Writer& w, Conn& c, const Pkt& p, const PayloadTable& payload, Stats& st) {
  const uint32_t opt_len = p.opt == Opt::Syn ? 20 : p.opt == Opt::Timestamps ? 12 : 0;
  const uint32_t tcp_len = 20 + opt_len + p.len;
  const uint32_t ip_hdr = c.v6 ? 40 : 20;
  const uint32_t frame_len = 14 + ip_hdr + tcp_len;
  uint8_t* f = w.record(p.t, frame_len);

  const uint8_t* src_ip = p.from_client ? c.client_ip : c.server_ip;
  const uint8_t* dst_ip = p.from_client ? c.server_ip : c.client_ip;
  std::memcpy(f, p.from_client ? kRouterMac : kClientMac, 6);
  std::memcpy(f + 6, p.from_client ? kClientMac : kRouterMac, 6);
  put16(f + 12, c.v6 ? 0x86dd : 0x0800);
  uint8_t* ip = f + 14;
  uint64_t pseudo = 0;
  if (c.v6) {
    put32(ip, 0x60000000u | c.flow_label);
    put16(ip + 4, tcp_len);
    ip[6] = 6;
    ip[7] = 64;
    std::memcpy(ip + 8, src_ip, 16);
    std::memcpy(ip + 24, dst_ip, 16);
    pseudo = sum16(ip + 8, 32) + tcp_len + 6;
  } else {
    ip[0] = 0x45;
    ip[1] = 0;
    put16(ip + 2, ip_hdr + tcp_len);
    put16(ip + 4, p.from_client ? c.client_ip_id++ : c.server_ip_id++);
    put16(ip + 6, 0x4000);  // DF
    ip[8] = 64;
    ip[9] = 6;
    put16(ip + 10, 0);
    std::memcpy(ip + 12, src_ip, 4);
    std::memcpy(ip + 16, dst_ip, 4);
    put16(ip + 10, fold(sum16(ip, 20)));
    pseudo = sum16(ip + 12, 8) + tcp_len + 6;
  }
  uint8_t* tcp = ip + ip_hdr;
  put16(tcp, p.from_client ? c.client_port : c.server_port);
  put16(tcp + 2, p.from_client ? c.server_port : c.client_port);
  put32(tcp + 4, p.seq);
  put32(tcp + 8, p.ack);
  put16(tcp + 12, ((20 + opt_len) / 4) << 12 | p.flags);
  put16(tcp + 14, p.window);
  put16(tcp + 16, 0);
  put16(tcp + 18, 0);
  // TSval ticks in milliseconds; TSecr echoes the peer's clock half a round trip ago.
  const uint32_t own = p.from_client ? c.client_ts : c.server_ts;
  const uint32_t peer = p.from_client ? c.server_ts : c.client_ts;
  const uint32_t ts_val = own + static_cast<uint32_t>(p.t / 1000);
  const uint32_t ts_ecr = ((p.flags & kSyn) && !(p.flags & kAck))
                              ? 0
                              : peer + static_cast<uint32_t>((p.t - c.rtt / 2) / 1000);
  uint8_t* o = tcp + 20;
  if (p.opt == Opt::Syn) {
    const uint8_t syn_opts[20] = {2, 4, 0x05, 0xb4, 4, 2, 8, 10, 0, 0,
                                  0, 0, 0,    0,    0, 0, 1, 3,  3, 7};
    std::memcpy(o, syn_opts, 20);
    if (c.v6) put16(o + 2, 1440);
    put32(o + 8, ts_val);
    put32(o + 12, ts_ecr);
  } else if (p.opt == Opt::Timestamps) {
    o[0] = 1;
    o[1] = 1;
    o[2] = 8;
    o[3] = 10;
    put32(o + 4, ts_val);
    put32(o + 8, ts_ecr);
  }
  std::memcpy(tcp + 20 + opt_len, payload.bytes, p.len);
  const uint64_t sum = pseudo + sum16(tcp, 20 + opt_len) + payload.prefix_sum[p.len];
  put16(tcp + 16, fold(sum));
  ++st.packets;
  st.bytes += frame_len;
}

struct Due {
  int64_t t;
  uint64_t order;  // tie-break so equal times come out in a fixed order
  uint32_t slot;
  bool operator>(const Due& o) const { return t != o.t ? t > o.t : order > o.order; }
};

int usage() {
  std::fprintf(stderr, "usage: gen_bench_capture OUT.pcap [--packets N] [--active N] [--seed S]\n");
  return 2;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc < 2) return usage();
  const char* out = nullptr;
  uint64_t packets = 2000000;
  uint64_t active = 2000;
  uint64_t seed = 20240101;
  for (int i = 1; i < argc; ++i) {
    const std::string arg = argv[i];
    auto value = [&](uint64_t& v) {
      if (i + 1 >= argc) return false;
      char* end = nullptr;
      v = std::strtoull(argv[++i], &end, 10);
      return end && *end == '\0' && v > 0;
    };
    if (arg == "--packets") {
      if (!value(packets)) return usage();
    } else if (arg == "--active") {
      if (!value(active)) return usage();
    } else if (arg == "--seed") {
      if (!value(seed)) return usage();
    } else if (!out && arg.rfind("--", 0) != 0) {
      out = argv[i];
    } else {
      return usage();
    }
  }
  if (!out) return usage();

  Writer w(out);
  if (!w.ok()) {
    std::fprintf(stderr, "gen_bench_capture: cannot write %s\n", out);
    return 1;
  }
  Rng rng(seed);
  static const PayloadTable payload;
  Stats st;
  std::vector<Conn> slots(active);
  std::priority_queue<Due, std::vector<Due>, std::greater<Due>> due;
  uint64_t order = 0;
  uint32_t serial = 0;
  for (uint32_t s = 0; s < active; ++s) {
    new_connection(slots[s], rng, rng.range(0, 1000000), serial++, st);
    due.push({slots[s].script[0].t, order++, s});
  }
  while (st.packets < packets && !due.empty()) {
    const Due d = due.top();
    due.pop();
    Conn& c = slots[d.slot];
    emit(w, c, c.script[c.next++], payload, st);
    if (c.next == c.script.size()) new_connection(c, rng, d.t + rng.range(10, 3000), serial++, st);
    due.push({c.script[c.next].t, order++, d.slot});
  }
  w.close();
  if (!w.ok()) {
    std::fprintf(stderr, "gen_bench_capture: write to %s failed\n", out);
    return 1;
  }
  std::fprintf(
      stderr,
      "%s: %llu packets, %llu bytes, %llu connections started (%llu handshakes, %llu FIN "
      "closes, %llu RST closes, %llu refused, %llu unanswered, %llu scans, %llu IPv6), "
      "%llu retransmissions\n",
      out, static_cast<unsigned long long>(st.packets), static_cast<unsigned long long>(st.bytes),
      static_cast<unsigned long long>(st.connections),
      static_cast<unsigned long long>(st.handshakes),
      static_cast<unsigned long long>(st.fin_closes),
      static_cast<unsigned long long>(st.rst_closes), static_cast<unsigned long long>(st.refused),
      static_cast<unsigned long long>(st.unanswered), static_cast<unsigned long long>(st.scans),
      static_cast<unsigned long long>(st.ipv6),
      static_cast<unsigned long long>(st.retransmissions));
  return 0;
}
