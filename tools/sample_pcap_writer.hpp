// SPDX-License-Identifier: MIT
#pragma once
#include <array>
#include <cstdint>
#include <span>
#include <stdexcept>
#include <string>
#include <vector>

#include <pcap/pcap.h>

/// Helpers for tools/make_samples.cpp: a pcap file writer for any link type, and the link
/// headers the samples use. Header-only because tools/ builds one executable per .cpp.
namespace tcpinspect::tools {

/// Sample timestamps start here: 2024-01-01 00:00:00 UTC.
inline constexpr int64_t kSampleEpochSeconds = 1704067200;

/// Writes a classic (microsecond) pcap file through libpcap, so that the file header and
/// record headers are libpcap's own. RAII: the file is flushed and closed on destruction.
class PcapWriter {
 public:
  /// `dlt` is a libpcap DLT_* value (DLT_EN10MB, DLT_RAW, ...); libpcap writes the matching
  /// LINKTYPE_* value. Throws std::runtime_error if the file cannot be opened.
  PcapWriter(const std::string& path, int dlt, int snaplen = 262144) : snaplen_(snaplen) {
    dead_ = pcap_open_dead(dlt, snaplen);
    if (!dead_) throw std::runtime_error("pcap_open_dead failed");
    dumper_ = pcap_dump_open(dead_, path.c_str());
    if (!dumper_) {
      std::string why = pcap_geterr(dead_);
      pcap_close(dead_);
      throw std::runtime_error(path + ": " + why);
    }
  }
  ~PcapWriter() {
    if (dumper_) pcap_dump_close(dumper_);
    if (dead_) pcap_close(dead_);
  }
  PcapWriter(const PcapWriter&) = delete;
  PcapWriter& operator=(const PcapWriter&) = delete;

  /// Writes one frame at `usec` microseconds after kSampleEpochSeconds. Frames longer than
  /// the snaplen are cut to it, with the original length kept in the record header, exactly
  /// as a capture with `tcpdump -s SNAPLEN` would store them.
  void write(int64_t usec, std::span<const uint8_t> frame) {
    pcap_pkthdr hdr{};
    hdr.ts.tv_sec = static_cast<time_t>(kSampleEpochSeconds + usec / 1000000);
    hdr.ts.tv_usec = static_cast<suseconds_t>(usec % 1000000);
    hdr.len = static_cast<bpf_u_int32>(frame.size());
    hdr.caplen = static_cast<bpf_u_int32>(frame.size() > static_cast<size_t>(snaplen_)
                                              ? static_cast<size_t>(snaplen_)
                                              : frame.size());
    pcap_dump(reinterpret_cast<u_char*>(dumper_), &hdr, frame.data());
  }

 private:
  int snaplen_;
  pcap_t* dead_ = nullptr;
  pcap_dumper_t* dumper_ = nullptr;
};

using Mac = std::array<uint8_t, 6>;

/// How frames are framed below IP in one sample file.
enum class Link : uint8_t {
  Ethernet,   // Ethernet II
  Vlan100,    // Ethernet II with one 802.1Q tag, VLAN 100, priority 0
  LinuxSll2,  // Linux cooked capture v2 (LINKTYPE 276), as `tcpdump -i any` writes today
  Raw,        // no link header (LINKTYPE_RAW), as on a tun interface
};

inline int dlt_for(Link link) {
  switch (link) {
    case Link::Ethernet:
    case Link::Vlan100:
      return DLT_EN10MB;
    case Link::LinuxSll2:
      return 276;  // DLT_LINUX_SLL2, spelled out for libpcap headers that predate it
    case Link::Raw:
      return DLT_RAW;
  }
  return DLT_EN10MB;
}

inline void put16(std::vector<uint8_t>& out, uint16_t v) {
  out.push_back(static_cast<uint8_t>(v >> 8));
  out.push_back(static_cast<uint8_t>(v & 0xff));
}

/// Frames an IP datagram for `link`. `outgoing` says the capturing host sent it (the samples
/// are captured on the client unless stated otherwise): it sets the SLL2 packet type, and
/// incoming Ethernet frames are padded to the 60-byte minimum as a NIC delivers them, so a
/// decoder must trust the IP length rather than the frame length.
inline std::vector<uint8_t> frame_ip(Link link, const Mac& src_mac, const Mac& dst_mac,
                                     bool outgoing, std::span<const uint8_t> ip) {
  const uint16_t ethertype = (!ip.empty() && (ip[0] >> 4) == 6) ? 0x86dd : 0x0800;
  std::vector<uint8_t> out;
  out.reserve(ip.size() + 24);
  switch (link) {
    case Link::Ethernet:
    case Link::Vlan100:
      out.insert(out.end(), dst_mac.begin(), dst_mac.end());
      out.insert(out.end(), src_mac.begin(), src_mac.end());
      if (link == Link::Vlan100) {
        put16(out, 0x8100);
        put16(out, 100);  // PCP 0, DEI 0, VID 100
      }
      put16(out, ethertype);
      break;
    case Link::LinuxSll2:
      put16(out, ethertype);  // protocol type
      put16(out, 0);          // reserved
      for (uint8_t b : {0, 0, 0, 2})
        out.push_back(b);               // interface index 2 (eth0)
      put16(out, 1);                    // ARPHRD_ETHER
      out.push_back(outgoing ? 4 : 0);  // PACKET_OUTGOING : PACKET_HOST
      out.push_back(6);                 // link-layer address length
      out.insert(out.end(), src_mac.begin(), src_mac.end());
      out.push_back(0);
      out.push_back(0);  // address field is 8 bytes
      break;
    case Link::Raw:
      break;
  }
  out.insert(out.end(), ip.begin(), ip.end());
  if (!outgoing && (link == Link::Ethernet || link == Link::Vlan100)) {
    const size_t min_len = link == Link::Vlan100 ? 64 : 60;
    if (out.size() < min_len) out.resize(min_len, 0);
  }
  return out;
}

}  // namespace tcpinspect::tools
