// SPDX-License-Identifier: MIT
// Cross-checks core::decode_packet against libtins: packets built and serialized by libtins,
// and every TCP frame of samples/*.pcap, must decode to the fields libtins parses from the
// same bytes.
#include <gtest/gtest.h>
#include <tins/tins.h>

#include <algorithm>
#include <cstdint>
#include <filesystem>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "capture/pcap_file_source.hpp"
#include "core/wire/decode.hpp"
#include "core/wire/ip_format.hpp"

namespace tcpinspect {
namespace {

using core::DecodedPacket;
using core::DecodeResult;
using core::LinkType;

// What libtins reports for the TCP segment of a parsed frame.
struct TinsView {
  const Tins::IP* ip4 = nullptr;
  const Tins::IPv6* ip6 = nullptr;
  const Tins::TCP* tcp = nullptr;
  size_t payload_size = 0;
  const uint8_t* payload = nullptr;
  // The TCP checksum libtins computes equals the one on the wire; unknown when libtins cannot
  // write the segment again (it sizes an option without data, e.g. a Fast Open cookie
  // request, kind 34 length 2, as one byte and throws).
  std::optional<bool> checksum_ok;
};

// libtins recomputes the TCP checksum when it serializes; parse that back and compare.
template <typename Ip>
std::optional<bool> tins_checksum_ok(const Ip& ip, const Tins::TCP& tcp) {
  Ip copy = ip;
  Tins::PDU::serialization_type bytes;
  try {
    bytes = copy.serialize();
  } catch (const Tins::serialization_error&) {
    return std::nullopt;
  }
  const Ip again(bytes.data(), static_cast<uint32_t>(bytes.size()));
  const auto* tcp_again = again.template find_pdu<Tins::TCP>();
  return tcp_again && tcp_again->checksum() == tcp.checksum();
}

TinsView view_of(const Tins::PDU& pdu) {
  TinsView v;
  v.ip4 = pdu.find_pdu<Tins::IP>();
  v.ip6 = pdu.find_pdu<Tins::IPv6>();
  v.tcp = pdu.find_pdu<Tins::TCP>();
  if (v.tcp) {
    if (const auto* raw = v.tcp->find_pdu<Tins::RawPDU>()) {
      v.payload_size = raw->payload().size();
      v.payload = raw->payload().data();
    }
    v.checksum_ok = v.ip4 ? tins_checksum_ok(*v.ip4, *v.tcp) : tins_checksum_ok(*v.ip6, *v.tcp);
  }
  return v;
}

std::string addr_string(const core::IpAddress& a) {
  return core::ip_to_string(a);
}

// Compares every field both sides have. `full` says the frame was captured whole, so
// payload length and checksum can be compared too.
void expect_same(const DecodedPacket& p, const TinsView& t, bool full, const std::string& what) {
  SCOPED_TRACE(what);
  ASSERT_NE(t.tcp, nullptr);
  ASSERT_EQ(p.result, DecodeResult::Tcp) << (p.problem ? p.problem : "");
  if (t.ip4) {
    EXPECT_EQ(p.ip_version, 4);
    EXPECT_EQ(addr_string(p.src), t.ip4->src_addr().to_string());
    EXPECT_EQ(addr_string(p.dst), t.ip4->dst_addr().to_string());
    EXPECT_EQ(p.ttl, t.ip4->ttl());
    EXPECT_EQ(p.tos, t.ip4->tos());
    EXPECT_EQ(p.ip_id, t.ip4->id());
    EXPECT_EQ(p.dont_fragment, (t.ip4->flags() & Tins::IP::DONT_FRAGMENT) != 0);
    EXPECT_EQ(p.more_fragments, (t.ip4->flags() & Tins::IP::MORE_FRAGMENTS) != 0);
    EXPECT_EQ(p.fragment_offset, t.ip4->fragment_offset() * 8);
    EXPECT_EQ(p.protocol, t.ip4->protocol());
  } else {
    ASSERT_NE(t.ip6, nullptr);
    EXPECT_EQ(p.ip_version, 6);
    EXPECT_EQ(addr_string(p.src), t.ip6->src_addr().to_string());
    EXPECT_EQ(addr_string(p.dst), t.ip6->dst_addr().to_string());
    EXPECT_EQ(p.ttl, t.ip6->hop_limit());
    EXPECT_EQ(p.tos, t.ip6->traffic_class());
    EXPECT_EQ(p.protocol, 6);
  }
  const Tins::TCP& tcp = *t.tcp;
  EXPECT_EQ(p.tcp.src_port, tcp.sport());
  EXPECT_EQ(p.tcp.dst_port, tcp.dport());
  EXPECT_EQ(p.tcp.seq, tcp.seq());
  EXPECT_EQ(p.tcp.ack, tcp.ack_seq());
  EXPECT_EQ(p.tcp.window, tcp.window());
  EXPECT_EQ(p.tcp.checksum, tcp.checksum());
  EXPECT_EQ(p.tcp.urgent, tcp.urg_ptr());
  EXPECT_EQ(p.tcp.header_len, tcp.data_offset() * 4);
  // libtins' flags() is the reserved nibble (whose low bit is AE) and the 8 classic flags.
  EXPECT_EQ(p.tcp.flags, static_cast<uint16_t>(tcp.flags()) & 0x1FF);
  EXPECT_EQ(p.captured_payload_len, t.payload_size);
  if (t.payload_size > 0) {
    EXPECT_TRUE(std::equal(t.payload, t.payload + t.payload_size, p.payload));
  }
  if (full) {
    EXPECT_EQ(p.payload_len, t.payload_size);
  }

  const core::TcpOptions& o = p.tcp.options;
  EXPECT_EQ(o.problem, core::TcpOptionProblem::None);
  const auto* mss = tcp.search_option(Tins::TCP::MSS);
  EXPECT_EQ(o.has_mss, mss != nullptr);
  if (mss) {
    EXPECT_EQ(o.mss, tcp.mss());
  }
  const auto* ws = tcp.search_option(Tins::TCP::WSCALE);
  EXPECT_EQ(o.has_window_scale, ws != nullptr);
  if (ws) {
    EXPECT_EQ(o.window_scale, tcp.winscale());
  }
  EXPECT_EQ(o.sack_permitted, tcp.has_sack_permitted());
  const auto* ts = tcp.search_option(Tins::TCP::TSOPT);
  EXPECT_EQ(o.has_timestamps, ts != nullptr);
  if (ts) {
    EXPECT_EQ(o.ts_val, tcp.timestamp().first);
    EXPECT_EQ(o.ts_ecr, tcp.timestamp().second);
  }
  if (tcp.search_option(Tins::TCP::SACK)) {
    const auto edges = tcp.sack();
    ASSERT_EQ(edges.size(), o.sack_block_count * 2u);
    for (size_t i = 0; i < o.sack_block_count; ++i) {
      EXPECT_EQ(o.sack_blocks[i].left, edges[2 * i]);
      EXPECT_EQ(o.sack_blocks[i].right, edges[2 * i + 1]);
    }
  } else {
    EXPECT_EQ(o.sack_block_count, 0);
  }
  // Option kinds in order; libtins drops EOL, so compare without it.
  std::vector<uint8_t> core_kinds;
  for (size_t i = 0; i < o.kind_count; ++i)
    if (o.kinds[i] != 0) core_kinds.push_back(o.kinds[i]);
  std::vector<uint8_t> tins_kinds;
  for (const auto& opt : tcp.options())
    if (opt.option() != Tins::TCP::EOL) tins_kinds.push_back(static_cast<uint8_t>(opt.option()));
  EXPECT_EQ(core_kinds, tins_kinds);
  if (full && t.checksum_ok) {
    // libtins knows only right or wrong. The wrong fields of samples/checksum_offload.pcap
    // hold checksum offload's partial sum (samples/README.md), which core tells apart.
    const bool offload_sample = what.rfind("checksum_offload.pcap", 0) == 0;
    EXPECT_EQ(p.tcp_checksum, *t.checksum_ok   ? core::ChecksumStatus::Good
                              : offload_sample ? core::ChecksumStatus::Offloaded
                                               : core::ChecksumStatus::Bad);
  }
}

// Serializes `pkt`, decodes it with core and parses it back with libtins, and compares.
void check_built(Tins::PDU& pkt, const std::string& what) {
  const Tins::PDU::serialization_type bytes = pkt.serialize();
  DecodedPacket p;
  core::decode_packet(LinkType::Ethernet, bytes, static_cast<uint32_t>(bytes.size()), p);
  const Tins::EthernetII parsed(bytes.data(), static_cast<uint32_t>(bytes.size()));
  const TinsView t = view_of(parsed);
  EXPECT_EQ(t.checksum_ok, true) << what;
  expect_same(p, t, true, what);
  if (parsed.find_pdu<Tins::IP>()) {
    EXPECT_EQ(p.ip_checksum, core::ChecksumStatus::Good);
  }
  if (const auto* dot1q = parsed.find_pdu<Tins::Dot1Q>()) {
    ASSERT_GE(p.vlan_count, 1) << what;
    EXPECT_EQ(p.vlan_ids[0], dot1q->id()) << what;
  }
}

struct OptionSet {
  const char* name;
  void (*apply)(Tins::TCP&);
};

const OptionSet kOptionSets[] = {
    {"none", [](Tins::TCP&) {}},
    {"mss", [](Tins::TCP& t) { t.mss(1460); }},
    {"linux-syn",
     [](Tins::TCP& t) {
       t.mss(1460);
       t.sack_permitted();
       t.timestamp(0x11223344, 0);
       t.add_option(Tins::TCP::option(Tins::TCP::NOP));
       t.winscale(7);
     }},
    {"ts",
     [](Tins::TCP& t) {
       t.add_option(Tins::TCP::option(Tins::TCP::NOP));
       t.add_option(Tins::TCP::option(Tins::TCP::NOP));
       t.timestamp(0xfffffff0, 0x80000000);
     }},
    {"sack1",
     [](Tins::TCP& t) {
       t.add_option(Tins::TCP::option(Tins::TCP::NOP));
       t.add_option(Tins::TCP::option(Tins::TCP::NOP));
       t.sack({1000, 2000});
     }},
    {"sack3+ts",
     [](Tins::TCP& t) {
       t.add_option(Tins::TCP::option(Tins::TCP::NOP));
       t.add_option(Tins::TCP::option(Tins::TCP::NOP));
       t.timestamp(5, 6);
       t.add_option(Tins::TCP::option(Tins::TCP::NOP));
       t.add_option(Tins::TCP::option(Tins::TCP::NOP));
       t.sack({0xffffff00, 0x10, 100, 200, 300, 400});
     }},
    {"sack4",
     [](Tins::TCP& t) {
       t.add_option(Tins::TCP::option(Tins::TCP::NOP));
       t.add_option(Tins::TCP::option(Tins::TCP::NOP));
       t.sack({1, 2, 3, 4, 5, 6, 7, 8});
     }},
    {"wscale14+sackok",
     [](Tins::TCP& t) {
       t.winscale(14);
       t.sack_permitted();
     }},
};

constexpr uint16_t kFlagSets[] = {
    Tins::TCP::SYN,
    Tins::TCP::SYN | Tins::TCP::ACK,
    Tins::TCP::ACK,
    Tins::TCP::PSH | Tins::TCP::ACK,
    Tins::TCP::FIN | Tins::TCP::ACK,
    Tins::TCP::RST,
    Tins::TCP::RST | Tins::TCP::ACK,
    Tins::TCP::URG | Tins::TCP::ACK | Tins::TCP::PSH,
    Tins::TCP::SYN | Tins::TCP::ECE | Tins::TCP::CWR,
    0x100 | Tins::TCP::SYN | Tins::TCP::ECE | Tins::TCP::CWR,  // AE (accurate ECN)
    0x1FF,                                                     // everything
    0,
};

std::vector<uint8_t> payload_of(size_t n) {
  std::vector<uint8_t> v(n);
  for (size_t i = 0; i < n; ++i)
    v[i] = static_cast<uint8_t>(i * 7 + 3);
  return v;
}

TEST(LibtinsCrosscheck, BuiltIpv4Packets) {
  int count = 0;
  for (const auto& opts : kOptionSets) {
    for (uint16_t flags : kFlagSets) {
      for (size_t payload : {0u, 1u, 5u, 100u, 1400u}) {
        Tins::TCP tcp(static_cast<uint16_t>(80 + count), static_cast<uint16_t>(40000 + count));
        tcp.seq(0xfffffff0u + static_cast<uint32_t>(count) * 977u);
        tcp.ack_seq(0x7fffffffu + static_cast<uint32_t>(count));
        tcp.window(static_cast<uint16_t>(1000 + count));
        tcp.flags(flags);
        tcp.urg_ptr(flags & Tins::TCP::URG ? 3 : 0);
        opts.apply(tcp);
        Tins::IP ip("10.0.0.1", "192.168.100.200");
        ip.ttl(static_cast<uint8_t>(count % 256));
        ip.tos(static_cast<uint8_t>(count * 4));
        ip.id(static_cast<uint16_t>(count * 131));
        if (count % 2) ip.flags(Tins::IP::DONT_FRAGMENT);
        Tins::EthernetII eth =
            Tins::EthernetII("02:00:00:00:00:02", "02:00:00:00:00:01") / ip / tcp;
        if (payload) eth /= Tins::RawPDU(payload_of(payload));
        check_built(eth, std::string("ipv4 ") + opts.name + " flags " + std::to_string(flags) +
                             " payload " + std::to_string(payload));
        ++count;
      }
    }
  }
  EXPECT_EQ(count, 8 * 12 * 5);
}

TEST(LibtinsCrosscheck, BuiltIpv6Packets) {
  int count = 0;
  for (const auto& opts : kOptionSets) {
    for (uint16_t flags : kFlagSets) {
      for (size_t payload : {0u, 3u, 1200u}) {
        Tins::TCP tcp(443, static_cast<uint16_t>(50000 + count));
        tcp.seq(static_cast<uint32_t>(count) * 0x01000193u);
        tcp.ack_seq(~static_cast<uint32_t>(count));
        tcp.flags(flags);
        opts.apply(tcp);
        Tins::IPv6 ip6("2001:db8::1", "fe80::1:2:3:4");
        ip6.hop_limit(static_cast<uint8_t>(count));
        ip6.traffic_class(static_cast<uint8_t>(count * 3));
        Tins::EthernetII eth = Tins::EthernetII() / ip6 / tcp;
        if (payload) eth /= Tins::RawPDU(payload_of(payload));
        check_built(eth, std::string("ipv6 ") + opts.name + " flags " + std::to_string(flags) +
                             " payload " + std::to_string(payload));
        ++count;
      }
    }
  }
  EXPECT_EQ(count, 8 * 12 * 3);
}

TEST(LibtinsCrosscheck, BuiltVlanPackets) {
  for (uint16_t vid : {1, 100, 4094}) {
    Tins::EthernetII eth = Tins::EthernetII() / Tins::Dot1Q(vid) /
                           Tins::IP("10.1.1.1", "10.2.2.2") / Tins::TCP(22, 60000) /
                           Tins::RawPDU(payload_of(10));
    check_built(eth, "vlan " + std::to_string(vid));
  }
}

// An ICMP error as libtins sees it: type and code from the ICMP PDU, the quote parsed as
// IP + TCP from its payload (the samples quote whole segments, so libtins can parse them).
template <typename Icmp, typename Ip>
void expect_same_quote_as(const DecodedPacket& p, const Icmp& icmp, const std::string& what) {
  SCOPED_TRACE(what);
  EXPECT_EQ(p.icmp.type, static_cast<uint8_t>(icmp.type()));
  EXPECT_EQ(p.icmp.code, icmp.code());
  const auto* raw = icmp.template find_pdu<Tins::RawPDU>();
  ASSERT_NE(raw, nullptr) << "libtins kept no quote";
  const auto& q = raw->payload();
  const Ip ip(q.data(), static_cast<uint32_t>(q.size()));
  EXPECT_EQ(core::ip_to_string(p.icmp.quoted_src), ip.src_addr().to_string());
  EXPECT_EQ(core::ip_to_string(p.icmp.quoted_dst), ip.dst_addr().to_string());
  const auto* tcp = ip.template find_pdu<Tins::TCP>();
  ASSERT_NE(tcp, nullptr);
  EXPECT_EQ(p.icmp.quoted_src_port, tcp->sport());
  EXPECT_EQ(p.icmp.quoted_dst_port, tcp->dport());
  EXPECT_TRUE(p.icmp.has_quoted_seq);
  EXPECT_EQ(p.icmp.quoted_seq, tcp->seq());
}

void expect_same_quote(const DecodedPacket& p, const Tins::PDU& frame, const std::string& what) {
  if (const auto* icmp = frame.find_pdu<Tins::ICMP>())
    return expect_same_quote_as<Tins::ICMP, Tins::IP>(p, *icmp, what);
  const auto* icmp6 = frame.find_pdu<Tins::ICMPv6>();
  ASSERT_NE(icmp6, nullptr) << what << ": core says ICMP error, libtins finds no ICMP";
  expect_same_quote_as<Tins::ICMPv6, Tins::IPv6>(p, *icmp6, what);
}

// Offset of the IP header for link types whose header has a fixed length.
std::optional<size_t> fixed_link_header(LinkType link) {
  switch (link) {
    case LinkType::Null:
    case LinkType::Loop:
      return 4;
    case LinkType::LinuxSll:
      return 16;
    case LinkType::LinuxSll2:
      return 20;
    case LinkType::Raw:
    case LinkType::Ipv4:
    case LinkType::Ipv6:
      return 0;
    default:
      return std::nullopt;
  }
}

// libtins' parse of a captured frame (Ethernet, or raw IP after a fixed link header).
std::unique_ptr<Tins::PDU> tins_parse(LinkType link, std::span<const uint8_t> f) {
  if (link == LinkType::Ethernet)
    return std::make_unique<Tins::EthernetII>(f.data(), static_cast<uint32_t>(f.size()));
  const auto off = fixed_link_header(link);
  if (!off || f.size() <= *off) return nullptr;
  const uint8_t* ip = f.data() + *off;
  const auto len = static_cast<uint32_t>(f.size() - *off);
  if ((ip[0] >> 4) == 4) return std::make_unique<Tins::IP>(ip, len);
  if ((ip[0] >> 4) == 6) return std::make_unique<Tins::IPv6>(ip, len);
  return nullptr;
}

TEST(LibtinsCrosscheck, SampleCaptures) {
  const std::filesystem::path dir = std::filesystem::path(TCPINSPECT_SOURCE_DIR) / "samples";
  std::vector<std::filesystem::path> files;
  if (std::filesystem::is_directory(dir))
    for (const auto& e : std::filesystem::directory_iterator(dir))
      if (e.path().extension() == ".pcap") files.push_back(e.path());
  std::sort(files.begin(), files.end());
  // No samples means nothing was checked: a failure, not a skip.
  ASSERT_FALSE(files.empty()) << "no samples/*.pcap in " << dir;

  size_t compared = 0;
  size_t compared_icmp = 0;
  for (const auto& path : files) {
    capture::PcapFileSource src(path.string());
    const auto link = core::link_type_from_dlt(src.datalink());
    ASSERT_TRUE(link) << path << ": DLT " << src.datalink();
    core::Frame frame;
    while (src.next(frame) == capture::PcapFileSource::ReadStatus::Frame) {
      const std::string what = path.filename().string() + " frame " + std::to_string(frame.index);
      DecodedPacket p;
      core::decode_packet(*link, frame.data, frame.wire_len, p);
      std::unique_ptr<Tins::PDU> parsed;
      try {
        parsed = tins_parse(*link, frame.data);
      } catch (const Tins::malformed_packet&) {
        // libtins refuses a frame cut inside a header; core must not call that Tcp either.
        EXPECT_NE(p.result, DecodeResult::Tcp) << what;
        continue;
      }
      const TinsView t = parsed ? view_of(*parsed) : TinsView{};
      if (p.result == DecodeResult::IcmpUnreachable) {
        ASSERT_NE(parsed, nullptr) << what;
        expect_same_quote(p, *parsed, what);
        ++compared_icmp;
        continue;
      }
      if (p.result != DecodeResult::Tcp) {
        // libtins may still find a TCP PDU in, e.g., an ICMP quote; a top-level TCP segment
        // that core missed is a bug.
        if (t.tcp && p.result != DecodeResult::IcmpUnreachable)
          ADD_FAILURE() << what << ": libtins sees TCP, core says " << static_cast<int>(p.result)
                        << " " << (p.problem ? p.problem : "");
        continue;
      }
      const bool full = frame.data.size() >= frame.wire_len;
      expect_same(p, t, full, what);
      ++compared;
    }
  }
  EXPECT_GT(compared, 0u);
  EXPECT_GT(compared_icmp, 0u);  // samples/icmp_unreachable.pcap
  std::printf("compared %zu TCP frames and %zu ICMP errors from %zu sample files\n", compared,
              compared_icmp, files.size());
}

}  // namespace
}  // namespace tcpinspect
