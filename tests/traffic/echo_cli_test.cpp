// SPDX-License-Identifier: MIT
// Runs the built tcpinspect binary: one scripted echo through echo-server/echo-client,
// plus the CLI's error lines and exit codes.
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <regex>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "traffic/echo_client.hpp"
#include "traffic/fd.hpp"
#include "traffic/socket_address.hpp"
#include "traffic/socket_ops.hpp"

namespace tcpinspect::traffic {
namespace {

using namespace std::chrono_literals;

/// A child process with stdout/stderr on pipes. The destructor kills (by pid) and reaps it.
class Child {
 public:
  explicit Child(const std::vector<std::string>& args, const std::string& stdin_data = "") {
    int out[2], err[2], in[2];
    if (::pipe2(out, O_CLOEXEC) != 0 || ::pipe2(err, O_CLOEXEC) != 0 || ::pipe2(in, O_CLOEXEC) != 0)
      throw_errno("pipe2");
    pid_ = ::fork();
    if (pid_ < 0) throw_errno("fork");
    if (pid_ == 0) {
      ::dup2(in[0], 0);
      ::dup2(out[1], 1);
      ::dup2(err[1], 2);
      std::vector<char*> argv;
      std::string bin = TCPINSPECT_BINARY;
      argv.push_back(bin.data());
      std::vector<std::string> copy = args;
      for (auto& a : copy)
        argv.push_back(a.data());
      argv.push_back(nullptr);
      ::execv(bin.c_str(), argv.data());
      ::_exit(127);
    }
    ::close(in[0]);
    ::close(out[1]);
    ::close(err[1]);
    out_.reset(out[0]);
    err_.reset(err[0]);
    Fd stdin_w(in[1]);
    // Small inputs only: fits the pipe buffer, so this cannot block.
    if (!stdin_data.empty()) [[maybe_unused]]
      const ssize_t n = ::write(stdin_w.get(), stdin_data.data(), stdin_data.size());
  }
  ~Child() {
    if (pid_ > 0) {
      ::kill(pid_, SIGKILL);
      ::waitpid(pid_, nullptr, 0);
    }
  }

  /// Reads one stdout line (without '\n'), waiting up to `timeout`.
  std::string read_line(std::chrono::milliseconds timeout = 5000ms) {
    for (;;) {
      const size_t nl = out_buf_.find('\n');
      if (nl != std::string::npos) {
        std::string line = out_buf_.substr(0, nl);
        out_buf_.erase(0, nl + 1);
        return line;
      }
      if (!read_more(out_, out_buf_, timeout)) return out_buf_;
    }
  }

  void signal(int sig) { ::kill(pid_, sig); }

  /// Waits for exit (SIGKILL after `timeout`), collecting the rest of both outputs.
  int wait(std::chrono::milliseconds timeout = 10000ms) {
    const auto deadline = std::chrono::steady_clock::now() + timeout;
    while (std::chrono::steady_clock::now() < deadline) {
      pollfd p[2] = {{out_.get(), POLLIN, 0}, {err_.get(), POLLIN, 0}};
      if (::poll(p, 2, 100) < 0) break;
      bool open = false;
      if (out_) open |= drain(out_, out_buf_);
      if (err_) open |= drain(err_, err_buf_);
      if (!open) break;
    }
    int status = 0;
    for (int i = 0; i < 100; ++i) {
      if (::waitpid(pid_, &status, WNOHANG) == pid_) {
        pid_ = -1;
        return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
      }
      std::this_thread::sleep_for(20ms);
    }
    return -1;  // still running: the destructor kills it
  }

  const std::string& out() const { return out_buf_; }
  const std::string& err() const { return err_buf_; }

 private:
  static bool read_more(Fd& fd, std::string& buf, std::chrono::milliseconds timeout) {
    pollfd p{fd.get(), POLLIN, 0};
    if (::poll(&p, 1, static_cast<int>(timeout.count())) <= 0) return false;
    return drain(fd, buf);
  }
  // Reads what is available; false once the pipe is at EOF.
  static bool drain(Fd& fd, std::string& buf) {
    if (!fd) return false;
    pollfd p{fd.get(), POLLIN, 0};
    if (::poll(&p, 1, 0) <= 0) return true;
    char tmp[4096];
    const ssize_t n = ::read(fd.get(), tmp, sizeof tmp);
    if (n <= 0) {
      fd.reset();
      return false;
    }
    buf.append(tmp, static_cast<size_t>(n));
    return true;
  }

