// SPDX-License-Identifier: MIT
#pragma once
#include <cstdint>

#include "core/tcp/tcp_state.hpp"

namespace tcpinspect::core {

/// The distinct states an endpoint went through, in order. Bounded (a connection visits at
/// most a dozen states; port reuse starts a new connection), so it never allocates. Packed
/// into one word, four bits a state: every tracked connection keeps two of these.
class StatePath {
 public:
  static constexpr size_t kCapacity = 14;

  void push(TcpState s) {
    if (size() > 0 && back() == s) return;
    if (size() == kCapacity) {
      // Keep the newest states: shift out the second entry, keep the first (where it began).
      const uint64_t first = states_ & kStateMask;
      const uint64_t rest =
          (states_ >> (2 * kBits)) & ((uint64_t{1} << ((kCapacity - 2) * kBits)) - 1);
      states_ = first | rest << kBits;
      set_size(kCapacity - 1);
      truncated_ = true;
    }
    const size_t n = size();
    states_ = (states_ & ~(kStateMask << (n * kBits))) | uint64_t{static_cast<uint8_t>(s)}
                                                             << (n * kBits);
    set_size(n + 1);
  }
  void pop() {
    if (size() > 0) set_size(size() - 1);
  }
  void clear() { set_size(0); }
  size_t size() const { return size_; }
  TcpState operator[](size_t i) const {
    return static_cast<TcpState>((states_ >> (i * kBits)) & kStateMask);
  }
  TcpState back() const { return (*this)[size() - 1]; }
  bool truncated() const { return truncated_; }

 private:
  static constexpr unsigned kBits = 4;
  static constexpr uint64_t kStateMask = (uint64_t{1} << kBits) - 1;
  static_assert(static_cast<unsigned>(TcpState::TimeWait) <= kStateMask, "a state fits in kBits");
  void set_size(size_t n) { size_ = static_cast<uint8_t>(n) & 15; }

  uint64_t states_ : kCapacity* kBits = 0;
  uint64_t size_ : 4 = 0;
  uint64_t truncated_ : 1 = 0;
};
static_assert(sizeof(StatePath) == 8);

}  // namespace tcpinspect::core
