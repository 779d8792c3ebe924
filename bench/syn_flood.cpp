// SPDX-License-Identifier: MIT
// Loopback-only SYN flood for the live capture benchmark (bench/live_bench.sh): IPv4 TCP
// SYNs from random 127.x.y.z addresses and random source ports, in batches (sendmmsg).
// Refuses any destination or source outside 127.0.0.0/8, stops after --count packets or
// --seconds (10 at most), whichever comes first. Needs CAP_NET_RAW.
//
// --via raw (default) sends through an IPv4 raw socket: each SYN takes the IP output path
// (routing, netfilter OUTPUT) before reaching lo. --via packet hands complete frames to the
// loopback device through a packet socket, skipping the IP output path, so one core offers
// about twice as many SYNs; the receive side (capture taps, IP input) is the same. It only
// ever binds the device called lo, and refuses to run if that device is not a loopback.
//
// usage: syn_flood [--dst 127.0.0.1] [--port 9] [--count N] [--seconds S] [--rate PPS]
//                  [--via raw|packet]
// prints: "sent N packets in S seconds (R packets/s)"
#include <arpa/inet.h>
#include <linux/if_packet.h>
#include <net/ethernet.h>
#include <net/if.h>
#include <netinet/in.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <unistd.h>

#include <chrono>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>
#include <thread>
#include <vector>

namespace {

constexpr uint64_t kMaxCount = 50'000'000;
constexpr double kMaxSeconds = 10.0;
constexpr int kBatch = 64;
constexpr size_t kPacketLen = 20 + 20;  // IPv4 header + TCP header, no options
constexpr size_t kEthLen = 14;          // lo takes Ethernet framing (all-zero MACs)

// The whole safety rule: loopback only.
bool is_loopback(uint32_t addr_host_order) {
  return (addr_host_order >> 24) == 127;
}

uint64_t splitmix64(uint64_t& s) {
  uint64_t z = (s += 0x9e3779b97f4a7c15ULL);
  z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
  z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
  return z ^ (z >> 31);
}

uint32_t sum16(const uint8_t* p, size_t n, uint32_t sum = 0) {
  for (size_t i = 0; i + 1 < n; i += 2)
    sum += static_cast<uint32_t>(p[i] << 8 | p[i + 1]);
  if (n & 1) sum += static_cast<uint32_t>(p[n - 1] << 8);
  return sum;
}

uint16_t fold(uint32_t sum) {
  while (sum >> 16)
    sum = (sum & 0xffff) + (sum >> 16);
  return static_cast<uint16_t>(~sum);
}

void put16(uint8_t* p, uint16_t v) {
  p[0] = static_cast<uint8_t>(v >> 8);
  p[1] = static_cast<uint8_t>(v);
}
void put32(uint8_t* p, uint32_t v) {
  put16(p, static_cast<uint16_t>(v >> 16));
  put16(p + 2, static_cast<uint16_t>(v));
}

// One SYN, built byte by byte in network order, with valid IPv4 and TCP checksums.
void build_syn(uint8_t* pkt, uint32_t src, uint32_t dst, uint16_t sport, uint16_t dport,
               uint32_t seq, uint16_t ip_id) {
  std::memset(pkt, 0, kPacketLen);
  uint8_t* ip = pkt;
  ip[0] = 0x45;  // version 4, IHL 5
  put16(ip + 2, kPacketLen);
  put16(ip + 4, ip_id);
  put16(ip + 6, 0x4000);  // DF
  ip[8] = 64;             // TTL
  ip[9] = IPPROTO_TCP;
  put32(ip + 12, src);
  put32(ip + 16, dst);
  put16(ip + 10, fold(sum16(ip, 20)));
  uint8_t* tcp = pkt + 20;
  put16(tcp, sport);
  put16(tcp + 2, dport);
  put32(tcp + 4, seq);
  tcp[12] = 5 << 4;  // data offset 5 words
  tcp[13] = 0x02;    // SYN
  put16(tcp + 14, 64240);
  // Pseudo-header: src, dst, zero, protocol, TCP length.
  uint8_t pseudo[12];
  put32(pseudo, src);
  put32(pseudo + 4, dst);
  pseudo[8] = 0;
  pseudo[9] = IPPROTO_TCP;
  put16(pseudo + 10, 20);
  put16(tcp + 16, fold(sum16(tcp, 20, sum16(pseudo, 12))));
}

[[noreturn]] void usage(const char* why) {
  std::fprintf(stderr,
               "syn_flood: %s\nusage: syn_flood [--dst 127.0.0.1] [--port 9] "
               "[--count N<=%llu] [--seconds S<=10] [--rate PPS] [--via raw|packet]\n",
               why, static_cast<unsigned long long>(kMaxCount));
  std::exit(2);
}

}  // namespace

