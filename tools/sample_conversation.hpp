// SPDX-License-Identifier: MIT
#pragma once
#include <cstdint>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include <tins/ip.h>
#include <tins/ipv6.h>
#include <tins/rawpdu.h>
#include <tins/tcp.h>

#include "core/wire/seq.hpp"
#include "tools/sample_pcap_writer.hpp"

/// A scripted TCP conversation for tools/make_samples.cpp. It keeps each side's sequence
/// state (RFC 9293 3.3.1: SND.NXT, RCV.NXT) and timestamp clock so the scripts only say
/// what happens ("client sends 120 bytes", "server FIN") and the numbers come out right.
/// IP and TCP headers are built with libtins, so every checksum is computed by it.
namespace tcpinspect::tools {

enum class Side : uint8_t { Client, Server };

inline Side peer_of(Side s) {
  return s == Side::Client ? Side::Server : Side::Client;
}

/// One host of a sample conversation: its fixed identity (address, port, MAC) and its stack's
/// personality (ISN, MSS, window scale, timestamps, IP IDs).
struct HostProfile {
  std::string ip;  // IPv4 or IPv6 literal (documentation ranges only)
  uint16_t port = 0;
  Mac mac{};
  uint32_t isn = 0;
  uint16_t mss = 1460;
  uint8_t wscale = 7;
  uint16_t syn_window = 64240;  // Linux: 44 * MSS rounded, unscaled in SYNs (RFC 7323 2.2)
  uint16_t window = 502;        // scaled window after the handshake
  uint32_t ts_base = 0;         // TSval at time 0 of the sample
  uint16_t ip_id = 0;           // first IPv4 ID; increments per packet
  uint32_t flow_label = 0;      // IPv6 only
};

/// What to send, built fluently: `Seg(kPshAck).len(100)`. Unset seq/ack take the sender's
/// SND.NXT / RCV.NXT.
class Seg {
 public:
  explicit Seg(uint16_t flags = Tins::TCP::ACK) : flags_(flags) {}
  /// The payload; without it, len() filler bytes.
  Seg& data(std::string bytes) {
    data_ = std::move(bytes);
    return *this;
  }
  Seg& len(size_t n) {
    len_ = n;
    return *this;
  }
  Seg& seq(uint32_t v) {
    seq_ = v;
    return *this;
  }
  Seg& ack(uint32_t v) {
    ack_ = v;
    return *this;
  }
  Seg& window(uint16_t v) {
    window_ = v;
    return *this;
  }
  /// Adds a SACK block [left, right) (RFC 2018).
  Seg& sack(uint32_t left, uint32_t right) {
    sack_.emplace_back(left, right);
    return *this;
  }
  /// RSTs made by the kernel without a socket carry no options.
  Seg& no_options() {
    no_options_ = true;
    return *this;
  }
  /// The peer has not received it yet; see Conversation::deliver().
  Seg& in_flight() {
    deliver_ = false;
    return *this;
  }
  /// Lost before the capture point: never written to the capture, never delivered (the
  /// sender's SND.NXT still advances past it).
  Seg& lost_upstream() {
    deliver_ = false;
    captured_ = false;
    return *this;
  }
  /// A TCP Fast Open option (kind 34, RFC 7413) after the SYN's usual options; an empty
  /// cookie is a cookie request.
  Seg& fast_open(std::vector<uint8_t> cookie) {
    fast_open_ = std::move(cookie);
    return *this;
  }
  /// IP TTL / hop limit other than the sender's 64 (e.g. a packet injected from elsewhere).
  Seg& ttl(uint8_t v) {
    ttl_ = v;
    return *this;
  }
  /// An IPv4 ID of its own, outside the sender's running sequence (which it does not move).
  Seg& ip_id(uint16_t v) {
    ip_id_ = v;
    return *this;
  }
  /// A damaged checksum: the right one with one bit flipped (neither right nor what
  /// checksum offload leaves).
  Seg& bad_checksum() {
    bad_checksum_ = true;
    return *this;
  }

