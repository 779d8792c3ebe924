// SPDX-License-Identifier: MIT
// DemoScenario without the capture: each variant's socket calls return what the script
// says, in order, on 127.0.0.1 (no privilege needed).
#include "traffic/demo_scenario.hpp"

#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <string>
#include <vector>

#include <gtest/gtest.h>

namespace tcpinspect::traffic {
namespace {

using std::chrono::milliseconds;

// The steps of one side, text only, in order.
std::vector<std::string> side_steps(const DemoOutcome& outcome, const std::string& side) {
  std::vector<std::string> texts;
  for (const auto& step : outcome.steps)
    if (step.side == side) texts.push_back(step.text);
  return texts;
}

// Index of the first step of `side` whose text starts with `prefix`, or -1.
int find_step(const std::vector<std::string>& steps, const std::string& prefix) {
  for (size_t i = 0; i < steps.size(); ++i)
    if (steps[i].rfind(prefix, 0) == 0) return static_cast<int>(i);
  return -1;
}

DemoOutcome run_variant(DemoVariant variant) {
  DemoScenario scenario(variant, milliseconds(20));
  EXPECT_NE(scenario.port(), 0);
  return scenario.run(milliseconds(3000));
}

// Steps are recorded in time order (one clock, under one lock).
void expect_time_ordered(const DemoOutcome& outcome) {
  EXPECT_TRUE(std::is_sorted(outcome.steps.begin(), outcome.steps.end(),
                             [](const DemoStep& a, const DemoStep& b) { return a.at < b.at; }));
}

TEST(DemoScenario, ClientClosesFirstServerSeesEofThenCloses) {
  const DemoOutcome outcome = run_variant(DemoVariant::ClientCloses);
  EXPECT_EQ(outcome.error, "");
  expect_time_ordered(outcome);
  const auto client = side_steps(outcome, "client");
  const auto server = side_steps(outcome, "server");
  EXPECT_EQ(find_step(client, "connect() returned 0"), 1);
  EXPECT_EQ(client.back(), "close(): sends FIN");
  EXPECT_EQ(find_step(server, "accept() returned"), 0);
  // Echoes: the server read and wrote exactly the two messages.
  EXPECT_GE(find_step(server, "read() returned 6 bytes \"hello\\n\""), 1);
  EXPECT_GE(find_step(server, "read() returned 4 bytes \"bye\\n\""), 1);
  const int eof = find_step(server, "read() returned 0 (EOF: the client sent FIN)");
  ASSERT_GE(eof, 0);
  EXPECT_GT(find_step(server, "close(): sends FIN"), eof);
}

TEST(DemoScenario, ServerClosesFirstClientSeesEof) {
  const DemoOutcome outcome = run_variant(DemoVariant::ServerCloses);
  EXPECT_EQ(outcome.error, "");
  const auto client = side_steps(outcome, "client");
  const auto server = side_steps(outcome, "server");
  EXPECT_EQ(server.back(), "close() after echoing 10 bytes: sends FIN");
  EXPECT_EQ(find_step(server, "read() returned 0"), -1);
  const int eof = find_step(client, "read() returned 0 (EOF: the server sent FIN)");
  ASSERT_GE(eof, 0);
  EXPECT_EQ(client.back(), "close(): sends FIN");
}

TEST(DemoScenario, RstMakesTheServersReadFailWithEconnreset) {
  const DemoOutcome outcome = run_variant(DemoVariant::Reset);
  EXPECT_EQ(outcome.error, "");
  const auto client = side_steps(outcome, "client");
  const auto server = side_steps(outcome, "server");
  EXPECT_EQ(find_step(client, "close() with SO_LINGER {1, 0}"),
            static_cast<int>(client.size()) - 1);
  EXPECT_GE(find_step(server, "read() failed: ECONNRESET"), 0);
  EXPECT_EQ(find_step(server, "read() returned 0"), -1);
}

TEST(DemoScenario, ServerRstMakesTheClientsNextReadFailWithEconnreset) {
  const DemoOutcome outcome = run_variant(DemoVariant::ServerReset);
  EXPECT_EQ(outcome.error, "");
  const auto client = side_steps(outcome, "client");
  const auto server = side_steps(outcome, "server");
  EXPECT_EQ(server.back(), "close() with SO_LINGER {1, 0} after echoing 10 bytes: sends RST");
  // The echo was read before the reset was noticed: data already received stays readable.
  const int echo = find_step(client, "read() returned 4 bytes \"bye\\n\"");
  const int reset = find_step(client, "read() failed: ECONNRESET");
  ASSERT_GE(echo, 0);
  EXPECT_GT(reset, echo);
}

TEST(DemoScenario, HalfCloseStillDeliversTheReplyAfterTheClientsFin) {
  const DemoOutcome outcome = run_variant(DemoVariant::HalfClose);
  EXPECT_EQ(outcome.error, "");
  const auto client = side_steps(outcome, "client");
  const int shut = find_step(client, "shutdown(SHUT_WR)");
  const int reply =
      find_step(client, "read() returned 10 bytes \"hello\\nbye\\n\" after its own FIN");
  ASSERT_GE(shut, 0);
  EXPECT_GT(reply, shut);
  EXPECT_EQ(client.back(), "close()");
  const auto server = side_steps(outcome, "server");
  EXPECT_LT(find_step(server, "read() returned 0"), find_step(server, "write(\"hello\\nbye\\n\")"));
}

TEST(DemoScenario, RefusedConnectFailsWithEconnrefused) {
  const DemoOutcome outcome = run_variant(DemoVariant::Refused);
  EXPECT_EQ(outcome.error, "");
  EXPECT_EQ(side_steps(outcome, "server").size(), 0u);
  const auto client = side_steps(outcome, "client");
  ASSERT_EQ(client.size(), 2u);
  EXPECT_EQ(client[1], "connect() failed: ECONNREFUSED (Connection refused)");
}

TEST(DemoScenario, PortIsReleasedWhenTheScenarioEnds) {
  uint16_t port = 0;
  {
    DemoScenario scenario(DemoVariant::ClientCloses, milliseconds(1));
    port = scenario.port();
    EXPECT_EQ(scenario.run(milliseconds(3000)).error, "");
  }
  // Nothing listens any more: a new connect() is refused.
  const int fd = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  ASSERT_GE(fd, 0);
  sockaddr_in sin{};
  sin.sin_family = AF_INET;
  sin.sin_port = htons(port);
  sin.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  const int rc = ::connect(fd, reinterpret_cast<const sockaddr*>(&sin), sizeof sin);
  const int err = errno;
  ::close(fd);
  EXPECT_EQ(rc, -1);
  EXPECT_EQ(err, ECONNREFUSED);
}

TEST(DemoScenario, VariantNames) {
  EXPECT_STREQ(to_string(DemoVariant::ClientCloses), "client");
  EXPECT_STREQ(to_string(DemoVariant::ServerCloses), "server");
  EXPECT_STREQ(to_string(DemoVariant::Reset), "rst");
  EXPECT_STREQ(to_string(DemoVariant::ServerReset), "server-rst");
  EXPECT_STREQ(to_string(DemoVariant::HalfClose), "half-close");
  EXPECT_STREQ(to_string(DemoVariant::Refused), "refused");
}

}  // namespace
}  // namespace tcpinspect::traffic
