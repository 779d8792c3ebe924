// SPDX-License-Identifier: MIT
#pragma once
#include <cstddef>
#include <cstdint>
#include <new>
#include <utility>
#include <vector>

#include "core/wire/memory_advice.hpp"

namespace tcpinspect::core {

/// A growable array of T that never moves its elements, kept in 2 MiB blocks that the
/// kernel may back with one transparent huge page each.
///
/// Why: a busy capture keeps ~100,000 connections of ~800 bytes each. On 4 KiB pages every
/// new connection's first touch costs a page fault, and on a virtual machine a fault costs
/// microseconds: measured, the faults were 12% of `replay --format summary`. One huge page
/// fault per block replaces 512 small ones. Where huge pages are not available (or no advisor
/// is installed, core/wire/memory_advice.hpp) the blocks are ordinary memory.
template <typename T>
class HugePageStore {
 public:
  static constexpr size_t kBlockBytes = size_t{2} << 20;
  static constexpr uint32_t kPerBlock = static_cast<uint32_t>(kBlockBytes / sizeof(T));
  static_assert(kPerBlock > 0, "an element must fit in one block");

  HugePageStore() = default;
  HugePageStore(const HugePageStore&) = delete;
  HugePageStore& operator=(const HugePageStore&) = delete;
  ~HugePageStore() {
    for (uint32_t i = 0; i < size_; ++i)
      (*this)[i].~T();
    for (void* b : blocks_)
      ::operator delete (b, std::align_val_t{kBlockBytes});
  }

  uint32_t size() const { return size_; }
  T& operator[](uint32_t i) { return block(i)[i % kPerBlock]; }
  const T& operator[](uint32_t i) const { return block(i)[i % kPerBlock]; }

  /// Constructs a new element at index size() from args; returns its index.
  template <typename... Args>
  uint32_t emplace_back(Args&&... args) {
    if (size_ % kPerBlock == 0) blocks_.push_back(new_block());
    new (&block(size_)[size_ % kPerBlock]) T(std::forward<Args>(args)...);
    return size_++;
  }

 private:
  T* block(uint32_t i) const { return static_cast<T*>(blocks_[i / kPerBlock]); }
  static void* new_block();

  std::vector<void*> blocks_;
  uint32_t size_ = 0;
};

template <typename T>
void* HugePageStore<T>::new_block() {
  // Aligned to its size, so the whole block can be one huge page.
  void* b = ::operator new (kBlockBytes, std::align_val_t{kBlockBytes});
  advise_huge_pages(b, kBlockBytes);
  return b;
}

}  // namespace tcpinspect::core