 private:
  friend class Conversation;
  uint16_t flags_;
  std::string data_;
  size_t len_ = 0;
  std::optional<uint32_t> seq_;
  std::optional<uint32_t> ack_;
  std::optional<uint16_t> window_;
  std::vector<std::pair<uint32_t, uint32_t>> sack_;
  bool no_options_ = false;
  bool deliver_ = true;
  bool captured_ = true;
  bool bad_checksum_ = false;
  std::optional<std::vector<uint8_t>> fast_open_;
  std::optional<uint8_t> ttl_;
  std::optional<uint16_t> ip_id_;
};

/// What was sent, for deliver() and for quoting in ICMP errors.
struct Sent {
  Side from = Side::Client;
  uint32_t seq = 0;
  uint32_t seq_end = 0;  // seq + len + SYN + FIN
  uint32_t ts_val = 0;
  std::string payload;
  std::vector<uint8_t> ip;  // the IP datagram as sent
};

// RFC 1982 serial comparison: sequence numbers wrap, so never compare them with <.
inline bool seq_lt(uint32_t a, uint32_t b) {
  return static_cast<int32_t>(a - b) < 0;
}

class Conversation {
 public:
  /// Frames go to `out` framed for `link`, captured on the client's host.
  Conversation(PcapWriter& out, Link link, HostProfile client, HostProfile server)
      : out_(out), link_(link), ep_{std::move(client), std::move(server)} {
    for (int i = 0; i < 2; ++i) {
      st_[i].snd_nxt = ep_[i].isn;
      st_[i].ip_id = ep_[i].ip_id;
    }
  }

  int64_t now() const { return now_us_; }
  void wait(int64_t usec) { now_us_ += usec; }
  void set_time(int64_t usec) { now_us_ = usec; }
  uint32_t snd_nxt(Side s) const { return st_[idx(s)].snd_nxt; }
  uint32_t rcv_nxt(Side s) const { return st_[idx(s)].rcv_nxt; }
  HostProfile& endpoint(Side s) { return ep_[idx(s)]; }

  /// For a capture that starts mid-connection: each side's `isn` is taken as its current
  /// SND.NXT and the peer has already received everything before it. Call after set_time().
  void assume_established() {
    for (int i = 0; i < 2; ++i) {
      st_[i].rcv_nxt = ep_[1 - i].isn;
      st_[i].rcv_known = true;
      // As if the peer's last segment left a few milliseconds ago.
      st_[i].ts_recent = ep_[1 - i].ts_base + static_cast<uint32_t>(now_us_ / 1000) - 3;
    }
  }

  /// Every segment `side` sends gets the checksum offload treatment (see Seg::bad_checksum).
  void set_checksum_offload(Side side) { offload_[idx(side)] = true; }
  /// Every segment `side` sends gets a damaged checksum (see Seg::bad_checksum).
  void set_checksum_corruption(Side side) { corrupt_[idx(side)] = true; }

  /// Starts a new incarnation on the same endpoints (new ISNs), keeping clocks and IP IDs.
  void reincarnate(uint32_t client_isn, uint32_t server_isn) {
    ep_[0].isn = client_isn;
    ep_[1].isn = server_isn;
    st_[0].snd_nxt = client_isn;
    st_[1].snd_nxt = server_isn;
    st_[0].rcv_known = st_[1].rcv_known = false;
    st_[0].ts_recent = st_[1].ts_recent = 0;
  }

