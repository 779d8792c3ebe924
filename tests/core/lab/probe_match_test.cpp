// SPDX-License-Identifier: MIT
// The probe-answer matcher on raw IPv4 packets written out as bytes and decoded, as probe
// sees them: answers, our kernel's RST, ICMP errors, strays and other flows.
#include <gtest/gtest.h>

#include <cstdint>
#include <vector>

#include "core/lab/probe_match.hpp"
#include "core/wire/decode.hpp"

namespace tcpinspect::core {
namespace {

// 10.0.0.1:40000 probes 10.0.0.2 with seq 1000 (and ack 5000 for ACK probes).
constexpr uint8_t kUs[4] = {10, 0, 0, 1};
constexpr uint8_t kTarget[4] = {10, 0, 0, 2};

IpAddress v4(const uint8_t* a) {
  IpAddress ip;
  ip.version = 4;
  for (int i = 0; i < 4; ++i)
    ip.bytes[static_cast<size_t>(i)] = a[i];
  return ip;
}

ProbeIdentity probe(uint16_t flags) {
  ProbeIdentity p;
  p.src = v4(kUs);
  p.dst = v4(kTarget);
  p.src_port = 40000;
  p.flags = flags;
  p.seq = 1000;
  p.ack = (flags & kAck) ? 5000 : 0;
  return p;
}

void put16(std::vector<uint8_t>& b, uint16_t v) {
  b.push_back(static_cast<uint8_t>(v >> 8));
  b.push_back(static_cast<uint8_t>(v));
}
void put32(std::vector<uint8_t>& b, uint32_t v) {
  put16(b, static_cast<uint16_t>(v >> 16));
  put16(b, static_cast<uint16_t>(v));
}

// A 20-byte IPv4 header (protocol, total length) then the rest (checksums left 0: the
// matcher sees what decode_packet gives without verifying them, as probe does).
std::vector<uint8_t> ipv4(const uint8_t* src, const uint8_t* dst, uint8_t protocol,
                          const std::vector<uint8_t>& rest) {
  std::vector<uint8_t> b = {0x45, 0};
  put16(b, static_cast<uint16_t>(20 + rest.size()));
  b.insert(b.end(), {0, 1, 0x40, 0, 64, protocol, 0, 0});
  b.insert(b.end(), src, src + 4);
  b.insert(b.end(), dst, dst + 4);
  b.insert(b.end(), rest.begin(), rest.end());
  return b;
}

std::vector<uint8_t> tcp(uint16_t sport, uint16_t dport, uint32_t seq, uint32_t ack,
                         uint8_t flags) {
  std::vector<uint8_t> b;
  put16(b, sport);
  put16(b, dport);
  put32(b, seq);
  put32(b, ack);
  b.insert(b.end(), {0x50, flags, 0xff, 0xff, 0, 0, 0, 0});
  return b;
}

ProbeMatch match(const ProbeIdentity& id, const std::vector<uint8_t>& bytes) {
  DecodedPacket p;
  decode_packet(LinkType::Raw, bytes, static_cast<uint32_t>(bytes.size()), p, false);
  return match_probe_answer(id, p);
}

constexpr uint8_t SYN = 0x02, RST = 0x04, ACK = 0x10, FIN = 0x01;

TEST(ProbeMatch, SynAckAndRstAnswerASynProbe) {
  const ProbeIdentity id = probe(kSyn);
  ProbeMatch m = match(id, ipv4(kTarget, kUs, 6, tcp(80, 40000, 777, 1001, SYN | ACK)));
  EXPECT_EQ(m.kind, ProbeMatchKind::Answer);
  EXPECT_EQ(m.port, 80);
  EXPECT_EQ(m.response, ProbeResponse::SynAck);
  m = match(id, ipv4(kTarget, kUs, 6, tcp(7, 40000, 0, 1001, RST | ACK)));
  EXPECT_EQ(m.kind, ProbeMatchKind::Answer);
  EXPECT_EQ(m.port, 7);
  EXPECT_EQ(m.response, ProbeResponse::Rst);
  // An ACK of our seq + 1 that is neither SYN-ACK nor RST: answered, but no textbook case.
  m = match(id, ipv4(kTarget, kUs, 6, tcp(8, 40000, 5, 1001, ACK)));
  EXPECT_EQ(m.response, ProbeResponse::Other);
}

TEST(ProbeMatch, WrongAckIsAStrayNotAnAnswer) {
  const ProbeIdentity id = probe(kSyn);
  // ack = seq (the SYN's own number not counted): an old or forged segment.
  ProbeMatch m = match(id, ipv4(kTarget, kUs, 6, tcp(80, 40000, 0, 1000, RST | ACK)));
  EXPECT_EQ(m.kind, ProbeMatchKind::Stray);
  EXPECT_EQ(m.port, 80);
  // A FIN probe consumes one too: ack must be seq + 1.
  m = match(probe(kFin), ipv4(kTarget, kUs, 6, tcp(22, 40000, 0, 1001, RST | ACK)));
  EXPECT_EQ(m.kind, ProbeMatchKind::Answer);
  // A NULL probe consumes none: ack = seq.
  m = match(probe(0), ipv4(kTarget, kUs, 6, tcp(22, 40000, 0, 1000, RST | ACK)));
  EXPECT_EQ(m.kind, ProbeMatchKind::Answer);
  EXPECT_EQ(m.response, ProbeResponse::Rst);
}

TEST(ProbeMatch, AckProbeIsAnsweredByRstAtOurAck) {
  const ProbeIdentity id = probe(kAck);
  ProbeMatch m = match(id, ipv4(kTarget, kUs, 6, tcp(443, 40000, 5000, 0, RST)));
  EXPECT_EQ(m.kind, ProbeMatchKind::Answer);
  EXPECT_EQ(m.port, 443);
  EXPECT_EQ(m.response, ProbeResponse::Rst);
  m = match(id, ipv4(kTarget, kUs, 6, tcp(443, 40000, 4999, 0, RST)));
  EXPECT_EQ(m.kind, ProbeMatchKind::Stray);
  // The same RST does not answer a SYN probe (it carries no ACK).
  m = match(probe(kSyn), ipv4(kTarget, kUs, 6, tcp(443, 40000, 5000, 0, RST)));
  EXPECT_EQ(m.kind, ProbeMatchKind::Stray);
}

TEST(ProbeMatch, OurKernelsRstAndOurOwnProbes) {
  const ProbeIdentity id = probe(kSyn);
  ProbeMatch m = match(id, ipv4(kUs, kTarget, 6, tcp(40000, 80, 1001, 0, RST)));
  EXPECT_EQ(m.kind, ProbeMatchKind::KernelRst);
  EXPECT_EQ(m.port, 80);
  EXPECT_EQ(match(id, ipv4(kUs, kTarget, 6, tcp(40000, 80, 1000, 0, SYN))).kind,
            ProbeMatchKind::Unrelated);
}

TEST(ProbeMatch, OtherFlowsAreUnrelated) {
  const ProbeIdentity id = probe(kSyn);
  constexpr uint8_t other[4] = {10, 0, 0, 9};
  EXPECT_EQ(match(id, ipv4(other, kUs, 6, tcp(80, 40000, 0, 1001, SYN | ACK))).kind,
            ProbeMatchKind::Unrelated);
  EXPECT_EQ(match(id, ipv4(kTarget, kUs, 6, tcp(80, 40001, 0, 1001, SYN | ACK))).kind,
            ProbeMatchKind::Unrelated);
  // Not even TCP (UDP), and a truncated packet.
  EXPECT_EQ(match(id, ipv4(kTarget, kUs, 17, {0, 53, 0x9c, 0x40, 0, 8, 0, 0})).kind,
            ProbeMatchKind::Unrelated);
  const std::vector<uint8_t> cut = {0x45, 0, 0, 40, 0, 1};
  EXPECT_EQ(match(id, cut).kind, ProbeMatchKind::Unrelated);
}

// ICMP port unreachable (type 3 code 3) quoting our probe's IP header + 8 TCP bytes.
std::vector<uint8_t> icmp_unreachable(const uint8_t* from, uint16_t quoted_sport,
                                      const uint8_t* quoted_dst, uint16_t quoted_dport) {
  std::vector<uint8_t> quoted =
      ipv4(kUs, quoted_dst, 6, tcp(quoted_sport, quoted_dport, 1000, 0, SYN));
  quoted.resize(28);  // IP header + the first 8 bytes of TCP, as RFC 792 quotes
  quoted[2] = 0;
  quoted[3] = 40;  // the original total length
  std::vector<uint8_t> icmp = {3, 3, 0, 0, 0, 0, 0, 0};
  icmp.insert(icmp.end(), quoted.begin(), quoted.end());
  return ipv4(from, kUs, 1, icmp);
}

TEST(ProbeMatch, IcmpUnreachableQuotingOurProbe) {
  const ProbeIdentity id = probe(kSyn);
  constexpr uint8_t router[4] = {10, 0, 0, 254};
  ProbeMatch m = match(id, icmp_unreachable(router, 40000, kTarget, 10));
  EXPECT_EQ(m.kind, ProbeMatchKind::Answer);
  EXPECT_EQ(m.port, 10);
  EXPECT_EQ(m.response, ProbeResponse::IcmpUnreachable);
  EXPECT_EQ(match(id, icmp_unreachable(router, 40001, kTarget, 10)).kind,
            ProbeMatchKind::Unrelated);
  constexpr uint8_t elsewhere[4] = {10, 0, 0, 3};
  EXPECT_EQ(match(id, icmp_unreachable(router, 40000, elsewhere, 10)).kind,
            ProbeMatchKind::Unrelated);
}

}  // namespace
}  // namespace tcpinspect::core
