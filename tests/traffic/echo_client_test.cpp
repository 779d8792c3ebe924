// SPDX-License-Identifier: MIT
#include "traffic/echo_client.hpp"

#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

#include <gtest/gtest.h>

#include "tests/traffic/echo_test_util.hpp"
#include "traffic/echo_load.hpp"
#include "traffic/socket_ops.hpp"

namespace tcpinspect::traffic {
namespace {

using namespace std::chrono_literals;
using test::ServerThread;
using Clock = std::chrono::steady_clock;

// A loopback port with nothing listening, below Linux's ephemeral range (32768-60999 by
// default). A port the kernel handed out as ephemeral could be handed out again, to a
// test running alongside or to our own retrying client as its source port, and the
// server that should come up on it later would then fail with "Address already in use".
SocketAddress closed_port(const char* ip = "127.0.0.1") {
  static uint16_t next = static_cast<uint16_t>(20000 + (::getpid() % 5000) * 2);
  for (int tries = 0; tries < 2000; ++tries) {
    const uint16_t port = next;
    next = static_cast<uint16_t>(next >= 32000 ? 20000 : next + 1);
    try {
      Fd udp = bind_udp(parse_ip(ip, port));  // free for UDP (and TCP: probed just below)
      Fd tcp = listen_tcp(parse_ip(ip, port));
      return local_address(tcp.get());
    } catch (const std::exception&) {
      continue;  // taken: try the next one
    }
  }
  throw std::runtime_error("no free loopback port in 20000-32000");
}

TEST(EchoClient, ConnectionRefusedAfterRetriesWithBackoff) {
  const SocketAddress target = closed_port();
  const auto t0 = Clock::now();
  try {
    connect_tcp(target, ConnectOptions{2, 1000ms, 100ms, 5000ms});
    FAIL() << "connected to a closed port";
  } catch (const ClientError& e) {
    EXPECT_EQ(std::string(e.what()),
              "connect to " + target.to_string() + ": Connection refused (after 2 retries)");
  }
  // Two back-offs: 100 ms then 200 ms.
  const auto elapsed = Clock::now() - t0;
  EXPECT_GE(elapsed, 300ms);
  EXPECT_LT(elapsed, 2000ms);
}

TEST(EchoClient, ConnectionRefusedWithoutRetriesFailsAtOnce) {
  const SocketAddress target = closed_port("::1");
  const auto t0 = Clock::now();
  try {
    connect_tcp(target, ConnectOptions{});
    FAIL() << "connected to a closed port";
  } catch (const ClientError& e) {
    EXPECT_EQ(std::string(e.what()), "connect to " + target.to_string() + ": Connection refused");
  }
  EXPECT_LT(Clock::now() - t0, 100ms);
}

TEST(EchoClient, RetriesUntilTheServerComesUp) {
  const SocketAddress target = closed_port();
  EchoServerOptions o;
  o.bind = target;
  std::unique_ptr<ServerThread> st;
  std::thread starter([&] {
    std::this_thread::sleep_for(250ms);
    st = std::make_unique<ServerThread>(o);
  });
  Fd fd = connect_tcp(target, ConnectOptions{6, 1000ms, 50ms, 5000ms});
  starter.join();
  std::string received;
  EXPECT_EQ(exchange(fd.get(), "late", {false, 2000ms}, received).end, ExchangeEnd::Complete);
  EXPECT_EQ(received, "late");
}

TEST(EchoClient, ExchangeTimesOutWhenNothingComesBack) {
  // A listener that never accepts nor reads: the kernel completes the handshake and
  // buffers the bytes, but no echo ever arrives.
  Fd listener = listen_tcp(parse_ip("127.0.0.1", 0));
  Fd fd = connect_tcp(local_address(listener.get()), ConnectOptions{});
  std::string received;
  const auto t0 = Clock::now();
  const ExchangeResult r = exchange(fd.get(), "anyone?", {false, 300ms}, received);
  EXPECT_EQ(r.end, ExchangeEnd::Timeout);
  EXPECT_EQ(r.sent, 7u);
  EXPECT_GE(Clock::now() - t0, 300ms);
  EXPECT_EQ(describe(r, received.size(), 7, 300ms),
            "timeout: nothing received for 0.3s after 0 of 7 bytes");
}

TEST(EchoClient, EarlyCloseIsReportedWithByteCounts) {
  EchoServerOptions o = test::loopback_options();
  o.close_after = 4;
  ServerThread st(std::move(o));
  Fd fd = test::connect_to(st.address());
  std::string received;
  const ExchangeResult r = exchange(fd.get(), "0123456789", {false, 2000ms}, received);
  EXPECT_EQ(r.end, ExchangeEnd::PeerClosed);
  EXPECT_EQ(received, "0123");
  EXPECT_EQ(describe(r, received.size(), 10, 2000ms),
            "connection closed by peer after 4 of 10 bytes");
}

// A server close while input is still open is reported through the callback (traffic/
// prints nothing itself), and interactive mode ends normally with what was echoed.
TEST(EchoClient, InteractiveReportsPeerCloseThroughTheCallback) {
  EchoServerOptions o = test::loopback_options();
  o.close_after = 3;
  ServerThread st(std::move(o));
  Fd sock = test::connect_to(st.address());
  int in[2], out[2];
  ASSERT_EQ(::pipe(in), 0);
  ASSERT_EQ(::pipe(out), 0);
  Fd in_r(in[0]), in_w(in[1]), out_r(out[0]), out_w(out[1]);
  ASSERT_EQ(::write(in_w.get(), "hello\n", 6), 6);  // input stays open: in_w is kept
  std::vector<std::string> notices;
  const int rc = interactive(sock.get(), false, in_r.get(), out_w.get(), "", 2000ms,
                             [&](std::string_view line) { notices.emplace_back(line); });
  EXPECT_EQ(rc, 0);
  EXPECT_EQ(notices, std::vector<std::string>{"connection closed by peer"});
  out_w.reset();
  char buf[64];
  const ssize_t n = ::read(out_r.get(), buf, sizeof buf);
  EXPECT_EQ(std::string(buf, n > 0 ? static_cast<size_t>(n) : 0), "hel");
}

TEST(EchoClient, RstFromServerIsReportedAsReset) {
  EchoServerOptions o = test::loopback_options();
  o.close_after = 4;
  o.rst = true;
  ServerThread st(std::move(o));
  Fd fd = test::connect_to(st.address());
  std::string received;
  const ExchangeResult r = exchange(fd.get(), "0123456789", {false, 2000ms}, received);
  EXPECT_EQ(r.end, ExchangeEnd::Reset);
  EXPECT_EQ(r.error, ECONNRESET);
  EXPECT_EQ(received, "0123");
}

TEST(EchoClient, UdpTimeoutWhenNobodyAnswers) {
  // A bound UDP socket that never replies.
  Fd silent = bind_udp(parse_ip("127.0.0.1", 0));
  Fd fd = connect_udp(local_address(silent.get()));
  try {
    udp_exchange(fd.get(), "hello?", 100ms, 1);
    FAIL() << "got a reply from a silent socket";
  } catch (const ClientError& e) {
    EXPECT_EQ(std::string(e.what()), "timeout: no UDP reply after 1 retries");
  }
}

TEST(EchoClient, UdpRejectsOversizeDatagram) {
  Fd fd = connect_udp(parse_ip("127.0.0.1", 9));
  EXPECT_THROW(udp_exchange(fd.get(), std::string(65508, 'x'), 100ms, 0), ClientError);
}

TEST(EchoLoad, PatternIsPeriodicModulo251) {
  EXPECT_EQ(load_pattern_byte(0, 0, 0), 0);
  EXPECT_EQ(load_pattern_byte(0, 0, 250), 250);
  EXPECT_EQ(load_pattern_byte(0, 0, 251), 0);
  EXPECT_EQ(load_pattern_byte(0, 1, 0), 131);
  EXPECT_EQ(load_pattern_byte(1, 0, 0), 7919 % 251);
}

TEST(EchoLoad, VerifiesEveryByteAcrossManyConnections) {
  ServerThread st(test::loopback_options());
  LoadOptions lo;
  lo.target = st.address();
  lo.connections = 50;
  lo.messages = 20;
  lo.size = 3000;
  const LoadReport r = run_load(lo);
  EXPECT_TRUE(r.ok(lo)) << format_load_report(r, lo);
  EXPECT_EQ(r.connected, 50u);
  EXPECT_EQ(r.messages, 1000u);
  EXPECT_EQ(r.bytes, 3000000u);
  EXPECT_EQ(r.mismatches, 0u);
  EXPECT_GT(r.elapsed_seconds, 0);
  EXPECT_LE(r.p50_ns, r.p99_ns);
  EXPECT_LE(r.p99_ns, r.max_ns);
  EXPECT_GT(r.max_ns, 0u);
  const auto logs = st.wait_summaries(50);
  ASSERT_EQ(logs.size(), 50u);
  for (const auto& s : logs) {
    EXPECT_EQ(s.bytes_in, 60000u);
    EXPECT_EQ(s.bytes_out, 60000u);
  }
}

TEST(EchoLoad, DetectsWrongEcho) {
  // Count mode answers with text, not the pattern: every connection must fail.
  EchoServerOptions o = test::loopback_options();
  o.mode = EchoMode::Count;
  ServerThread st(std::move(o));
  LoadOptions lo;
  lo.target = st.address();
  lo.connections = 4;
  lo.messages = 2;
  lo.size = 100;
  const LoadReport r = run_load(lo);
  EXPECT_FALSE(r.ok(lo));
  EXPECT_EQ(r.mismatches, 4u);
  EXPECT_EQ(r.messages, 0u);
  EXPECT_EQ(r.first_error.rfind("echo mismatch on connection ", 0), 0u) << r.first_error;
}

TEST(EchoLoad, DetectsTruncatedEcho) {
  EchoServerOptions o = test::loopback_options();
  o.close_after = 150;  // the second 100-byte message is cut short
  ServerThread st(std::move(o));
  LoadOptions lo;
  lo.target = st.address();
  lo.connections = 1;
  lo.messages = 3;
  lo.size = 100;
  const LoadReport r = run_load(lo);
  EXPECT_FALSE(r.ok(lo));
  EXPECT_EQ(r.messages, 1u);
  EXPECT_EQ(r.connection_errors, 1u);
  EXPECT_EQ(r.first_error, "connection closed by server after 50 of 100 bytes of message 1");
}

TEST(EchoLoad, ConnectFailuresAreCounted) {
  LoadOptions lo;
  lo.target = closed_port();
  lo.connections = 3;
  const LoadReport r = run_load(lo);
  EXPECT_FALSE(r.ok(lo));
  EXPECT_EQ(r.connect_failures, 3u);
  EXPECT_EQ(r.first_error, "connect to " + lo.target.to_string() + ": Connection refused");
}

}  // namespace
}  // namespace tcpinspect::traffic
