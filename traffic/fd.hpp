// SPDX-License-Identifier: MIT
#pragma once
#include <unistd.h>

#include <utility>

namespace tcpinspect::traffic {

/// Owns one file descriptor and closes it exactly once. Move-only; -1 means "none".
class Fd {
 public:
  Fd() = default;
  explicit Fd(int fd) : fd_(fd) {}
  Fd(const Fd&) = delete;
  Fd& operator=(const Fd&) = delete;
  Fd(Fd&& other) noexcept : fd_(other.release()) {}
  Fd& operator=(Fd&& other) noexcept {
    if (this != &other) reset(other.release());
    return *this;
  }
  ~Fd() { reset(); }

  int get() const { return fd_; }
  explicit operator bool() const { return fd_ >= 0; }

  /// Gives up ownership without closing.
  int release() { return std::exchange(fd_, -1); }

  /// Closes the held descriptor (if any) and takes `fd`. close() errors are ignored on
  /// purpose: on Linux the descriptor is released even when close() reports EINTR/EIO.
  void reset(int fd = -1) {
    if (fd_ >= 0) ::close(fd_);
    fd_ = fd;
  }

 private:
  int fd_ = -1;
};

}  // namespace tcpinspect::traffic
