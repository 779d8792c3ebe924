// SPDX-License-Identifier: MIT
#include "traffic/udp_transfer_hasher.hpp"

#include <fcntl.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <condition_variable>
#include <mutex>
#include <system_error>
#include <thread>
#include <vector>

#include "traffic/fd.hpp"

namespace tcpinspect::traffic::udp {

struct HashJob {
  Fd fd;
  uint64_t size = 0;
  uint64_t available = 0;  // bytes [0, available) may be read
  uint64_t pos = 0;        // bytes hashed so far
  Sha256 hash;
  bool in_turn = false;  // the worker is reading this job right now (without the lock)
  bool done = false;
  int error = 0;
  Sha256Digest digest{};
};

namespace {

constexpr uint64_t kTurnBytes = 1 << 20;

// The process's one hashing thread and its jobs. Created on first use and never destroyed:
// the thread lives as long as the process, so nothing at exit waits for it.
class HashingPool {
 public:
  static HashingPool& instance() {
    static HashingPool* pool = new HashingPool;
    return *pool;
  }

  void add(HashJob* job) {
    std::lock_guard lock(mu_);
    if (job->pos >= job->size) finalise(*job);
    jobs_.push_back(job);
    changed_.notify_all();
  }

  void remove(HashJob* job) {
    std::unique_lock lock(mu_);
    changed_.wait(lock, [&] { return !job->in_turn; });
    jobs_.erase(std::find(jobs_.begin(), jobs_.end(), job));
  }

  void advance(HashJob* job, uint64_t available) {
    std::lock_guard lock(mu_);
    job->available = std::max(job->available, std::min(available, job->size));
    changed_.notify_all();
  }

  Sha256Digest finish(HashJob* job) {
    std::unique_lock lock(mu_);
    changed_.wait(lock, [&] { return job->done; });
    if (job->error) throw std::system_error(job->error, std::generic_category(), "hash read");
    return job->digest;
  }

 private:
  HashingPool() {
    std::thread([this] { run(); }).detach();
  }

  static void finalise(HashJob& job) {
    job.digest = job.hash.finish();
    job.done = true;
  }

  // A job with bytes to hash, taking them in turn after `last` so no transfer starves.
  HashJob* next_ready() {
    if (jobs_.empty()) return nullptr;
    const size_t n = jobs_.size();
    for (size_t i = 0; i < n; ++i) {
      HashJob* job = jobs_[(cursor_ + i) % n];
      if (!job->done && job->available > job->pos) {
        cursor_ = (cursor_ + i + 1) % n;
        return job;
      }
    }
    return nullptr;
  }

  void run() {
    std::vector<uint8_t> buf(kTurnBytes);
    std::unique_lock lock(mu_);
    for (;;) {
      HashJob* job = nullptr;
      changed_.wait(lock, [&] { return (job = next_ready()) != nullptr; });
      job->in_turn = true;
      const uint64_t start = job->pos;
      const uint64_t limit = std::min(job->available, start + kTurnBytes);
      lock.unlock();
      // Only this thread touches pos and hash while in_turn is set.
      uint64_t pos = start;
      int error = 0;
      while (pos < limit) {
        const ssize_t n = ::pread(job->fd.get(), buf.data(), static_cast<size_t>(limit - pos),
                                  static_cast<off_t>(pos));
        if (n < 0 && errno == EINTR) continue;
        if (n <= 0) {
          error = n < 0 ? errno : EIO;  // EOF before `size`: the file shrank
          break;
        }
        job->hash.update({buf.data(), static_cast<size_t>(n)});
        pos += static_cast<uint64_t>(n);
      }
      lock.lock();
      job->pos = pos;
      job->in_turn = false;
      if (error) {
        job->error = error;
        job->done = true;
      } else if (job->pos >= job->size) {
        finalise(*job);
      }
      changed_.notify_all();
    }
  }

  std::mutex mu_;
  std::condition_variable changed_;
  std::vector<HashJob*> jobs_;
  size_t cursor_ = 0;
};

}  // namespace

BackgroundHasher::BackgroundHasher(int fd, uint64_t size, uint64_t available)
    : job_(std::make_unique<HashJob>()) {
  job_->fd = Fd(::fcntl(fd, F_DUPFD_CLOEXEC, 0));
  if (!job_->fd) throw std::system_error(errno, std::generic_category(), "dup");
  job_->size = size;
  job_->available = std::min(available, size);
  HashingPool::instance().add(job_.get());
}

BackgroundHasher::~BackgroundHasher() {
  HashingPool::instance().remove(job_.get());
}

void BackgroundHasher::advance(uint64_t available) {
  HashingPool::instance().advance(job_.get(), available);
}

Sha256Digest BackgroundHasher::finish() {
  return HashingPool::instance().finish(job_.get());
}

void start_hashing_thread() {
  HashingPool::instance();
}

}  // namespace tcpinspect::traffic::udp
