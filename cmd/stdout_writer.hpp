// SPDX-License-Identifier: MIT
#pragma once
#include <cstdio>
#include <string>
#include <string_view>

namespace tcpinspect::cmd {

/// Where replay and trace send their annotations: standard output through stdio, with
/// every failed write remembered. stdio only sets a sticky error flag on a failed write
/// (full disk, /dev/full, EIO), and errno is long overwritten by the time anyone looks, so
/// without this the output would stop mid-line and the command would still exit 0.
class StdoutWriter {
 public:
  /// Writes `text` (buffered). After the first failure, writes nothing more.
  void write(std::string_view text);
  /// Flushes stdout; a failure is remembered as for write().
  void flush();
  /// The first write error so far (errno), or 0.
  int error() const { return errno_; }
  bool failed() const { return errno_ != 0; }
  /// "standard output: No space left on device" (empty when nothing failed).
  std::string message() const;

 private:
  void check();
  int errno_ = 0;
};

}  // namespace tcpinspect::cmd