  Sent send(Side from, const Seg& seg) {
    const int f = idx(from);
    const int t = 1 - f;
    SideState& me = st_[f];
    const HostProfile& e = ep_[f];

    std::string payload = seg.data_;
    if (payload.empty() && seg.len_ > 0) payload = filler(seg.len_, me.filler_pos);
    const bool syn = seg.flags_ & Tins::TCP::SYN;
    const bool fin = seg.flags_ & Tins::TCP::FIN;

    Tins::TCP tcp(ep_[t].port, e.port);
    const uint32_t seq = seg.seq_.value_or(syn ? e.isn : me.snd_nxt);
    tcp.seq(seq);
    if (seg.flags_ & Tins::TCP::ACK) tcp.ack_seq(seg.ack_.value_or(me.rcv_nxt));
    if (!(seg.flags_ & Tins::TCP::ACK) && seg.ack_) tcp.ack_seq(*seg.ack_);
    tcp.flags(seg.flags_);
    tcp.window(seg.window_.value_or(syn ? e.syn_window : e.window));
    const uint32_t ts_val = e.ts_base + static_cast<uint32_t>(now_us_ / 1000);
    if (!seg.no_options_) {
      if (syn) {
        // Linux order: MSS, SACK-permitted, timestamps, NOP, window scale (20 bytes).
        tcp.mss(e.mss);
        tcp.sack_permitted();
        tcp.timestamp(ts_val, (seg.flags_ & Tins::TCP::ACK) ? me.ts_recent : 0);
        tcp.add_option(Tins::TCP::option(Tins::TCP::NOP));
        tcp.winscale(e.wscale);
        if (seg.fast_open_) {
          // Linux pads the Fast Open option to a 4-byte boundary with NOPs before it.
          for (size_t pad = (2 + seg.fast_open_->size()) % 4; pad != 0 && pad < 4; ++pad)
            tcp.add_option(Tins::TCP::option(Tins::TCP::NOP));
          if (seg.fast_open_->empty())  // libtins cannot write an empty option: see below
            tcp.add_option(Tins::TCP::option(Tins::TCP::SACK_OK));
          else
            tcp.add_option(Tins::TCP::option(static_cast<Tins::TCP::OptionTypes>(34),
                                             seg.fast_open_->begin(), seg.fast_open_->end()));
        }
      } else {
        tcp.add_option(Tins::TCP::option(Tins::TCP::NOP));
        tcp.add_option(Tins::TCP::option(Tins::TCP::NOP));
        tcp.timestamp(ts_val, me.ts_recent);
        if (!seg.sack_.empty()) {
          tcp.add_option(Tins::TCP::option(Tins::TCP::NOP));
          tcp.add_option(Tins::TCP::option(Tins::TCP::NOP));
          Tins::TCP::sack_type edges;
          for (const auto& [l, r] : seg.sack_) {
            edges.push_back(l);
            edges.push_back(r);
          }
          tcp.sack(edges);
        }
      }
    }

    std::vector<uint8_t> ip = serialize(from, tcp, payload, seg.ttl_, seg.ip_id_);
    if (seg.fast_open_ && seg.fast_open_->empty()) make_last_option_cookie_request(ip);
    if (offload_[f]) store_partial_checksum(ip);
    if (seg.bad_checksum_ || corrupt_[f]) flip_checksum_bit(ip);
    const bool outgoing = from == capture_side_;
    if (seg.captured_) out_.write(now_us_, frame_ip(link_, e.mac, ep_[t].mac, outgoing, ip));

    Sent sent;
    sent.from = from;
    sent.seq = seq;
    const auto seq_flags = static_cast<uint16_t>((syn ? core::kSyn : 0) | (fin ? core::kFin : 0));
    sent.seq_end = core::seq::seg_end(seq, seq_flags, static_cast<uint32_t>(payload.size()));
    sent.ts_val = ts_val;
    sent.payload = payload;
    sent.ip = std::move(ip);
    // A SYN always sets SND.NXT; other segments move it forward when they end beyond it
    // (a resend from SND.UNA carrying new bytes too), except RSTs (forged or a kernel's).
    const bool rst = seg.flags_ & Tins::TCP::RST;
    if (syn || (!rst && seq_lt(me.snd_nxt, sent.seq_end))) me.snd_nxt = sent.seq_end;
    if (seg.deliver_ && !(seg.flags_ & Tins::TCP::RST)) deliver(sent);
    return sent;
  }

  /// The peer of `sent.from` receives it: its RCV.NXT advances if the segment is in order,
  /// and it echoes the segment's TSval from now on.
  void deliver(const Sent& sent) {
    SideState& peer = st_[1 - idx(sent.from)];
    if (!peer.rcv_known ||
        (!seq_lt(peer.rcv_nxt, sent.seq) && seq_lt(peer.rcv_nxt, sent.seq_end))) {
      peer.rcv_nxt = sent.seq_end;
      peer.rcv_known = true;
    }
    peer.ts_recent = sent.ts_val;
  }

  /// Writes an already built IP datagram (e.g. an ICMP error) between two MACs.
  void write_ip(std::span<const uint8_t> ip, const Mac& src, const Mac& dst, bool outgoing) {
    out_.write(now_us_, frame_ip(link_, src, dst, outgoing, ip));
  }

  // Convenience scripts for the common steps.
  void handshake(int64_t rtt_us) {
    send(Side::Client, Seg(Tins::TCP::SYN));
    wait(rtt_us);
    send(Side::Server, Seg(Tins::TCP::SYN | Tins::TCP::ACK));
    wait(41);
    send(Side::Client, Seg());
  }

 private:
  struct SideState {
    uint32_t snd_nxt = 0;
    uint32_t rcv_nxt = 0;
    bool rcv_known = false;
    uint32_t ts_recent = 0;
    uint16_t ip_id = 0;
    size_t filler_pos = 0;
  };

  static int idx(Side s) { return s == Side::Client ? 0 : 1; }

  // Deterministic printable payload, continuing where the side's last segment stopped.
  static std::string filler(size_t len, size_t& pos) {
    static const std::string kText =
        "Lorem ipsum dolor sit amet, consectetur adipiscing elit, sed do eiusmod tempor "
        "incididunt ut labore et dolore magna aliqua. ";
    std::string out;
    out.reserve(len);
    for (size_t i = 0; i < len; ++i)
      out.push_back(kText[(pos + i) % kText.size()]);
    pos += len;
    return out;
  }

