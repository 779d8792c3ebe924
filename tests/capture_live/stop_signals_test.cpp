// SPDX-License-Identifier: MIT
#include "cmd/stop_signals.hpp"

#include <poll.h>
#include <unistd.h>

#include <csignal>

#include <gtest/gtest.h>

namespace tcpinspect::cmd {
namespace {

int g_previous_handler_hits = 0;
void previous_handler(int) {
  ++g_previous_handler_hits;
}

TEST(StopSignals, SignalMakesFdReadableThenHandlerIsRestored) {
  std::signal(SIGTERM, previous_handler);
  {
    StopSignals stop;
    EXPECT_EQ(stop.signal(), 0);
    pollfd p{stop.fd(), POLLIN, 0};
    EXPECT_EQ(::poll(&p, 1, 0), 0);
    std::raise(SIGTERM);
    EXPECT_EQ(stop.signal(), SIGTERM);
    EXPECT_EQ(::poll(&p, 1, 0), 1);
    EXPECT_EQ(g_previous_handler_hits, 0);
  }
  std::raise(SIGTERM);
  EXPECT_EQ(g_previous_handler_hits, 1);
  std::signal(SIGTERM, SIG_DFL);
}

// udp-send/udp-recv check the flag; echo-server reads one byte per stop request (the second
// one ends its grace period), so two signals must leave two bytes.
TEST(StopSignals, EachSignalSetsTheFlagAndAddsOneByte) {
  {
    StopSignals stop;
    EXPECT_FALSE(stop.requested().load());
    std::raise(SIGINT);
    EXPECT_TRUE(stop.requested().load());
    EXPECT_EQ(stop.signal(), SIGINT);
    std::raise(SIGHUP);
    EXPECT_EQ(stop.signal(), SIGHUP);
    char bytes[4] = {};
    EXPECT_EQ(::read(stop.fd(), bytes, sizeof bytes), 2);
  }
  // A new helper starts unset: the flag belongs to one command run.
  StopSignals again;
  EXPECT_FALSE(again.requested().load());
  EXPECT_EQ(again.signal(), 0);
}

}  // namespace
}  // namespace tcpinspect::cmd
