// SPDX-License-Identifier: MIT
#include "cmd/stop_signals.hpp"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <stdexcept>
#include <string>

namespace tcpinspect::cmd {
namespace {

// A signal handler can reach nothing else: these two are the whole shared state, written
// before the handlers are installed and cleared after they are removed.
volatile std::sig_atomic_t g_signal = 0;
volatile std::sig_atomic_t g_write_fd = -1;
// Only a lock-free atomic may be touched from a signal handler.
std::atomic<bool> g_requested{false};
static_assert(std::atomic<bool>::is_always_lock_free);

void on_stop_signal(int sig) {
  const int saved = errno;
  g_signal = sig;
  g_requested.store(true);
  const char byte = 1;
  if (g_write_fd >= 0) {
    // A full pipe already says "stop"; nothing to do about a failed write here.
    const ssize_t n = ::write(g_write_fd, &byte, 1);
    (void)n;
  }
  errno = saved;
}

}  // namespace

StopSignals::StopSignals(StopSignalOptions options) {
  int fds[2];
  if (::pipe2(fds, O_NONBLOCK | O_CLOEXEC) != 0)
    throw std::runtime_error(std::string("cannot create signal pipe: ") + std::strerror(errno));
  read_fd_ = fds[0];
  write_fd_ = fds[1];
  g_signal = 0;
  g_requested.store(false);
  g_write_fd = write_fd_;
  struct sigaction sa {};
  sa.sa_handler = on_stop_signal;
  sigemptyset(&sa.sa_mask);
  for (size_t i = 0; i < std::size(kSignals); ++i) {
    if (kSignals[i] == SIGPIPE && !options.catch_sigpipe) continue;
    // A SIGPIPE comes from a write, never interrupts a read: it keeps SA_RESTART.
    sa.sa_flags = options.interrupt_reads && kSignals[i] != SIGPIPE ? 0 : SA_RESTART;
    installed_[i] = ::sigaction(kSignals[i], &sa, &previous_[i]) == 0;
  }
}

StopSignals::~StopSignals() {
  for (size_t i = 0; i < std::size(kSignals); ++i)
    if (installed_[i]) ::sigaction(kSignals[i], &previous_[i], nullptr);
  g_write_fd = -1;
  ::close(read_fd_);
  ::close(write_fd_);
}

int StopSignals::signal() const {
  return g_signal;
}

const std::atomic<bool>& StopSignals::requested() const {
  return g_requested;
}

}  // namespace tcpinspect::cmd