int main(int argc, char** argv) {
  std::string dst_text = "127.0.0.1";
  uint16_t port = 9;
  uint64_t count = 1'000'000;
  double seconds = 5;
  double rate = 0;  // 0 = as fast as possible
  uint64_t seed = 1;
  std::string via = "raw";
  for (int i = 1; i < argc; ++i) {
    const std::string a = argv[i];
    if (i + 1 >= argc) usage(("missing value for " + a).c_str());
    const char* v = argv[++i];
    if (a == "--dst")
      dst_text = v;
    else if (a == "--port")
      port = static_cast<uint16_t>(std::strtoul(v, nullptr, 10));
    else if (a == "--count")
      count = std::strtoull(v, nullptr, 10);
    else if (a == "--seconds")
      seconds = std::strtod(v, nullptr);
    else if (a == "--rate")
      rate = std::strtod(v, nullptr);
    else if (a == "--via")
      via = v;
    else if (a == "--seed")
      seed = std::strtoull(v, nullptr, 10);
    else
      usage(("unknown option " + a).c_str());
  }
  in_addr dst_addr{};
  if (inet_pton(AF_INET, dst_text.c_str(), &dst_addr) != 1) usage("--dst must be an IPv4 address");
  const uint32_t dst = ntohl(dst_addr.s_addr);
  if (!is_loopback(dst)) usage("refusing a destination outside 127.0.0.0/8 (loopback only)");
  if (count == 0 || count > kMaxCount) usage("--count out of range");
  if (!(seconds > 0) || seconds > kMaxSeconds) usage("--seconds must be in (0, 10]");

  if (via != "raw" && via != "packet") usage("--via must be raw or packet");
  const bool via_packet = via == "packet";
  const int fd = via_packet ? ::socket(AF_PACKET, SOCK_RAW, 0)
                            : ::socket(AF_INET, SOCK_RAW, IPPROTO_RAW);  // implies IP_HDRINCL
  if (fd < 0) {
    std::perror("syn_flood: raw socket (needs CAP_NET_RAW)");
    return 1;
  }
  int sndbuf = 8 << 20;
  ::setsockopt(fd, SOL_SOCKET, SO_SNDBUF, &sndbuf, sizeof sndbuf);
  sockaddr_ll to_dev{};
  if (via_packet) {
    ifreq ifr{};
    std::strcpy(ifr.ifr_name, "lo");
    if (::ioctl(fd, SIOCGIFFLAGS, &ifr) != 0 || !(ifr.ifr_flags & IFF_LOOPBACK)) {
      std::fprintf(stderr, "syn_flood: no loopback device called lo here\n");
      return 1;
    }
    to_dev.sll_family = AF_PACKET;
    to_dev.sll_protocol = htons(ETH_P_IP);
    to_dev.sll_ifindex = static_cast<int>(if_nametoindex("lo"));
    to_dev.sll_halen = ETH_ALEN;  // all-zero destination, as lo's own frames carry
  }
  const size_t link_len = via_packet ? kEthLen : 0;
  const size_t frame_len = link_len + kPacketLen;

  std::vector<uint8_t> packets(kBatch * frame_len);
  for (int i = 0; i < kBatch; ++i) {
    uint8_t* eth = packets.data() + i * frame_len;
    if (via_packet) put16(eth + 12, ETH_P_IP);  // MACs stay zero, as on lo
  }
  sockaddr_in to{};
  to.sin_family = AF_INET;
  to.sin_addr = dst_addr;
  iovec iov[kBatch];
  mmsghdr msgs[kBatch];
  for (int i = 0; i < kBatch; ++i) {
    iov[i] = {packets.data() + i * frame_len, frame_len};
    msgs[i] = {};
    if (via_packet) {
      msgs[i].msg_hdr.msg_name = &to_dev;
      msgs[i].msg_hdr.msg_namelen = sizeof to_dev;
    } else {
      msgs[i].msg_hdr.msg_name = &to;
      msgs[i].msg_hdr.msg_namelen = sizeof to;
    }
    msgs[i].msg_hdr.msg_iov = &iov[i];
    msgs[i].msg_hdr.msg_iovlen = 1;
  }

  using Clock = std::chrono::steady_clock;
  const auto start = Clock::now();
  const auto stop_at = start + std::chrono::duration<double>(seconds);
  uint64_t sent = 0;
  uint64_t rng = seed;
  uint64_t failures = 0;
  while (sent < count) {
    const auto now = Clock::now();
    if (now >= stop_at) break;
    if (rate > 0) {
      const double due = std::chrono::duration<double>(now - start).count() * rate;
      if (static_cast<double>(sent) >= due) {
        std::this_thread::sleep_for(std::chrono::microseconds(50));
        continue;
      }
    }
    const int n = static_cast<int>(std::min<uint64_t>(kBatch, count - sent));
    for (int i = 0; i < n; ++i) {
      const uint64_t r = splitmix64(rng);
      // 127.0.0.0/8 source with random low 24 bits (never .0 or .255 in the last byte).
      uint32_t src = 0x7f000000u | static_cast<uint32_t>(r & 0xffff00u) |
                     (1 + static_cast<uint32_t>((r >> 24) % 254));
      if (!is_loopback(src)) return 3;  // cannot happen; the rule is the rule
      const auto sport = static_cast<uint16_t>(1024 + (r >> 32) % 64512);
      build_syn(packets.data() + i * frame_len + link_len, src, dst, sport, port,
                static_cast<uint32_t>(r >> 16), static_cast<uint16_t>(sent + i));
    }
    const int rc = ::sendmmsg(fd, msgs, static_cast<unsigned>(n), 0);
    if (rc < 0) {
      if (errno == ENOBUFS || errno == EAGAIN) {
        ++failures;
        continue;
      }
      std::perror("syn_flood: sendmmsg");
      return 1;
    }
    sent += static_cast<uint64_t>(rc);
  }
  const double elapsed = std::chrono::duration<double>(Clock::now() - start).count();
  ::close(fd);
  std::printf("sent %llu packets in %.3f seconds (%.0f packets/s)\n",
              static_cast<unsigned long long>(sent), elapsed, sent / elapsed);
  if (failures)
    std::printf("send retries (ENOBUFS): %llu\n", static_cast<unsigned long long>(failures));
  return 0;
}
