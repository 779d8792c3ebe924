// SPDX-License-Identifier: MIT
#include "cmd/stop_signals.hpp"

#include <poll.h>

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

}  // namespace
}  // namespace tcpinspect::cmd
