// SPDX-License-Identifier: MIT
#include "capture/live_source.hpp"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <chrono>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "capture/error.hpp"
#include "capture/privileges.hpp"

namespace tcpinspect::capture {
namespace {

// Sends one UDP datagram from 127.0.0.1:src to 127.0.0.1:dst (loopback only).
void send_udp(uint16_t src, uint16_t dst, const std::string& payload) {
  const int fd = ::socket(AF_INET, SOCK_DGRAM, 0);
  ASSERT_GE(fd, 0);
  sockaddr_in a{};
  a.sin_family = AF_INET;
  a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  a.sin_port = htons(src);
  ASSERT_EQ(::bind(fd, reinterpret_cast<sockaddr*>(&a), sizeof a), 0);
  a.sin_port = htons(dst);
  ASSERT_EQ(
      ::sendto(fd, payload.data(), payload.size(), 0, reinterpret_cast<sockaddr*>(&a), sizeof a),
      static_cast<ssize_t>(payload.size()));
  ::close(fd);
}

struct Captured {
  uint64_t index;
  std::vector<uint8_t> bytes;
  uint32_t wire_len;
  int64_t ts_ns;
};

// Polls and dispatches until `want` frames arrived or 3 s passed.
std::vector<Captured> collect(LiveSource& source, size_t want) {
  std::vector<Captured> got;
  const auto until = std::chrono::steady_clock::now() + std::chrono::seconds(3);
  while (got.size() < want && std::chrono::steady_clock::now() < until) {
    pollfd p{source.selectable_fd(), POLLIN, 0};
    ::poll(&p, 1, 100);
    source.dispatch(-1, [&](const core::Frame& f, const pcap_pkthdr& h) {
      EXPECT_EQ(f.data.size(), h.caplen);
      got.push_back({f.index, {f.data.begin(), f.data.end()}, f.wire_len, f.ts_ns});
    });
  }
  return got;
}

LiveOptions loopback(const std::string& filter) {
  LiveOptions o;
  o.interface = "lo";
  o.filter = filter;
  o.buffer_kib = 1024;
  return o;
}

TEST(LiveSource, UnknownInterface) {
  LiveOptions o;
  o.interface = "ti-nosuch0";
  try {
    LiveSource s(o);
    ADD_FAILURE() << "opened a missing interface";
  } catch (const CaptureError& e) {
    const std::string m = e.what();
    EXPECT_EQ(m.rfind("no interface named 'ti-nosuch0'; available: ", 0), 0u) << m;
    EXPECT_NE(m.find("lo"), std::string::npos) << m;
  }
}

TEST(LiveSource, CapturesFilteredLoopbackFramesInOrder) {
  if (!can_capture()) GTEST_SKIP() << "needs CAP_NET_RAW";
  LiveSource source(loopback("udp and src port 47011 and dst port 47012"));
  EXPECT_EQ(source.datalink(), DLT_EN10MB);  // Linux loopback has Ethernet headers
  EXPECT_EQ(source.describe(), "lo, link-type EN10MB (Ethernet), snapshot length 262144 bytes");
  EXPECT_TRUE(source.nanosecond_timestamps());
  // The kernel counts what reached the socket before the filter was attached too (any
  // loopback traffic of tests running alongside): count from here.
  const LiveStats before = source.stats();
  send_udp(47013, 47012, "not me");  // filtered out by the source port
  send_udp(47011, 47012, "first");
  send_udp(47011, 47012, "second!");
  const auto got = collect(source, 2);
  ASSERT_EQ(got.size(), 2u);
  // Ethernet 14 + IPv4 20 + UDP 8 + payload.
  EXPECT_EQ(got[0].bytes.size(), 14u + 20 + 8 + 5);
  EXPECT_EQ(got[1].bytes.size(), 14u + 20 + 8 + 7);
  EXPECT_EQ(got[0].wire_len, got[0].bytes.size());
  EXPECT_EQ(std::string(got[0].bytes.end() - 5, got[0].bytes.end()), "first");
  EXPECT_EQ(std::string(got[1].bytes.end() - 7, got[1].bytes.end()), "second!");
  EXPECT_EQ(got[0].index, 1u);
  EXPECT_EQ(got[1].index, 2u);
  EXPECT_LE(got[0].ts_ns, got[1].ts_ns);
  const auto now_ns = std::chrono::duration_cast<std::chrono::nanoseconds>(
                          std::chrono::system_clock::now().time_since_epoch())
                          .count();
  EXPECT_LT(now_ns - got[1].ts_ns, 10'000'000'000);  // a real, recent epoch timestamp
  const LiveStats st = source.stats();
  // On lo every frame passes the packet socket twice (outgoing, then incoming); the source
  // asks the kernel for the incoming copy only (PACKET_IGNORE_OUTGOING), so the kernel's
  // counter sees each of the two frames once, not four copies.
  EXPECT_EQ(st.received - before.received, 2u);
  EXPECT_EQ(st.dropped - before.dropped, 0u);
}

// Buffered mode hands over a lone packet when its block times out (1 ms), not when the
// block fills: a single packet must arrive promptly.
TEST(LiveSource, LonePacketArrivesPromptlyInBufferedMode) {
  if (!can_capture()) GTEST_SKIP() << "needs CAP_NET_RAW";
  LiveOptions o = loopback("udp and src port 47051");
  ASSERT_FALSE(o.immediate);
  LiveSource source(o);
  const auto t0 = std::chrono::steady_clock::now();
  send_udp(47051, 47052, "alone");
  const auto got = collect(source, 1);
  const auto ms =
      std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() - t0)
          .count();
  ASSERT_EQ(got.size(), 1u);
  EXPECT_LT(ms, 500);  // nominally ~1 ms; generous for a loaded machine
}

TEST(LiveSource, ImmediateModeDelivers) {
  if (!can_capture()) GTEST_SKIP() << "needs CAP_NET_RAW";
  LiveOptions o = loopback("udp and src port 47061");
  o.immediate = true;
  LiveSource source(o);
  send_udp(47061, 47062, "now");
  const auto got = collect(source, 1);
  ASSERT_EQ(got.size(), 1u);
  EXPECT_EQ(std::string(got[0].bytes.end() - 3, got[0].bytes.end()), "now");
}

TEST(LiveSource, SnaplenTruncatesButKeepsWireLength) {
  if (!can_capture()) GTEST_SKIP() << "needs CAP_NET_RAW";
  LiveOptions o = loopback("udp and src port 47021");
  o.snaplen = 64;
  LiveSource source(o);
  send_udp(47021, 47022, std::string(100, 'x'));
  const auto got = collect(source, 1);
  ASSERT_EQ(got.size(), 1u);
  EXPECT_EQ(got[0].bytes.size(), 64u);
  EXPECT_EQ(got[0].wire_len, 14u + 20 + 8 + 100);
}

TEST(LiveSource, AnyUsesCookedV2) {
  if (!can_capture()) GTEST_SKIP() << "needs CAP_NET_RAW";
  LiveOptions o = loopback("udp and src port 47031");
  o.interface = "any";
  LiveSource source(o);
  EXPECT_EQ(source.datalink(), 276);  // DLT_LINUX_SLL2
  send_udp(47031, 47032, "cooked");
  const auto got = collect(source, 1);
  ASSERT_EQ(got.size(), 1u);
  // SLL2 header is 20 bytes; protocol type 0x0800 in its first two bytes.
  ASSERT_EQ(got[0].bytes.size(), 20u + 20 + 8 + 6);
  EXPECT_EQ(got[0].bytes[0], 0x08);
  EXPECT_EQ(got[0].bytes[1], 0x00);
}

TEST(LiveSource, BadFilter) {
  if (!can_capture()) GTEST_SKIP() << "needs CAP_NET_RAW";
  try {
    LiveSource s(loopback("tcp port"));
    ADD_FAILURE() << "accepted a bad filter";
  } catch (const CaptureError& e) {
    const std::string m = e.what();
    EXPECT_EQ(m.rfind("bad filter expression 'tcp port': ", 0), 0u) << m;
  }
}

TEST(LiveSource, BreakLoopStopsDispatch) {
  if (!can_capture()) GTEST_SKIP() << "needs CAP_NET_RAW";
  LiveSource source(loopback("udp and src port 47041"));
  source.break_loop();
  EXPECT_EQ(source.dispatch(-1, [](const core::Frame&, const pcap_pkthdr&) {}),
            LiveSource::kBroken);
  // Nothing pending: a non-blocking dispatch returns at once with none.
  EXPECT_EQ(source.dispatch(-1, [](const core::Frame&, const pcap_pkthdr&) {}), 0);
}

}  // namespace
}  // namespace tcpinspect::capture
