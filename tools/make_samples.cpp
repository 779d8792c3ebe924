// SPDX-License-Identifier: MIT
// make_samples OUTDIR: writes the sample captures of samples/ (see samples/README.md).
// Deterministic: fixed clock (2024-01-01 00:00:00 UTC), ISNs, TSvals, IP IDs and addresses
// from the documentation ranges (RFC 5737, RFC 3849), so a rerun gives identical bytes.
#include <cstdio>
#include <exception>
#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include <tins/icmp.h>
#include <tins/icmpv6.h>

#include "tools/sample_conversation.hpp"

namespace fs = std::filesystem;
using namespace tcpinspect::tools;
using Tins::TCP;

namespace {

constexpr uint16_t kSynAck = TCP::SYN | TCP::ACK;
constexpr uint16_t kPshAck = TCP::PSH | TCP::ACK;
constexpr uint16_t kFinAck = TCP::FIN | TCP::ACK;
constexpr uint16_t kRstAck = TCP::RST | TCP::ACK;

constexpr int64_t kRtt = 24310;  // client <-> server round trip, microseconds
constexpr int64_t kSecond = 1000000;

const Mac kClientMac{0x02, 0x00, 0x5e, 0x10, 0x00, 0x0a};
// The server is off-link: its frames carry the default gateway's MAC.
const Mac kGatewayMac{0x02, 0x00, 0x5e, 0x10, 0x00, 0x01};

const std::string kRequest =
    "GET /index.html HTTP/1.1\r\nHost: www.example.com\r\nUser-Agent: curl/8.5.0\r\n"
    "Accept: */*\r\n\r\n";

std::string response(size_t body_len, bool close) {
  std::string body(body_len, 'x');
  for (size_t i = 0; i < body_len; ++i)
    body[i] = static_cast<char>('a' + i % 26);
  return "HTTP/1.1 200 OK\r\nServer: nginx\r\nContent-Type: text/html\r\nContent-Length: " +
         std::to_string(body_len) + (close ? "\r\nConnection: close" : "") + "\r\n\r\n" + body;
}

HostProfile client4(uint16_t port, uint32_t isn) {
  return {.ip = "192.0.2.10",
          .port = port,
          .mac = kClientMac,
          .isn = isn,
          .mss = 1460,
          .wscale = 7,
          .syn_window = 64240,
          .window = 502,
          .ts_base = 2838273914u,
          .ip_id = 0x5c21,
          .flow_label = 0};
}

HostProfile server4(uint16_t port, uint32_t isn) {
  return {.ip = "198.51.100.20",
          .port = port,
          .mac = kGatewayMac,
          .isn = isn,
          .mss = 1460,
          .wscale = 9,
          .syn_window = 65160,
          .window = 128,
          .ts_base = 1098123456u,
          .ip_id = 0,
          .flow_label = 0};
}

HostProfile client6(uint16_t port, uint32_t isn) {
  HostProfile e = client4(port, isn);
  e.ip = "2001:db8::10";
  e.mss = 1440;
  e.syn_window = 64800;
  e.flow_label = 0x3a1f2;
  return e;
}

HostProfile server6(uint16_t port, uint32_t isn) {
  HostProfile e = server4(port, isn);
  e.ip = "2001:db8:1::20";
  e.mss = 1440;
  e.syn_window = 64800;
  e.flow_label = 0x9b0c7;
  return e;
}

std::string path_of(const fs::path& dir, const char* name) {
  return (dir / name).string();
}

// Request, immediate ACK-less response (the response acknowledges the request), client ACK.
void request_response(Conversation& c, size_t body_len, bool close) {
  c.wait(187);
  c.send(Side::Client, Seg(kPshAck).data(kRequest));
  c.wait(kRtt + 233);
  c.send(Side::Server, Seg(kPshAck).data(response(body_len, close)));
  c.wait(52);
  c.send(Side::Client, Seg());
}

void client_close(const fs::path& dir) {
  PcapWriter w(path_of(dir, "client_close.pcap"), dlt_for(Link::Ethernet));
  Conversation c(w, Link::Ethernet, client4(41286, 0x1f3a9c42), server4(80, 0x8b21e7d0));
  c.handshake(kRtt);
  request_response(c, 212, false);
  c.wait(1532);
  c.send(Side::Client, Seg(kFinAck));
  c.wait(kRtt + 77);
  c.send(Side::Server, Seg());  // ACK of the FIN: server now CLOSE_WAIT
  c.wait(188);
  c.send(Side::Server, Seg(kFinAck));
  c.wait(39);
  c.send(Side::Client, Seg());
}

void server_close(const fs::path& dir) {
  PcapWriter w(path_of(dir, "server_close.pcap"), dlt_for(Link::Ethernet));
  Conversation c(w, Link::Ethernet, client4(41290, 0x2c4e6a80), server4(80, 0xa0b1c2d3));
  c.handshake(kRtt);
  c.wait(187);
  c.send(Side::Client, Seg(kPshAck).data(kRequest));
  c.wait(kRtt + 233);
  c.send(Side::Server, Seg(kPshAck).data(response(148, true)));
  c.wait(21);
  c.send(Side::Server, Seg(kFinAck));
  c.wait(61);
  c.send(Side::Client, Seg());  // acknowledges data and FIN: client now CLOSE_WAIT
  c.wait(402);
  c.send(Side::Client, Seg(kFinAck));
  c.wait(kRtt + 12);
  c.send(Side::Server, Seg());
}

void three_segment_close(const fs::path& dir) {
  PcapWriter w(path_of(dir, "three_segment_close.pcap"), dlt_for(Link::Ethernet));
  Conversation c(w, Link::Ethernet, client4(41294, 0x5d0c1e77), server4(80, 0x00c0ffee));
  c.handshake(kRtt);
  request_response(c, 64, false);
  c.wait(903);
  c.send(Side::Client, Seg(kFinAck));
  c.wait(kRtt + 95);
  c.send(Side::Server, Seg(kFinAck));  // acknowledges the client's FIN and carries its own
  c.wait(44);
  c.send(Side::Client, Seg());
}

// RFC 9293 figure 8. A is the capturing host; one-way delay 12 ms.
void simultaneous_open(const fs::path& dir) {
  PcapWriter w(path_of(dir, "simultaneous_open.pcap"), dlt_for(Link::Ethernet));
  Conversation c(w, Link::Ethernet, client4(50000, 0x11223344), server4(50001, 0x55667788));
  const Sent a_syn = c.send(Side::Client, Seg(TCP::SYN).in_flight());
  c.wait(11034);
  c.send(Side::Server, Seg(TCP::SYN));  // B sent it before A's SYN reached B
  c.wait(58);
  const Sent a_synack = c.send(Side::Client, Seg(kSynAck).in_flight());
  c.deliver(a_syn);
  c.wait(13021);
  c.send(Side::Server, Seg(kSynAck));  // B answered A's SYN: both now ESTABLISHED
  c.deliver(a_synack);
  c.wait(140);
  c.send(Side::Client, Seg(kPshAck).data("HELLO from A\n"));
  c.wait(kRtt + 310);
  c.send(Side::Server, Seg(kPshAck).data("HELLO from B, nice to meet you\n"));
  c.wait(47);
  c.send(Side::Client, Seg());
  c.wait(2010);
  c.send(Side::Client, Seg(kFinAck));
  c.wait(kRtt + 90);
  c.send(Side::Server, Seg(kFinAck));
  c.wait(38);
  c.send(Side::Client, Seg());
}

void simultaneous_close(const fs::path& dir) {
  PcapWriter w(path_of(dir, "simultaneous_close.pcap"), dlt_for(Link::Ethernet));
  Conversation c(w, Link::Ethernet, client4(41302, 0x7a7b7c7d), server4(6379, 0x0badcafe));
  c.handshake(kRtt);
  c.wait(150);
  c.send(Side::Client, Seg(kPshAck).data("*1\r\n$4\r\nQUIT\r\n"));
  c.wait(kRtt + 120);
  c.send(Side::Server, Seg(kPshAck).data("+OK\r\n"));
  // Both applications close at once: each FIN leaves before the other's arrives.
  c.wait(45);
  const Sent client_fin = c.send(Side::Client, Seg(kFinAck).in_flight());
  c.wait(300);
  c.send(Side::Server, Seg(kFinAck));  // its ack does not cover the client's FIN
  c.deliver(client_fin);
  c.wait(36);
  c.send(Side::Client, Seg());  // client CLOSING -> TIME_WAIT on the next segment
  c.wait(kRtt - 300);
  c.send(Side::Server, Seg());  // the server's ACK of the client's FIN, sent when it arrived
}

void refused(const fs::path& dir) {
  PcapWriter w(path_of(dir, "refused.pcap"), dlt_for(Link::Ethernet));
  Conversation c(w, Link::Ethernet, client4(41310, 0x3c3c3c3c), server4(8443, 0));
  c.send(Side::Client, Seg(TCP::SYN));
  c.wait(kRtt + 15);
  // No listener: the kernel answers with seq 0, ack = ISN + 1, window 0, no options.
  c.send(Side::Server, Seg(kRstAck).seq(0u).window(uint16_t{0}).no_options());
}

void reset_mid(const fs::path& dir) {
  PcapWriter w(path_of(dir, "reset_mid.pcap"), dlt_for(Link::Ethernet));
  Conversation c(w, Link::Ethernet, client4(41318, 0x6e6f7071), server4(5432, 0x31415926));
  c.handshake(kRtt);
  c.wait(210);
  c.send(Side::Client, Seg(kPshAck).len(41));
  c.wait(kRtt + 180);
  c.send(Side::Server, Seg(kPshAck).len(318));
  c.wait(48);
  c.send(Side::Client, Seg());
  // A forged RST far outside the client's receive window: RFC 5961 3.2 says drop it silently.
  c.wait(803211);
  c.send(Side::Server,
         Seg(TCP::RST).seq(c.snd_nxt(Side::Server) - 0x30000000u).window(uint16_t{0}).no_options());
  c.wait(1207);
  c.send(Side::Client, Seg(kPshAck).len(63));
  c.wait(kRtt + 140);
  c.send(Side::Server, Seg(kPshAck).len(120));
  c.wait(51);
  c.send(Side::Client, Seg());
  c.wait(5012);
  c.send(Side::Client, Seg(kPshAck).len(88));
  c.wait(kRtt + 301);
  // The server closes with unread data (the last request): the real, in-window RST.
  c.send(Side::Server, Seg(kRstAck));
}

void half_close(const fs::path& dir) {
  PcapWriter w(path_of(dir, "half_close.pcap"), dlt_for(Link::Ethernet));
  Conversation c(w, Link::Ethernet, client4(41326, 0xdeadbe00), server4(7, 0x76543210));
  c.handshake(kRtt);
  c.wait(95);
  c.send(Side::Client, Seg(kPshAck).len(200));
  c.wait(18);
  c.send(Side::Client, Seg(kFinAck));  // shutdown(SHUT_WR): client FIN_WAIT_1
  c.wait(kRtt + 60);
  c.send(Side::Server, Seg());  // acknowledges data and FIN: client FIN_WAIT_2
  for (int i = 0; i < 3; ++i) {
    c.wait(i == 0 ? 412 : 1503);
    c.send(Side::Server, Seg(kPshAck).len(400));  // server still sends in CLOSE_WAIT
    c.wait(45);
    c.send(Side::Client, Seg());
  }
  c.wait(2004);
  c.send(Side::Server, Seg(kFinAck));
  c.wait(40);
  c.send(Side::Client, Seg());
}

void syn_retransmit(const fs::path& dir) {
  PcapWriter w(path_of(dir, "syn_retransmit.pcap"), dlt_for(Link::Ethernet));
  Conversation c(w, Link::Ethernet, client4(41334, 0x0a0b0c0d), server4(443, 0));
  // Linux: initial RTO 1 s, doubled per retry (RFC 6298 5.5): sent at 0, 1, 3 and 7 s.
  for (int64_t at : {0LL, 1003912LL, 3011903LL, 7027885LL}) {
    c.set_time(at);
    c.send(Side::Client, Seg(TCP::SYN));
  }
}

void seq_wrap(const fs::path& dir) {
  PcapWriter w(path_of(dir, "seq_wrap.pcap"), dlt_for(Link::Ethernet));
  Conversation c(w, Link::Ethernet, client4(41342, 0xfffffff0u), server4(80, 0xfffffffeu));
  c.handshake(kRtt);
  c.wait(187);
  c.send(Side::Client, Seg(kPshAck).data(kRequest));  // crosses 2^32 at byte 15
  c.wait(kRtt + 233);
  const std::string resp = response(2900, false);
  c.send(Side::Server, Seg(TCP::ACK).data(resp.substr(0, 1448)));  // crosses at byte 1
  c.wait(12);
  c.send(Side::Server, Seg(TCP::ACK).data(resp.substr(1448, 1448)));
  c.wait(40);
  c.send(Side::Client, Seg());
  c.wait(11);
  c.send(Side::Server, Seg(kPshAck).data(resp.substr(2896)));
  c.wait(44);
  c.send(Side::Client, Seg());
  c.wait(1211);
  c.send(Side::Client, Seg(kFinAck));
  c.wait(kRtt + 66);
  c.send(Side::Server, Seg(kFinAck));
  c.wait(40);
  c.send(Side::Client, Seg());
}

// A full conversation with a client close, shared by the link-type samples.
void plain_conversation(Conversation& c, size_t body_len) {
  c.handshake(kRtt);
  request_response(c, body_len, false);
  c.wait(1300);
  c.send(Side::Client, Seg(kFinAck));
  c.wait(kRtt + 70);
  c.send(Side::Server, Seg(kFinAck));
  c.wait(41);
  c.send(Side::Client, Seg());
}

void ipv6(const fs::path& dir) {
  PcapWriter w(path_of(dir, "ipv6.pcap"), dlt_for(Link::Ethernet));
  Conversation c(w, Link::Ethernet, client6(41350, 0x600dcafe), server6(443, 0x1badd00d));
  c.handshake(kRtt);
  c.wait(301);
  c.send(Side::Client, Seg(kPshAck).len(517));  // a TLS ClientHello's size
  c.wait(kRtt + 1020);
  c.send(Side::Server, Seg(TCP::ACK).len(1428));  // MSS 1440 less 12 bytes of TS
  c.wait(10);
  c.send(Side::Server, Seg(kPshAck).len(1100));
  c.wait(39);
  c.send(Side::Client, Seg());
  c.wait(2211);
  c.send(Side::Client, Seg(kPshAck).len(80));
  c.wait(kRtt + 150);
  c.send(Side::Server, Seg(kPshAck).len(290));
  c.wait(45);
  c.send(Side::Client, Seg());
  c.wait(900);
  c.send(Side::Client, Seg(kFinAck));
  c.wait(kRtt + 60);
  c.send(Side::Server, Seg());
  c.wait(120);
  c.send(Side::Server, Seg(kFinAck));
  c.wait(38);
  c.send(Side::Client, Seg());
}

void vlan(const fs::path& dir) {
  PcapWriter w(path_of(dir, "vlan.pcap"), dlt_for(Link::Vlan100));
  Conversation c(w, Link::Vlan100, client4(41358, 0x13579bdf), server4(80, 0x2468ace0));
  plain_conversation(c, 97);
}

void linux_sll2(const fs::path& dir) {
  PcapWriter w(path_of(dir, "linux_sll2.pcap"), dlt_for(Link::LinuxSll2));
  Conversation c(w, Link::LinuxSll2, client4(41366, 0x0f1e2d3c), server4(80, 0x4b5a6978));
  plain_conversation(c, 333);
}

void midstream(const fs::path& dir) {
  PcapWriter w(path_of(dir, "midstream.pcap"), dlt_for(Link::Ethernet));
  // The capture starts while a download is running: no handshake, no options to learn from.
  Conversation c(w, Link::Ethernet, client4(41374, 0x3a1b2c3d), server4(80, 0x9e8f7a6b));
  c.set_time(8 * kSecond + 412345);
  c.assume_established();
  for (int i = 0; i < 3; ++i) {
    c.send(Side::Server, Seg(TCP::ACK).len(1448));
    c.wait(11);
    c.send(Side::Server, Seg(TCP::ACK).len(1448));
    c.wait(37);
    c.send(Side::Client, Seg());
    c.wait(kRtt - 60);
  }
  c.send(Side::Server, Seg(kPshAck).len(612));
  c.wait(40);
  c.send(Side::Client, Seg());
  c.wait(3100);
  c.send(Side::Client, Seg(kFinAck));
  c.wait(kRtt + 80);
  c.send(Side::Server, Seg(kFinAck));
  c.wait(40);
  c.send(Side::Client, Seg());
}

void port_reuse(const fs::path& dir) {
  PcapWriter w(path_of(dir, "port_reuse.pcap"), dlt_for(Link::Ethernet));
  Conversation c(w, Link::Ethernet, client4(41382, 0x10000000), server4(8080, 0x70000000));
  for (int round = 0; round < 2; ++round) {
    if (round == 1) {
      // The client binds the same port again 3 s later; the server's TIME_WAIT socket accepts
      // the SYN because its ISN and TSval are above the old connection's (RFC 6191).
      c.wait(3 * kSecond + 1234);
      c.reincarnate(0x12345678, 0x7abcdef0);
    }
    c.handshake(kRtt);
    c.wait(187);
    c.send(Side::Client, Seg(kPshAck).data(kRequest));
    c.wait(kRtt + 233);
    c.send(Side::Server, Seg(kPshAck).data(response(60 + 40 * round, true)));
    c.wait(19);
    c.send(Side::Server, Seg(kFinAck));  // the server closes first: TIME_WAIT is its own
    c.wait(55);
    c.send(Side::Client, Seg());
    c.wait(210);
    c.send(Side::Client, Seg(kFinAck));
    c.wait(kRtt + 20);
    c.send(Side::Server, Seg());
  }
}

void truncated_snaplen(const fs::path& dir) {
  // Raw IP link so that a 64-byte snaplen still holds every IP + TCP header (with options):
  // only payload bytes are missing, while the IP total length keeps the real size.
  PcapWriter w(path_of(dir, "truncated_snaplen.pcap"), dlt_for(Link::Raw), 64);
  Conversation c(w, Link::Raw, client4(41390, 0x50607080), server4(80, 0x0e0d0c0b));
  c.handshake(kRtt);
  c.wait(187);
  c.send(Side::Client, Seg(kPshAck).data(kRequest));
  c.wait(kRtt + 233);
  const std::string resp = response(4000, false);
  c.send(Side::Server, Seg(TCP::ACK).data(resp.substr(0, 1448)));
  c.wait(12);
  c.send(Side::Server, Seg(TCP::ACK).data(resp.substr(1448, 1448)));
  c.wait(38);
  c.send(Side::Client, Seg());
  c.wait(14);
  c.send(Side::Server, Seg(kPshAck).data(resp.substr(2896)));
  c.wait(41);
  c.send(Side::Client, Seg());
  c.wait(1900);
  c.send(Side::Client, Seg(kFinAck));
  c.wait(kRtt + 70);
  c.send(Side::Server, Seg(kFinAck));
  c.wait(40);
  c.send(Side::Client, Seg());
}

void retransmission(const fs::path& dir) {
  PcapWriter w(path_of(dir, "retransmission.pcap"), dlt_for(Link::Ethernet));
  Conversation c(w, Link::Ethernet, client4(41398, 0x2b2b2b2b), server4(80, 0x4d4d4d4d));
  c.handshake(kRtt);
  // The request is lost past the capture point; resent when the RTO fires (Linux: SRTT +
  // max(4 * RTTVAR, 200 ms), about 224 ms here).
  c.wait(187);
  const uint32_t request_seq = c.snd_nxt(Side::Client);
  c.send(Side::Client, Seg(kPshAck).data(kRequest).in_flight());
  c.wait(224391);
  c.send(Side::Client, Seg(kPshAck).data(kRequest).seq(request_seq));
  c.wait(kRtt + 190);
  c.send(Side::Server, Seg(kPshAck).data(response(120, false)));
  c.wait(50);
  c.send(Side::Client, Seg());
  // An upload of three segments; the first is lost past the capture point. The server sends
  // a duplicate ACK with SACK for each later segment, then the client retransmits.
  c.wait(30122);
  const Sent a = c.send(Side::Client, Seg(TCP::ACK).len(1448).in_flight());
  c.wait(9);
  const Sent b = c.send(Side::Client, Seg(TCP::ACK).len(1448).in_flight());
  c.wait(9);
  const Sent last = c.send(Side::Client, Seg(kPshAck).len(1448).in_flight());
  c.wait(kRtt + 20);
  c.send(Side::Server, Seg().sack(b.seq, b.seq_end));
  c.wait(10);
  c.send(Side::Server, Seg().sack(b.seq, last.seq_end));
  c.wait(60);
  c.send(Side::Client, Seg(TCP::ACK).data(a.payload).seq(a.seq));
  c.deliver(b);
  c.deliver(last);
  c.wait(kRtt + 40);
  c.send(Side::Server, Seg());
  c.wait(800);
  c.send(Side::Server, Seg(kPshAck).len(25));
  c.wait(40);
  c.send(Side::Client, Seg(kFinAck));
  c.wait(kRtt + 60);
  c.send(Side::Server, Seg(kFinAck));
  c.wait(40);
  c.send(Side::Client, Seg());
}

// An ICMP error quotes the offending datagram (RFC 792; Linux quotes all of it).
std::vector<uint8_t> icmp4_error(const std::string& from, uint8_t code, const Sent& quoted) {
  Tins::IP ip(Tins::IPv4Address("192.0.2.10"), Tins::IPv4Address(from));
  ip.ttl(64);
  ip.tos(0xc0);  // Linux sends ICMP errors with precedence "internetwork control"
  ip.id(0x7d10);
  Tins::ICMP icmp(Tins::ICMP::DEST_UNREACHABLE);
  icmp.code(code);
  Tins::RawPDU raw(quoted.ip.data(), static_cast<uint32_t>(quoted.ip.size()));
  const auto bytes = (ip / icmp / raw).serialize();
  return {bytes.begin(), bytes.end()};
}

void icmp_unreachable(const fs::path& dir) {
  PcapWriter w(path_of(dir, "icmp_unreachable.pcap"), dlt_for(Link::Ethernet));
  {
    // A firewall rule "reject" answers the SYN with port unreachable (type 3 code 3).
    Conversation c(w, Link::Ethernet, client4(41406, 0x61616161), server4(8080, 0));
    const Sent syn = c.send(Side::Client, Seg(TCP::SYN));
    c.wait(kRtt + 30);
    c.write_ip(icmp4_error("198.51.100.20", 3, syn), kGatewayMac, kClientMac, false);
  }
  {
    // A host that does not answer ARP: its last-hop router says host unreachable (code 1)
    // after about 3 s of ARP retries; the SYN was retransmitted once meanwhile.
    HostProfile server = server4(80, 0);
    server.ip = "198.51.100.99";
    Conversation c(w, Link::Ethernet, client4(41408, 0x62626262), server);
    c.set_time(2 * kSecond);
    const Sent syn = c.send(Side::Client, Seg(TCP::SYN));
    c.wait(1004011);
    c.send(Side::Client, Seg(TCP::SYN));
    c.wait(2002110);
    c.write_ip(icmp4_error("198.51.100.1", 1, syn), kGatewayMac, kClientMac, false);
  }
  {
    // IPv6: ICMPv6 destination unreachable, port unreachable (type 1 code 4, RFC 4443).
    Conversation c(w, Link::Ethernet, client6(41410, 0x63636363), server6(8080, 0));
    c.set_time(6 * kSecond);
    const Sent syn = c.send(Side::Client, Seg(TCP::SYN));
    c.wait(kRtt + 25);
    Tins::IPv6 ip(Tins::IPv6Address("2001:db8::10"), Tins::IPv6Address("2001:db8:1::20"));
    ip.hop_limit(64);
    Tins::ICMPv6 icmp(Tins::ICMPv6::DEST_UNREACHABLE);
    icmp.code(4);
    Tins::RawPDU raw(syn.ip.data(), static_cast<uint32_t>(syn.ip.size()));
    const auto bytes = (ip / icmp / raw).serialize();
    c.write_ip(std::vector<uint8_t>(bytes.begin(), bytes.end()), kGatewayMac, kClientMac, false);
  }
}

void time_wait(const fs::path& dir) {
  PcapWriter w(path_of(dir, "time_wait.pcap"), dlt_for(Link::Ethernet));
  {
    Conversation c(w, Link::Ethernet, client4(41414, 0x0c0c0c0c), server4(80, 0x0d0d0d0d));
    plain_conversation(c, 40);  // the client closes first: it holds TIME_WAIT for 60 s
  }
  {
    // 65 s later, another connection to the same server: by its time the first one's
    // TIME_WAIT (2 * MSL = 60 s on Linux) has expired.
    Conversation c(w, Link::Ethernet, client4(41416, 0x0e0e0e0e), server4(80, 0x0f0f0f0f));
    c.set_time(65 * kSecond + 250000);
    plain_conversation(c, 55);
  }
}

void out_of_order(const fs::path& dir) {
  PcapWriter w(path_of(dir, "out_of_order.pcap"), dlt_for(Link::Ethernet));
  Conversation c(w, Link::Ethernet, client4(41426, 0x5a5a5a5a), server4(80, 0x3c3c3c3c));
  c.handshake(kRtt);
  c.wait(180);
  c.send(Side::Client, Seg(kPshAck).data(kRequest));
  c.wait(kRtt + 150);
  // A five-segment response. The second is dropped by a router before the client's host:
  // the capture never sees it; the client answers the third and fourth with duplicate
  // ACKs carrying SACK blocks, and the server's fast retransmit fills the gap.
  c.send(Side::Server, Seg(TCP::ACK).len(1448));
  c.wait(12);
  const Sent lost = c.send(Side::Server, Seg(TCP::ACK).len(1448).lost_upstream());
  c.wait(12);
  const Sent third = c.send(Side::Server, Seg(TCP::ACK).len(1448).in_flight());
  c.wait(45);
  c.send(Side::Client, Seg().sack(third.seq, third.seq_end));
  c.wait(12);
  const Sent fourth = c.send(Side::Server, Seg(TCP::ACK).len(1448).in_flight());
  c.wait(45);
  c.send(Side::Client, Seg().sack(third.seq, fourth.seq_end));
  c.wait(kRtt);
  c.send(Side::Server, Seg(TCP::ACK).data(lost.payload).seq(lost.seq));
  c.deliver(third);
  c.deliver(fourth);
  c.wait(45);
  c.send(Side::Client, Seg());
  // Then two segments swapped on the way (reordering, nothing lost): the later one is
  // captured first, the earlier one (same IP ID and TSval as sent) 60 µs after it.
  c.wait(kRtt + 900);
  const Sent early = c.send(Side::Server, Seg(TCP::ACK).len(1448).lost_upstream());
  c.wait(30);
  const Sent late = c.send(Side::Server, Seg(kPshAck).len(600).in_flight());
  c.wait(60);
  c.write_ip(early.ip, c.endpoint(Side::Server).mac, c.endpoint(Side::Client).mac, false);
  c.deliver(early);
  c.deliver(late);
  c.wait(45);
  c.send(Side::Client, Seg());
  c.wait(3000);
  c.send(Side::Client, Seg(kFinAck));
  c.wait(kRtt + 60);
  c.send(Side::Server, Seg(kFinAck));
  c.wait(40);
  c.send(Side::Client, Seg());
}

void bad_checksum(const fs::path& dir) {
  PcapWriter w(path_of(dir, "bad_checksum.pcap"), dlt_for(Link::Ethernet));
  Conversation c(w, Link::Ethernet, client4(41422, 0x44332211), server4(80, 0x88776655));
  c.set_checksum_corruption(Side::Client);  // one bit of each checksum flipped
  plain_conversation(c, 180);
}

void checksum_offload(const fs::path& dir) {
  PcapWriter w(path_of(dir, "checksum_offload.pcap"), dlt_for(Link::Ethernet));
  Conversation c(w, Link::Ethernet, client4(41426, 0x55443322), server4(80, 0x99887766));
  c.set_checksum_offload(Side::Client);  // captured on the client, whose NIC fills them in
  plain_conversation(c, 180);
}

void truncated_file(const fs::path& dir) {
  const std::string path = path_of(dir, "truncated_file.pcap");
  {
    PcapWriter w(path, dlt_for(Link::Ethernet));
    Conversation c(w, Link::Ethernet, client4(41430, 0x77777777), server4(80, 0x99999999));
    c.handshake(kRtt);
    request_response(c, 500, false);
  }
  // Walk the records and cut the file in the middle of the last one's data.
  std::ifstream in(path, std::ios::binary);
  std::vector<char> bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  size_t offset = 24;
  size_t last = 24;
  while (offset + 16 <= bytes.size()) {
    uint32_t caplen = 0;
    for (int i = 3; i >= 0; --i)
      caplen = (caplen << 8) | static_cast<uint8_t>(bytes[offset + 8 + i]);
    last = offset;
    offset += 16 + caplen;
  }
  const size_t last_caplen = offset - last - 16;
  fs::resize_file(path, last + 16 + last_caplen / 2);
}

void not_a_capture(const fs::path& dir) {
  std::ofstream out(path_of(dir, "not_a_capture.pcap"), std::ios::binary);
  out << "This is not a capture file.\n"
         "It is plain text with a .pcap name, as left behind by a failed download.\n";
}

// Captured next to the server (a mirror port): the server's ACK of the request is seen
// leaving and then lost downstream, so the client's RTO fires and it resends bytes the
// server had already acknowledged. The server answers the copy with a duplicate ACK whose
// D-SACK block reports it (RFC 2883).
void spurious_retransmission(const fs::path& dir) {
  PcapWriter w(path_of(dir, "spurious_retransmission.pcap"), dlt_for(Link::Ethernet));
  Conversation c(w, Link::Ethernet, client4(41430, 0x36363636), server4(80, 0x47474747));
  c.handshake(kRtt);
  c.wait(187);
  const Sent request = c.send(Side::Client, Seg(kPshAck).data(kRequest));
  c.wait(kRtt / 2 + 35);
  c.send(Side::Server, Seg().in_flight());  // quick ACK, lost on its way to the client
  c.wait(224391 - kRtt / 2 - 35);
  c.send(Side::Client, Seg(kPshAck).data(kRequest).seq(request.seq));
  c.wait(kRtt / 2 + 31);
  c.send(Side::Server, Seg().sack(request.seq, request.seq_end));
  c.wait(170);
  c.send(Side::Server, Seg(kPshAck).data(response(64, false)));
  c.wait(kRtt + 45);
  c.send(Side::Client, Seg());
  c.wait(1210);
  c.send(Side::Client, Seg(kFinAck));
  c.wait(kRtt + 60);
  c.send(Side::Server, Seg(kFinAck));
  c.wait(42);
  c.send(Side::Client, Seg());
}

// An upload to a server whose application stops reading: its window closes. The client
// is a stack that probes with one new byte (BSD, macOS, Windows; Linux probes with a
// keep-alive-shaped segment instead): a zero-window probe, its answer, the same byte again
// at the backed-off timer (a keep-alive to Wireshark), then the application reads and the
// window opens; the client sends on from the probe byte.
void zero_window(const fs::path& dir) {
  PcapWriter w(path_of(dir, "zero_window.pcap"), dlt_for(Link::Ethernet));
  Conversation c(w, Link::Ethernet, client4(41432, 0x58585858), server4(9000, 0x69696969));
  c.handshake(kRtt);
  c.wait(150);
  c.send(Side::Client, Seg(TCP::ACK).len(1448));
  c.wait(9);
  c.send(Side::Client, Seg(kPshAck).len(1448));
  c.wait(kRtt + 40);
  c.send(Side::Server, Seg().window(3));  // 3 << 9 = 1536 bytes left
  c.wait(20);
  c.send(Side::Client, Seg(kPshAck).len(1536));
  c.wait(kRtt + 38);
  c.send(Side::Server, Seg().window(0));  // full: zero window
  c.wait(203110);
  const Sent probe = c.send(Side::Client, Seg(TCP::ACK).len(1).in_flight());
  c.wait(kRtt + 21);
  c.send(Side::Server, Seg().window(0));  // the byte is dropped: the window is still zero
  c.wait(406220);
  c.send(Side::Client, Seg(TCP::ACK).data(probe.payload).seq(probe.seq).in_flight());
  c.wait(kRtt + 19);
  c.send(Side::Server, Seg().window(0));
  c.wait(312004);
  c.send(Side::Server, Seg().window(128));  // the application read: a window update
  c.wait(kRtt + 33);
  c.send(Side::Client, Seg(kPshAck).len(1448).seq(probe.seq));  // from the probe byte on
  c.wait(kRtt + 41);
  c.send(Side::Server, Seg());
  c.wait(220);
  c.send(Side::Client, Seg(kFinAck));
  c.wait(kRtt + 52);
  c.send(Side::Server, Seg(kFinAck));
  c.wait(40);
  c.send(Side::Client, Seg());
}

// TCP Fast Open (RFC 7413), three connections to the same server. (1) The client asks for
// a cookie (empty option in the SYN) and gets one in the SYN-ACK. (2) It sends the request
// in its next SYN with the cookie; the SYN-ACK acknowledges the data and the response
// follows at once. (3) The server has rotated its key: the cookie is refused, the SYN-ACK
// acknowledges only the SYN (and carries a new cookie), and the client sends the request
// again after the handshake.
void fast_open(const fs::path& dir) {
  PcapWriter w(path_of(dir, "fast_open.pcap"), dlt_for(Link::Ethernet));
  const std::vector<uint8_t> cookie{0x5e, 0x1a, 0x93, 0x0c, 0x7b, 0x44, 0xd2, 0x01};
  const std::vector<uint8_t> new_cookie{0x21, 0xc8, 0x0f, 0x6e, 0x95, 0x3a, 0xb7, 0x52};
  auto close = [](Conversation& c) {
    c.wait(900);
    c.send(Side::Client, Seg(kFinAck));
    c.wait(kRtt + 50);
    c.send(Side::Server, Seg(kFinAck));
    c.wait(40);
    c.send(Side::Client, Seg());
  };
  {
    Conversation c(w, Link::Ethernet, client4(41434, 0x71717171), server4(80, 0x82828282));
    c.send(Side::Client, Seg(TCP::SYN).fast_open({}));
    c.wait(kRtt);
    c.send(Side::Server, Seg(kSynAck).fast_open(cookie));
    c.wait(41);
    c.send(Side::Client, Seg());
    request_response(c, 96, false);
    close(c);
  }
  {
    Conversation c(w, Link::Ethernet, client4(41436, 0x93939393), server4(80, 0xa4a4a4a4));
    c.set_time(2 * kSecond);
    c.send(Side::Client, Seg(TCP::SYN).data(kRequest).fast_open(cookie));
    c.wait(kRtt);
    c.send(Side::Server, Seg(kSynAck));  // acknowledges ISN + 1 + the request
    c.wait(35);
    c.send(Side::Server, Seg(kPshAck).data(response(96, false)));
    c.wait(60);
    c.send(Side::Client, Seg());
    close(c);
  }
  {
    Conversation c(w, Link::Ethernet, client4(41438, 0xb5b5b5b5), server4(80, 0xc6c6c6c6));
    c.set_time(4 * kSecond);
    Sent syn = c.send(Side::Client, Seg(TCP::SYN).data(kRequest).fast_open(cookie).in_flight());
    syn.seq_end = syn.seq + 1;  // the server takes the SYN, drops its data
    c.deliver(syn);
    c.wait(kRtt);
    c.send(Side::Server, Seg(kSynAck).fast_open(new_cookie));
    c.wait(41);
    c.send(Side::Client, Seg());
    c.wait(12);
    c.send(Side::Client, Seg(kPshAck).data(kRequest).seq(syn.seq + 1));
    c.wait(kRtt + 210);
    c.send(Side::Server, Seg(kPshAck).data(response(96, false)));
    c.wait(50);
    c.send(Side::Client, Seg());
    close(c);
  }
}

// A download cut by an injected RST, as on-path censors and "TCP reset" middleboxes do:
// it claims to come from the server and has the right seq, so the client takes it
// (ECONNRESET), but its TTL (47) and IPv4 ID are unlike the server's segments, and the real
// server's data keeps arriving after it; the client's kernel, with no socket left, answers
// that data with RST (ID 0, DF).
void forged_rst(const fs::path& dir) {
  PcapWriter w(path_of(dir, "forged_rst.pcap"), dlt_for(Link::Ethernet));
  Conversation c(w, Link::Ethernet, client4(41440, 0xd7d7d7d7), server4(80, 0xe8e8e8e8));
  c.handshake(kRtt);
  c.wait(187);
  c.send(Side::Client, Seg(kPshAck).data(kRequest));
  c.wait(kRtt + 190);
  c.send(Side::Server, Seg(TCP::ACK).len(1448));
  c.wait(12);
  c.send(Side::Server, Seg(TCP::ACK).len(1448));
  c.wait(40);
  c.send(Side::Client, Seg());
  c.wait(310);
  c.send(Side::Server, Seg(TCP::RST | TCP::ACK)
                           .seq(c.snd_nxt(Side::Server))
                           .no_options()
                           .window(0)
                           .ttl(47)
                           .ip_id(0x3c5a));
  c.wait(1890);
  c.send(Side::Server, Seg(TCP::ACK).len(1448));
  c.wait(31);
  // RFC 9293 3.10.7.1: a segment for no connection with ACK is answered with seq = its ack.
  c.send(Side::Client, Seg(TCP::RST).seq(c.snd_nxt(Side::Client)).no_options().window(0).ip_id(0));
}

}  // namespace

int main(int argc, char** argv) {
  if (argc != 2) {
    std::fprintf(stderr, "usage: make_samples OUTDIR\n");
    return 2;
  }
  try {
    const fs::path dir = argv[1];
    fs::create_directories(dir / "bad");
    client_close(dir);
    server_close(dir);
    three_segment_close(dir);
    simultaneous_open(dir);
    simultaneous_close(dir);
    refused(dir);
    reset_mid(dir);
    half_close(dir);
    syn_retransmit(dir);
    seq_wrap(dir);
    ipv6(dir);
    vlan(dir);
    linux_sll2(dir);
    midstream(dir);
    port_reuse(dir);
    truncated_snaplen(dir);
    retransmission(dir);
    icmp_unreachable(dir);
    time_wait(dir);
    bad_checksum(dir);
    checksum_offload(dir);
    out_of_order(dir);
    spurious_retransmission(dir);
    zero_window(dir);
    fast_open(dir);
    forged_rst(dir);
    truncated_file(dir / "bad");
    not_a_capture(dir / "bad");
  } catch (const std::exception& e) {
    std::fprintf(stderr, "make_samples: %s\n", e.what());
    return 1;
  }
  return 0;
}
