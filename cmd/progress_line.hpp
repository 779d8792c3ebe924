// SPDX-License-Identifier: MIT
#pragma once
#include <chrono>
#include <cstdint>
#include <string>

namespace tcpinspect::cmd {

/// One line of progress on standard error, redrawn in place, for long work on a terminal.
/// It is drawn only when enabled (see progress_wanted), first after kFirstDelay (quick
/// runs show nothing) and then every kInterval, and erased when done (clear() or the
/// destructor), so the output and any error line stand alone afterwards.
class ProgressLine {
 public:
  static constexpr std::chrono::milliseconds kFirstDelay{500};
  static constexpr std::chrono::milliseconds kInterval{250};

  explicit ProgressLine(bool enabled);
  ~ProgressLine() { clear(); }
  ProgressLine(const ProgressLine&) = delete;
  ProgressLine& operator=(const ProgressLine&) = delete;

  /// Cheap when not due: `make_text(elapsed_seconds)` is called (and its line drawn) only
  /// when a redraw is due.
  template <class MakeText>
  void tick(MakeText&& make_text) {
    if (!enabled_) return;
    const auto now = std::chrono::steady_clock::now();
    if (now < next_) return;
    next_ = now + kInterval;
    draw(make_text(std::chrono::duration<double>(now - start_).count()));
  }
  /// Erases the line if one is shown.
  void clear();

 private:
  void draw(const std::string& text);
  bool enabled_;
  bool shown_ = false;
  std::chrono::steady_clock::time_point start_;
  std::chrono::steady_clock::time_point next_;
};

/// Whether to show progress: not with -q, only when standard error is a terminal, and not
/// when standard output is a terminal too (the annotations themselves show progress there,
/// and a status line would cut into them).
bool progress_wanted(bool quiet);

/// "12,345 frames, 8.1 MB of 16.2 MB (50%), 4.0 MB/s, ETA 2s": frames handed to the
/// analysis, bytes of the input read (as stored: compressed inputs compressed) and of its
/// size when known (`size` 0: unknown, as for a pipe: no percentage, no ETA).
std::string format_replay_progress(uint64_t frames, uint64_t position, uint64_t size,
                                   double elapsed_s);

}  // namespace tcpinspect::cmd
