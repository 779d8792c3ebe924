// SPDX-License-Identifier: MIT
// pcap_baseline FILE: the floor for "read and decode every TCP segment" (bench/run.sh).
// A bare libpcap pcap_next_ex loop that parses Ethernet (with 802.1Q tags), IPv4/IPv6 and the
// TCP ports, seq, ack and flags by hand, and sums them so the compiler cannot drop the work.
// No state, no output per packet: anything that does more should be measured against this.
#include <cstdint>
#include <cstdio>

#include <pcap/pcap.h>

namespace {

inline uint16_t be16(const u_char* p) {
  return static_cast<uint16_t>(p[0] << 8 | p[1]);
}
inline uint32_t be32(const u_char* p) {
  return static_cast<uint32_t>(p[0]) << 24 | static_cast<uint32_t>(p[1]) << 16 |
         static_cast<uint32_t>(p[2]) << 8 | p[3];
}

}  // namespace

int main(int argc, char** argv) {
  if (argc != 2) {
    std::fprintf(stderr, "usage: pcap_baseline FILE.pcap\n");
    return 2;
  }
  char errbuf[PCAP_ERRBUF_SIZE] = {};
  pcap_t* p = pcap_open_offline(argv[1], errbuf);
  if (!p) {
    std::fprintf(stderr, "pcap_baseline: %s\n", errbuf);
    return 1;
  }
  if (pcap_datalink(p) != DLT_EN10MB) {
    std::fprintf(stderr, "pcap_baseline: only Ethernet captures\n");
    pcap_close(p);
    return 1;
  }
  uint64_t frames = 0, tcp = 0, sum = 0;
  pcap_pkthdr* h = nullptr;
  const u_char* d = nullptr;
  int rc = 0;
  while ((rc = pcap_next_ex(p, &h, &d)) == 1) {
    ++frames;
    const uint32_t n = h->caplen;
    uint32_t off = 12;
    if (n < off + 2) continue;
    uint16_t type = be16(d + off);
    off += 2;
    while ((type == 0x8100 || type == 0x88a8) && n >= off + 4) {
      type = be16(d + off + 2);
      off += 4;
    }
    uint8_t proto = 0;
    if (type == 0x0800) {
      if (n < off + 20) continue;
      const uint32_t ihl = (d[off] & 0x0f) * 4u;
      proto = d[off + 9];
      if (ihl < 20 || (be16(d + off + 6) & 0x1fff) != 0) continue;
      off += ihl;
    } else if (type == 0x86dd) {
      if (n < off + 40) continue;
      proto = d[off + 6];
      off += 40;
    } else {
      continue;
    }
    if (proto != 6 || n < off + 20) continue;
    ++tcp;
    sum += be16(d + off) + be16(d + off + 2) + be32(d + off + 4) + be32(d + off + 8) +
           (be16(d + off + 12) & 0x01ff);
  }
  if (rc == PCAP_ERROR) std::fprintf(stderr, "pcap_baseline: %s\n", pcap_geterr(p));
  pcap_close(p);
  std::printf("frames %llu tcp %llu sum %llu\n", static_cast<unsigned long long>(frames),
              static_cast<unsigned long long>(tcp), static_cast<unsigned long long>(sum));
  return rc == PCAP_ERROR ? 1 : 0;
}