  std::vector<uint8_t> serialize(Side from, Tins::TCP& tcp, const std::string& payload,
                                 std::optional<uint8_t> ttl = {},
                                 std::optional<uint16_t> ip_id = {}) {
    const int f = idx(from);
    const HostProfile& e = ep_[f];
    const HostProfile& peer = ep_[1 - f];
    Tins::RawPDU raw(reinterpret_cast<const uint8_t*>(payload.data()),
                     static_cast<uint32_t>(payload.size()));
    if (e.ip.find(':') != std::string::npos) {
      Tins::IPv6 ip6(Tins::IPv6Address(peer.ip), Tins::IPv6Address(e.ip));
      ip6.hop_limit(ttl.value_or(64));
      ip6.flow_label(e.flow_label);
      Tins::PDU::serialization_type bytes;
      if (payload.empty())
        bytes = (ip6 / tcp).serialize();
      else
        bytes = (ip6 / tcp / raw).serialize();
      return {bytes.begin(), bytes.end()};
    }
    Tins::IP ip4(Tins::IPv4Address(peer.ip), Tins::IPv4Address(e.ip));
    ip4.ttl(ttl.value_or(64));
    ip4.id(ip_id ? *ip_id : st_[f].ip_id++);
    ip4.flags(Tins::IP::DONT_FRAGMENT);
    Tins::PDU::serialization_type bytes;
    if (payload.empty())
      bytes = (ip4 / tcp).serialize();
    else
      bytes = (ip4 / tcp / raw).serialize();
    return {bytes.begin(), bytes.end()};
  }

  // libtins sizes an option without data as one byte, so a Fast Open cookie request
  // (kind 34, length 2) is written as a 2-byte SACK-permitted placeholder, last in the
  // header, and turned into kind 34 here, with the checksum updated (RFC 1624).
  static void make_last_option_cookie_request(std::vector<uint8_t>& ip) {
    const bool v6 = (ip[0] >> 4) == 6;
    const size_t ihl = v6 ? 40 : static_cast<size_t>(ip[0] & 0x0f) * 4;
    const size_t at = ihl + static_cast<size_t>(ip[ihl + 12] >> 4) * 4 - 2;
    const uint16_t old_word = static_cast<uint16_t>(ip[at] << 8 | ip[at + 1]);
    ip[at] = 34;
    const uint16_t new_word = static_cast<uint16_t>(ip[at] << 8 | ip[at + 1]);
    const uint16_t hc = static_cast<uint16_t>(ip[ihl + 16] << 8 | ip[ihl + 17]);
    uint32_t sum = static_cast<uint16_t>(~hc) + static_cast<uint16_t>(~old_word) + new_word;
    while (sum >> 16)
      sum = (sum & 0xffff) + (sum >> 16);
    const uint16_t updated = static_cast<uint16_t>(~sum);
    ip[ihl + 16] = static_cast<uint8_t>(updated >> 8);
    ip[ihl + 17] = static_cast<uint8_t>(updated & 0xff);
  }

  // With checksum offload the kernel hands the NIC a segment whose checksum field holds only
  // the folded pseudo-header sum; a capture on the sending host sees exactly that.
  static void store_partial_checksum(std::vector<uint8_t>& ip) {
    const bool v6 = (ip[0] >> 4) == 6;
    const size_t ihl = v6 ? 40 : static_cast<size_t>(ip[0] & 0x0f) * 4;
    const size_t tcp_len = ip.size() - ihl;
    uint32_t sum = 0;
    auto add = [&](size_t from, size_t n) {
      for (size_t i = 0; i < n; i += 2)
        sum += (ip[from + i] << 8) | ip[from + i + 1];
    };
    if (v6)
      add(8, 32);
    else
      add(12, 8);
    sum += 6;
    sum += static_cast<uint32_t>(tcp_len);
    while (sum >> 16)
      sum = (sum & 0xffff) + (sum >> 16);
    ip[ihl + 16] = static_cast<uint8_t>(sum >> 8);
    ip[ihl + 17] = static_cast<uint8_t>(sum & 0xff);
  }

  // A one-bit error in the (right) checksum field, as a damaged frame would carry.
  static void flip_checksum_bit(std::vector<uint8_t>& ip) {
    const bool v6 = (ip[0] >> 4) == 6;
    const size_t ihl = v6 ? 40 : static_cast<size_t>(ip[0] & 0x0f) * 4;
    ip[ihl + 17] ^= 0x04;
  }

  PcapWriter& out_;
  Link link_;
  Side capture_side_ = Side::Client;
  HostProfile ep_[2];
  SideState st_[2];
  int64_t now_us_ = 0;
  bool offload_[2] = {false, false};
  bool corrupt_[2] = {false, false};
};

}  // namespace tcpinspect::tools
