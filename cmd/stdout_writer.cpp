// SPDX-License-Identifier: MIT
#include "cmd/stdout_writer.hpp"

#include <cerrno>
#include <cstring>

namespace tcpinspect::cmd {

void StdoutWriter::write(std::string_view text) {
  if (errno_ != 0 || text.empty()) return;
  errno = 0;
  if (std::fwrite(text.data(), 1, text.size(), stdout) != text.size()) check();
}

void StdoutWriter::flush() {
  if (errno_ != 0) return;
  errno = 0;
  if (std::fflush(stdout) != 0) check();
}

void StdoutWriter::check() {
  // errno is set by the write(2) that failed inside stdio; EIO if stdio failed otherwise.
  errno_ = errno != 0 ? errno : EIO;
}

std::string StdoutWriter::message() const {
  if (errno_ == 0) return {};
  return std::string("standard output: write failed: ") + std::strerror(errno_);
}

}  // namespace tcpinspect::cmd
