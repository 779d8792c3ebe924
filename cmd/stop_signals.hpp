// SPDX-License-Identifier: MIT
#pragma once
#include <atomic>
#include <csignal>

namespace tcpinspect::cmd {

/// How StopSignals catches the signals (defaults: as every waiting command wants).
struct StopSignalOptions {
  /// A read(2) blocked when a signal arrives fails with EINTR instead of being restarted, so
  /// a command blocked reading a pipe or FIFO stops (replay); only SIGINT, SIGTERM, SIGHUP.
  bool interrupt_reads = false;
  /// SIGPIPE is a stop too; without, it keeps its default (the process ends quietly).
  bool catch_sigpipe = true;
};

/// The one place a subcommand that waits learns of SIGINT, SIGTERM, SIGHUP and SIGPIPE: each
/// arrival writes one byte to a self-pipe (for loops that poll descriptors) and sets a flag
/// (for loops that check one), so the command stops cleanly, closes its files and prints its
/// summary. One instance at a time; the previous handlers come back on destruction.
class StopSignals {
 public:
  explicit StopSignals(StopSignalOptions options = {});
  ~StopSignals();
  StopSignals(const StopSignals&) = delete;
  StopSignals& operator=(const StopSignals&) = delete;

  /// Polls readable once a stop signal arrived; holds one byte per signal.
  int fd() const { return read_fd_; }
  /// Becomes true when a stop signal arrives (and stays true).
  const std::atomic<bool>& requested() const;
  /// The signal that arrived, or 0.
  int signal() const;

 private:
  static constexpr int kSignals[] = {SIGINT, SIGTERM, SIGHUP, SIGPIPE};
  int read_fd_ = -1;
  int write_fd_ = -1;
  struct sigaction previous_[4] = {};
  bool installed_[4] = {};
};

}  // namespace tcpinspect::cmd