  pid_t pid_ = -1;
  Fd out_;
  Fd err_;
  std::string out_buf_;
  std::string err_buf_;
};

std::string port_of(const std::string& listening_line) {
  std::smatch m;
  static const std::regex re(R"(^listening on 127\.0\.0\.1:(\d+)$)");
  if (!std::regex_match(listening_line, m, re)) return "";
  return m[1];
}

TEST(EchoCli, ScriptedEchoThroughTheBinary) {
  Child server({"echo-server", "--bind", "127.0.0.1", "--port", "0", "--udp"});
  const std::string port = port_of(server.read_line());
  ASSERT_FALSE(port.empty());
  EXPECT_EQ(server.read_line(), "udp on 127.0.0.1:" + port);

  Child send({"echo-client", "127.0.0.1:" + port, "--send", "hello, echo"});
  EXPECT_EQ(send.wait(), 0) << send.err();
  EXPECT_EQ(send.out(), "hello, echo");
  EXPECT_EQ(send.err(), "");

  Child piped({"echo-client", "127.0.0.1:" + port, "--half-close"}, "line one\nline two\n");
  EXPECT_EQ(piped.wait(), 0) << piped.err();
  EXPECT_EQ(piped.out(), "line one\nline two\n");

  Child udp({"echo-client", "127.0.0.1:" + port, "--udp", "--send", "datagram"});
  EXPECT_EQ(udp.wait(), 0) << udp.err();
  EXPECT_EQ(udp.out(), "datagram");

  Child load({"echo-client", "127.0.0.1:" + port, "--connections", "10", "--messages", "5",
              "--size", "100"});
  EXPECT_EQ(load.wait(), 0) << load.err();
  EXPECT_EQ(load.out().rfind("connections=10/10 messages=50/50 bytes=5000 ", 0), 0u) << load.out();

  server.signal(SIGTERM);
  EXPECT_EQ(server.wait(), 0);
  const std::string& log = server.out();
  EXPECT_TRUE(std::regex_search(
      log, std::regex(
               R"(conn peer=127\.0\.0\.1:\d+ in=11 out=11 duration=\d+\.\d{6}s end=client_fin\n)")))
      << log;
  EXPECT_TRUE(std::regex_search(log, std::regex(R"(in=18 out=18 duration=\S+ end=client_fin\n)")))
      << log;
  EXPECT_NE(log.find("shutdown: stopped accepting, 0 clients open, waiting up to 5.000s\n"),
            std::string::npos)
      << log;
  EXPECT_NE(log.find("shutdown: accepted=12 refused=0 peak_clients=10 open_at_stop=0 "
                     "closed_at_deadline=0 udp_in=1 udp_out=1 udp_dropped=0\n"),
            std::string::npos)
      << log;
}

// -q drops the per-connection lines only: the listening line, the shutdown lines and the
// report's counts are unchanged.
TEST(EchoCli, QuietServerPrintsNoConnectionLines) {
  Child server({"echo-server", "--bind", "127.0.0.1", "--port", "0", "-q"});
  const std::string port = port_of(server.read_line());
  ASSERT_FALSE(port.empty());
  for (int i = 0; i < 3; ++i) {
    Child send({"echo-client", "127.0.0.1:" + port, "--send", "quiet"});
    EXPECT_EQ(send.wait(), 0) << send.err();
    EXPECT_EQ(send.out(), "quiet");
  }
  server.signal(SIGTERM);
  EXPECT_EQ(server.wait(), 0);
  EXPECT_EQ(server.out(),
            "shutdown: stopped accepting, 0 clients open, waiting up to 5.000s\n"
            "shutdown: accepted=3 refused=0 peak_clients=1 open_at_stop=0 closed_at_deadline=0\n");
}

// A bad address is a usage error (exit 2), as in every subcommand (tests/cli/host_port_errors.sh).
TEST(EchoCli, BadAddressIsAOneLineUsageError) {
  Child c({"echo-client", "localhost:http", "--send", "x"});
  EXPECT_EQ(c.wait(), 2);
  EXPECT_EQ(c.err(), "tcpinspect: bad address 'localhost:http': port must be a number 0-65535\n");
  Child v6({"echo-client", "::1:7", "--send", "x"});
  EXPECT_EQ(v6.wait(), 2);
  EXPECT_EQ(v6.err(),
            "tcpinspect: bad address '::1:7': IPv6 addresses need brackets: [ADDR]:PORT\n");
  Child bind({"echo-server", "--bind", "not-an-ip", "--port", "0"});
  EXPECT_EQ(bind.wait(), 2);
  EXPECT_EQ(bind.err(),
            "tcpinspect: --bind: bad address 'not-an-ip': not a numeric IPv4/IPv6 address "
            "(host names are not resolved)\n");
}

TEST(EchoCli, ConnectionRefusedIsAOneLineErrorWithExitCode1) {
  Fd probe = bind_udp(parse_ip("127.0.0.1", 0));
  const std::string target = local_address(probe.get()).to_string();
  probe.reset();
  Child c({"echo-client", target, "--send", "x", "--retries", "1"});
  EXPECT_EQ(c.wait(), 1);
  EXPECT_EQ(c.err(),
            "tcpinspect: connect to " + target + ": Connection refused (after 1 retries)\n");
  EXPECT_EQ(c.out(), "");
}

TEST(EchoCli, CloseAfterIsReportedByTheClient) {
  Child server({"echo-server", "--bind", "127.0.0.1", "--port", "0", "--close-after", "3"});
  const std::string port = port_of(server.read_line());
  ASSERT_FALSE(port.empty());
  Child c({"echo-client", "127.0.0.1:" + port, "--send", "abcdef"});
  EXPECT_EQ(c.wait(), 1);
  EXPECT_EQ(c.out(), "abc");
  EXPECT_EQ(c.err(), "tcpinspect: connection closed by peer after 3 of 6 bytes\n");
  server.signal(SIGINT);
  EXPECT_EQ(server.wait(), 0);
  EXPECT_NE(server.out().find(" in=6 out=3 "), std::string::npos) << server.out();
  EXPECT_NE(server.out().find("end=server_close\n"), std::string::npos) << server.out();
}

TEST(EchoCli, SigtermWithAClientConnectedReportsAndExitsWithinTheTimeout) {
  Child server({"echo-server", "--bind", "::1", "--port", "0", "--shutdown-timeout", "0.5"});
  const std::string first = server.read_line();
  std::smatch m;
  ASSERT_TRUE(std::regex_match(first, m, std::regex(R"(^listening on \[::1\]:(\d+)$)"))) << first;
  Fd client = connect_tcp(parse_host_port("[::1]:" + m[1].str()), ConnectOptions{});
  // Make sure the server has accepted before the signal (one echoed byte).
  std::string received;
  ASSERT_EQ(exchange(client.get(), "x", {false, std::chrono::milliseconds(2000)}, received).end,
            ExchangeEnd::Complete);
  const auto t0 = std::chrono::steady_clock::now();
  server.signal(SIGTERM);
  EXPECT_EQ(server.wait(), 0);
  const auto elapsed = std::chrono::steady_clock::now() - t0;
  EXPECT_GE(elapsed, 450ms);
  EXPECT_LT(elapsed, 3000ms);
  const std::string& log = server.out();
  EXPECT_TRUE(std::regex_search(
      log, std::regex(R"(conn peer=\[::1\]:\d+ in=1 out=1 duration=\S+ end=shutdown\n)")))
      << log;
  EXPECT_NE(log.find("shutdown: stopped accepting, 1 clients open, waiting up to 0.500s\n"),
            std::string::npos)
      << log;
  EXPECT_NE(log.find("shutdown: accepted=1 refused=0 peak_clients=1 open_at_stop=1 "
                     "closed_at_deadline=1\n"),
            std::string::npos)
      << log;
}

}  // namespace
}  // namespace tcpinspect::traffic
