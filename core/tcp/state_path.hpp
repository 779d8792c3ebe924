// SPDX-License-Identifier: MIT
#pragma once
#include <array>
#include <cstdint>

#include "core/tcp/tcp_state.hpp"

namespace tcpinspect::core {

/// The distinct states an endpoint went through, in order. Bounded (a connection visits at
/// most a dozen states; port reuse starts a new connection), so it never allocates.
class StatePath {
 public:
  static constexpr size_t kCapacity = 14;

  void push(TcpState s) {
    if (size_ > 0 && states_[size_ - 1] == s) return;
    if (size_ == kCapacity) {
      // Keep the newest states: shift out the second entry, keep the first (where it began).
      for (size_t i = 1; i + 1 < kCapacity; ++i)
        states_[i] = states_[i + 1];
      --size_;
      truncated_ = true;
    }
    states_[size_++] = s;
  }
  void pop() {
    if (size_ > 0) --size_;
  }
  void clear() { size_ = 0; }
  size_t size() const { return size_; }
  TcpState operator[](size_t i) const { return states_[i]; }
  TcpState back() const { return states_[size_ - 1]; }
  bool truncated() const { return truncated_; }

 private:
  std::array<TcpState, kCapacity> states_{};
  uint8_t size_ = 0;
  bool truncated_ = false;
};

}  // namespace tcpinspect::core
