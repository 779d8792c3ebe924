// SPDX-License-Identifier: MIT
#pragma once
#include <csignal>

namespace tcpinspect::cmd {

/// Turns SIGINT, SIGTERM, SIGHUP and SIGPIPE into a readable file descriptor (self-pipe),
/// so a capture loop polling it stops cleanly and still closes its files and prints its
/// summary. One instance at a time; the previous handlers come back on destruction.
class StopSignals {
 public:
  StopSignals();
  ~StopSignals();
  StopSignals(const StopSignals&) = delete;
  StopSignals& operator=(const StopSignals&) = delete;

  /// Polls readable once a stop signal arrived.
  int fd() const { return read_fd_; }
  /// The signal that arrived, or 0.
  int signal() const;

 private:
  static constexpr int kSignals[] = {SIGINT, SIGTERM, SIGHUP, SIGPIPE};
  int read_fd_ = -1;
  int write_fd_ = -1;
  struct sigaction previous_[4] = {};
};

}  // namespace tcpinspect::cmd
