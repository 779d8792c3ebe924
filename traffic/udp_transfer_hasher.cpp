// SPDX-License-Identifier: MIT
#include "traffic/udp_transfer_hasher.hpp"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <system_error>
#include <vector>

namespace tcpinspect::traffic::udp {

BackgroundHasher::BackgroundHasher(int fd, uint64_t size, uint64_t available)
    : fd_(::fcntl(fd, F_DUPFD_CLOEXEC, 0)), size_(size), available_(available) {
  if (!fd_) throw std::system_error(errno, std::generic_category(), "dup");
  thread_ = std::thread([this] { run(); });
}

BackgroundHasher::~BackgroundHasher() {
  {
    std::lock_guard lock(mu_);
    stop_ = true;
  }
  cv_.notify_all();
  thread_.join();
}

void BackgroundHasher::advance(uint64_t available) {
  {
    std::lock_guard lock(mu_);
    available_ = available;
  }
  cv_.notify_all();
}

Sha256Digest BackgroundHasher::finish() {
  std::unique_lock lock(mu_);
  cv_.wait(lock, [this] { return done_; });
  if (error_) throw std::system_error(error_, std::generic_category(), "hash read");
  return digest_;
}

void BackgroundHasher::run() {
  Sha256 hash;
  std::vector<uint8_t> buf(1 << 20);
  uint64_t pos = 0;
  int error = 0;
  while (pos < size_) {
    uint64_t limit = 0;
    {
      std::unique_lock lock(mu_);
      cv_.wait(lock, [&] { return stop_ || available_ > pos; });
      if (stop_) return;
      limit = available_;
    }
    while (pos < limit) {
      const size_t want = static_cast<size_t>(std::min<uint64_t>(buf.size(), limit - pos));
      const ssize_t n = ::pread(fd_.get(), buf.data(), want, static_cast<off_t>(pos));
      if (n < 0 && errno == EINTR) continue;
      if (n <= 0) {
        error = n < 0 ? errno : EIO;  // EOF before `size`: the file shrank
        break;
      }
      hash.update({buf.data(), static_cast<size_t>(n)});
      pos += static_cast<uint64_t>(n);
    }
    if (error) break;
  }
  const Sha256Digest d = hash.finish();
  {
    std::lock_guard lock(mu_);
    digest_ = d;
    error_ = error;
    done_ = true;
  }
  cv_.notify_all();
}

}  // namespace tcpinspect::traffic::udp
