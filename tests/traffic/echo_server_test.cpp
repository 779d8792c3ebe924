// SPDX-License-Identifier: MIT
#include "traffic/echo_server.hpp"

#include <netinet/in.h>
#include <poll.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <cstdlib>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "tests/traffic/echo_test_util.hpp"
#include "traffic/echo_client.hpp"
#include "traffic/socket_ops.hpp"

namespace tcpinspect::traffic {
namespace {

using namespace std::chrono_literals;
using test::ServerThread;
using Clock = std::chrono::steady_clock;

struct ReadResult {
  std::string data;
  bool eof = false;
  int error = 0;  // errno of a failed recv, 0 otherwise
};

// Reads until `want` bytes, EOF, an error or `timeout` without data.
ReadResult read_up_to(int fd, size_t want, std::chrono::milliseconds timeout = 5000ms) {
  ReadResult r;
  char buf[65536];
  while (r.data.size() < want) {
    pollfd p{fd, POLLIN, 0};
    if (::poll(&p, 1, static_cast<int>(timeout.count())) <= 0) break;
    const ssize_t n = ::recv(fd, buf, sizeof buf, 0);
    if (n > 0) {
      r.data.append(buf, static_cast<size_t>(n));
    } else if (n == 0) {
      r.eof = true;
      break;
    } else if (errno != EAGAIN && errno != EINTR) {
      r.error = errno;
      break;
    }
  }
  return r;
}

// Writes without reading anything back (exchange() would read the echo).
bool write_all(int fd, const std::string& data) {
  size_t off = 0;
  while (off < data.size()) {
    pollfd p{fd, POLLOUT, 0};
    if (::poll(&p, 1, 5000) <= 0) return false;
    const ssize_t n = ::send(fd, data.data() + off, data.size() - off, MSG_NOSIGNAL);
    if (n < 0 && errno != EAGAIN) return false;
    if (n > 0) off += static_cast<size_t>(n);
  }
  return true;
}

class EchoRoundTrip : public ::testing::TestWithParam<size_t> {};

// Byte-exact echo for sizes 0, 1, 64 KiB and 8 MiB: send, half-close, read to EOF.
TEST_P(EchoRoundTrip, ByteExactWithHalfClose) {
  ServerThread st(test::loopback_options());
  const size_t size = GetParam();
  const std::string data = test::test_bytes(size, static_cast<uint32_t>(size));
  Fd fd = test::connect_to(st.address());
  std::string received;
  const ExchangeResult r = exchange(fd.get(), data, {true, 10000ms}, received);
  EXPECT_EQ(r.end, ExchangeEnd::Complete);
  EXPECT_EQ(r.sent, size);
  ASSERT_EQ(received.size(), size);
  EXPECT_TRUE(received == data);
  fd.reset();
  const auto logs = st.wait_summaries(1);
  ASSERT_EQ(logs.size(), 1u);
  EXPECT_EQ(logs[0].bytes_in, size);
  EXPECT_EQ(logs[0].bytes_out, size);
  EXPECT_EQ(logs[0].reason, EndReason::ClientFin);
  EXPECT_TRUE(logs[0].peer.is_loopback());
}

INSTANTIATE_TEST_SUITE_P(Sizes, EchoRoundTrip,
                         ::testing::Values(size_t{0}, size_t{1}, size_t{64 * 1024},
                                           size_t{8 * 1024 * 1024}));

TEST(EchoServer, ExchangeWithoutHalfCloseReadsBackExactlyWhatWasSent) {
  ServerThread st(test::loopback_options());
  Fd fd = test::connect_to(st.address());
  for (int i = 0; i < 3; ++i) {
    const std::string msg = "message " + std::to_string(i) + "\n";
    std::string received;
    const ExchangeResult r = exchange(fd.get(), msg, {false, 5000ms}, received);
    EXPECT_EQ(r.end, ExchangeEnd::Complete);
    EXPECT_EQ(received, msg);
  }
}

TEST(EchoServer, ThousandConcurrentClients) {
  constexpr size_t kClients = 1000;
  // Client and server sockets live in this process: 2000 descriptors plus slack.
  ASSERT_GE(raise_fd_limit(2 * kClients + 256), 2 * kClients + 64);
  ServerThread st(test::loopback_options());
  std::vector<Fd> clients;
  for (size_t i = 0; i < kClients; ++i)
    clients.push_back(test::connect_to(st.address()));
  ASSERT_TRUE(st.wait_clients(kClients));
  // Everyone sends first, then everyone reads: all 1000 are served concurrently.
  for (size_t i = 0; i < kClients; ++i)
    ASSERT_TRUE(write_all(clients[i].get(), "client " + std::to_string(i) + "\n"));
  for (size_t i = 0; i < kClients; ++i) {
    const std::string want = "client " + std::to_string(i) + "\n";
    EXPECT_EQ(read_up_to(clients[i].get(), want.size()).data, want);
  }
  clients.clear();
  const auto logs = st.wait_summaries(kClients);
  EXPECT_EQ(logs.size(), kClients);
  const ServerReport report = st.stop();
  EXPECT_EQ(report.accepted, kClients);
  EXPECT_EQ(report.peak_clients, kClients);
  EXPECT_EQ(report.refused, 0u);
}

TEST(EchoServer, GracefulShutdownLetsClientsFinishThenClosesTheRest) {
  EchoServerOptions o = test::loopback_options();
  // Long enough that the checks below finish well inside it even on a loaded machine.
  o.shutdown_timeout = 2000ms;
  std::vector<std::string> lines;
  o.log = [&lines](const std::string& line) { lines.push_back(line); };
  ServerThread st(std::move(o));
  const SocketAddress addr = st.address();
  Fd a = test::connect_to(addr);
  Fd b = test::connect_to(addr);
  Fd c = test::connect_to(addr);
  ASSERT_TRUE(st.wait_clients(3));
  const auto t0 = Clock::now();
  st.server().request_stop();
  // The listener closes: new connections are refused...
  bool refused = false;
  for (int i = 0; i < 100 && !refused; ++i) {
    try {
      test::connect_to(addr);
      std::this_thread::sleep_for(10ms);
    } catch (const ClientError&) {
      refused = true;
    }
  }
  EXPECT_TRUE(refused);
  // ...while connected clients are still served.
  std::string received;
  EXPECT_EQ(exchange(a.get(), "still here", {false, 2000ms}, received).end, ExchangeEnd::Complete);
  EXPECT_EQ(received, "still here");
  a.reset();
  b.reset();
  // c stays open: it is closed when the grace period ends.
  const ReadResult rc = read_up_to(c.get(), 1, 8000ms);
  const ServerReport report = st.join();
  const auto elapsed = Clock::now() - t0;
  EXPECT_TRUE(rc.eof);
  EXPECT_GE(elapsed, 1950ms);
  EXPECT_LT(elapsed, 6000ms);
  EXPECT_TRUE(report.stopped);
  EXPECT_EQ(report.open_at_stop, 3u);
  EXPECT_EQ(report.closed_at_deadline, 1u);
  EXPECT_EQ(report.accepted, 3u);
  const auto logs = st.wait_summaries(3);
  ASSERT_EQ(logs.size(), 3u);
  EXPECT_EQ(logs[0].reason, EndReason::ClientFin);
  EXPECT_EQ(logs[1].reason, EndReason::ClientFin);
  EXPECT_EQ(logs[2].reason, EndReason::Shutdown);
  ASSERT_FALSE(lines.empty());
  EXPECT_EQ(lines[0], "shutdown: stopped accepting, 3 clients open, waiting up to 2.000s");
}

TEST(EchoServer, CountModeRepliesRunningTotal) {
  EchoServerOptions o = test::loopback_options();
  o.mode = EchoMode::Count;
  ServerThread st(std::move(o));
  Fd fd = test::connect_to(st.address());
  ASSERT_TRUE(write_all(fd.get(), "hello"));
  EXPECT_EQ(read_up_to(fd.get(), 19).data, "5 bytes altogether\n");
  ASSERT_TRUE(write_all(fd.get(), "abc"));
  EXPECT_EQ(read_up_to(fd.get(), 19).data, "8 bytes altogether\n");
}

TEST(EchoServer, TimeModePrefixesCtime) {
  ::setenv("TZ", "UTC", 1);
  ::tzset();
  EchoServerOptions o = test::loopback_options();
  o.mode = EchoMode::Time;
  o.clock = [] { return std::time_t{1700000000}; };
  ServerThread st(std::move(o));
  Fd fd = test::connect_to(st.address());
  ASSERT_TRUE(write_all(fd.get(), "hi\n"));
  const std::string want = "[Tue Nov 14 22:13:20 2023] hi\n";
  EXPECT_EQ(read_up_to(fd.get(), want.size()).data, want);
}

TEST(EchoServer, CloseAfterSendsExactlyThatManyBytesThenFin) {
  EchoServerOptions o = test::loopback_options();
  o.close_after = 10;
  ServerThread st(std::move(o));
  Fd fd = test::connect_to(st.address());
  const std::string data = test::test_bytes(100);
  ASSERT_TRUE(write_all(fd.get(), data));
  const ReadResult r = read_up_to(fd.get(), 1000);
  EXPECT_TRUE(r.eof);
  EXPECT_EQ(r.error, 0);
  EXPECT_EQ(r.data, data.substr(0, 10));
  fd.reset();
  const auto logs = st.wait_summaries(1);
  ASSERT_EQ(logs.size(), 1u);
  EXPECT_EQ(logs[0].reason, EndReason::ServerClose);
  EXPECT_EQ(logs[0].bytes_out, 10u);
}

TEST(EchoServer, CloseAfterZeroClosesImmediately) {
  EchoServerOptions o = test::loopback_options();
  o.close_after = 0;
  ServerThread st(std::move(o));
  Fd fd = test::connect_to(st.address());
  const ReadResult r = read_up_to(fd.get(), 1);
  EXPECT_TRUE(r.eof);
  EXPECT_EQ(r.data, "");
}

TEST(EchoServer, RstCloseDeliversEchoThenConnectionReset) {
  EchoServerOptions o = test::loopback_options();
  o.close_after = 10;
  o.rst = true;
  ServerThread st(std::move(o));
  Fd fd = test::connect_to(st.address());
  ASSERT_TRUE(write_all(fd.get(), "0123456789abcdef"));
  const ReadResult r = read_up_to(fd.get(), 1000);
  EXPECT_EQ(r.data, "0123456789");
  EXPECT_FALSE(r.eof);
  EXPECT_EQ(r.error, ECONNRESET);
  const auto logs = st.wait_summaries(1);
  ASSERT_EQ(logs.size(), 1u);
  EXPECT_EQ(logs[0].reason, EndReason::ServerClose);
}

TEST(EchoServer, MaxClientsAcceptsAndClosesExtraConnections) {
  EchoServerOptions o = test::loopback_options();
  o.max_clients = 2;
  ServerThread st(std::move(o));
  Fd a = test::connect_to(st.address());
  Fd b = test::connect_to(st.address());
  ASSERT_TRUE(st.wait_clients(2));
  Fd c = test::connect_to(st.address());  // the handshake completes in the kernel
  const ReadResult r = read_up_to(c.get(), 1);
  EXPECT_TRUE(r.eof);
  const auto logs = st.wait_summaries(1);
  ASSERT_EQ(logs.size(), 1u);
  EXPECT_EQ(logs[0].reason, EndReason::Refused);
  EXPECT_EQ(logs[0].bytes_in, 0u);
  // The two admitted clients still work, and a slot frees up when one leaves.
  std::string received;
  EXPECT_EQ(exchange(a.get(), "ok", {false, 2000ms}, received).end, ExchangeEnd::Complete);
  EXPECT_EQ(received, "ok");
  b.reset();
  ASSERT_TRUE(st.wait_clients(1));
  Fd d = test::connect_to(st.address());
  received.clear();
  EXPECT_EQ(exchange(d.get(), "in", {false, 2000ms}, received).end, ExchangeEnd::Complete);
  EXPECT_EQ(received, "in");
  a.reset();
  d.reset();
  const ServerReport report = st.stop();
  EXPECT_EQ(report.refused, 1u);
  EXPECT_EQ(report.accepted, 3u);
}

TEST(EchoServer, IdleTimeoutClosesSilentClientsOnly) {
  EchoServerOptions o = test::loopback_options();
  o.idle_timeout = 300ms;
  ServerThread st(std::move(o));
  Fd idle = test::connect_to(st.address());
  Fd busy = test::connect_to(st.address());
  const auto t0 = Clock::now();
  // busy talks every 100 ms for 700 ms, well past the timeout.
  for (int i = 0; i < 7; ++i) {
    std::string received;
    ASSERT_EQ(exchange(busy.get(), "x", {false, 2000ms}, received).end, ExchangeEnd::Complete);
    std::this_thread::sleep_for(100ms);
  }
  const ReadResult r = read_up_to(idle.get(), 1, 100ms);
  EXPECT_TRUE(r.eof);
  const auto logs = st.wait_summaries(1);
  ASSERT_EQ(logs.size(), 1u);
  EXPECT_EQ(logs[0].reason, EndReason::Timeout);
  EXPECT_GE(logs[0].duration, 300ms);
  EXPECT_LT(logs[0].duration, 700ms);
  EXPECT_GE(Clock::now() - t0, 700ms);
  std::string received;
  EXPECT_EQ(exchange(busy.get(), "y", {false, 2000ms}, received).end, ExchangeEnd::Complete);
}

TEST(EchoServer, Ipv6Loopback) {
  ServerThread st(test::loopback_options("::1"));
  EXPECT_EQ(st.address().family(), AF_INET6);
  Fd fd = test::connect_to(parse_host_port("[::1]:" + std::to_string(st.address().port())));
  std::string received;
  EXPECT_EQ(exchange(fd.get(), "over v6", {false, 2000ms}, received).end, ExchangeEnd::Complete);
  EXPECT_EQ(received, "over v6");
  fd.reset();
  const auto logs = st.wait_summaries(1);
  ASSERT_EQ(logs.size(), 1u);
  EXPECT_EQ(logs[0].peer.host_string(), "::1");
  EXPECT_EQ(format_summary(logs[0]).rfind("conn peer=[::1]:", 0), 0u);
}

TEST(EchoServer, DualStackWildcardServesIpv4AndIpv6) {
  EchoServerOptions o;
  o.bind = parse_ip("::", 0);
  ServerThread st(std::move(o));
  const std::string port = std::to_string(st.address().port());
  for (const std::string& target : {"127.0.0.1:" + port, "[::1]:" + port}) {
    Fd fd = test::connect_to(parse_host_port(target));
    std::string received;
    EXPECT_EQ(exchange(fd.get(), target, {false, 2000ms}, received).end, ExchangeEnd::Complete);
    EXPECT_EQ(received, target);
  }
  const auto logs = st.wait_summaries(2);
  ASSERT_EQ(logs.size(), 2u);
  // IPv4 clients of a dual-stack socket are shown as plain IPv4.
  std::vector<std::string> hosts{logs[0].peer.host_string(), logs[1].peer.host_string()};
  std::sort(hosts.begin(), hosts.end());
  EXPECT_EQ(hosts, (std::vector<std::string>{"127.0.0.1", "::1"}));
}

TEST(EchoServer, UdpEchoOnTheSamePort) {
  EchoServerOptions o = test::loopback_options();
  o.udp = true;
  ServerThread st(std::move(o));
  Fd udp = connect_udp(st.address());
  EXPECT_EQ(udp_exchange(udp.get(), "ping", 2000ms, 0), "ping");
  const std::string big = test::test_bytes(65507);
  EXPECT_TRUE(udp_exchange(udp.get(), big, 2000ms, 0) == big);
  EXPECT_EQ(udp_exchange(udp.get(), "", 2000ms, 0), "");
  // TCP on the same port still works.
  Fd tcp = test::connect_to(st.address());
  std::string received;
  EXPECT_EQ(exchange(tcp.get(), "tcp", {false, 2000ms}, received).end, ExchangeEnd::Complete);
  EXPECT_EQ(received, "tcp");
  tcp.reset();
  const ServerReport report = st.stop();
  EXPECT_EQ(report.udp_datagrams_in, 3u);
  EXPECT_EQ(report.udp_datagrams_out, 3u);
  EXPECT_EQ(report.udp_dropped, 0u);
  EXPECT_EQ(format_report(report, true),
            "shutdown: accepted=1 refused=0 peak_clients=1 open_at_stop=0 "
            "closed_at_deadline=0 udp_in=3 udp_out=3 udp_dropped=0");
}

// Shed connections are counted in the report only when there were some (the line of a
// server that shed nothing is unchanged), and each ends "shed".
TEST(EchoServer, ReportNamesShedConnections) {
  ServerReport r;
  r.accepted = 5;
  r.shed = 2;
  EXPECT_EQ(format_report(r, false),
            "shutdown: accepted=5 refused=0 peak_clients=0 open_at_stop=0 closed_at_deadline=0 "
            "shed=2");
  EXPECT_STREQ(to_string(EndReason::Shed), "shed");
  EXPECT_EQ(EchoServerOptions{}.max_clients, 1024u);
  EXPECT_EQ(EchoServerOptions{}.buffer_budget, 64u << 20);
}

TEST(EchoServer, UdpCountMode) {
  EchoServerOptions o = test::loopback_options("::1");
  o.udp = true;
  o.mode = EchoMode::Count;
  ServerThread st(std::move(o));
  Fd udp = connect_udp(st.address());
  EXPECT_EQ(udp_exchange(udp.get(), "abcd", 2000ms, 0), "4 bytes altogether\n");
  EXPECT_EQ(udp_exchange(udp.get(), "ab", 2000ms, 0), "2 bytes altogether\n");
}

// A client that sends without reading must be throttled: the server stops reading once
// 256 KiB of replies are queued, so the client's sends stall long before 64 MiB.
TEST(EchoServer, BoundedMemoryStopsReadingFromClientThatDoesNotRead) {
  ServerThread st(test::loopback_options());
  Fd fd = test::connect_to(st.address());
  const std::string chunk = test::test_bytes(64 * 1024, 7);
  size_t sent = 0;
  while (sent < 64u * 1024 * 1024) {
    pollfd p{fd.get(), POLLOUT, 0};
    if (::poll(&p, 1, 300) <= 0) break;  // stalled: the server stopped reading
    const ssize_t n = ::send(fd.get(), chunk.data(), chunk.size(), MSG_NOSIGNAL);
    ASSERT_GT(n, 0);
    sent += static_cast<size_t>(n);
  }
  EXPECT_LT(sent, 40u * 1024 * 1024) << "server kept reading from a client that never reads";
  EXPECT_GT(sent, 256u * 1024);
  // Reading resumes the flow: every byte comes back, in order.
  ::shutdown(fd.get(), SHUT_WR);
  const ReadResult r = read_up_to(fd.get(), sent + 1, 5000ms);
  ASSERT_EQ(r.data.size(), sent);
  EXPECT_TRUE(r.eof);
  for (size_t off = 0; off < sent; off += chunk.size()) {
    const size_t len = std::min(chunk.size(), sent - off);
    ASSERT_EQ(r.data.compare(off, len, chunk, 0, len), 0) << "at " << off;
  }
}

TEST(EchoServer, ClientResetIsLoggedAsReset) {
  ServerThread st(test::loopback_options());
  Fd fd = test::connect_to(st.address());
  std::string received;
  ASSERT_EQ(exchange(fd.get(), "bye", {false, 2000ms}, received).end, ExchangeEnd::Complete);
  close_with_rst(fd);
  const auto logs = st.wait_summaries(1);
  ASSERT_EQ(logs.size(), 1u);
  EXPECT_EQ(logs[0].reason, EndReason::Reset);
  EXPECT_EQ(logs[0].bytes_in, 3u);
}

TEST(EchoServer, SummaryLineFormat) {
  ConnectionSummary s{parse_host_port("127.0.0.1:40000"),
                      5,
                      4,
                      std::chrono::microseconds(1234),
                      EndReason::ClientFin,
                      0};
  EXPECT_EQ(format_summary(s),
            "conn peer=127.0.0.1:40000 in=5 out=4 duration=0.001234s end=client_fin");
  s.reason = EndReason::Error;
  s.error = ETIMEDOUT;
  EXPECT_EQ(format_summary(s),
            "conn peer=127.0.0.1:40000 in=5 out=4 duration=0.001234s end=error "
            "error=Connection timed out");
}

TEST(EchoServer, BindFailureIsAClearError) {
  ServerThread st(test::loopback_options());
  EchoServerOptions o;
  o.bind = st.address();
  try {
    EchoServer second(o);
    FAIL() << "second bind to the same port succeeded";
  } catch (const std::system_error& e) {
    EXPECT_EQ(std::string(e.what()),
              "bind " + st.address().to_string() + ": Address already in use");
  }
}

}  // namespace
}  // namespace tcpinspect::traffic
