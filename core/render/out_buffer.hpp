// SPDX-License-Identifier: MIT
#pragma once
#include <array>
#include <charconv>
#include <cstdint>
#include <cstring>
#include <memory>
#include <string>
#include <string_view>

#include "core/render/render.hpp"

namespace tcpinspect::core {

/// An append-only text buffer handed to the caller's WriteFn in large chunks, so
/// per-segment rendering costs no system call and no allocation once warmed up.
class OutBuffer {
 public:
  /// `initial`: starting capacity; small for scratch buffers that format one cell.
  explicit OutBuffer(WriteFn write, size_t initial = kInitial)
      : write_(std::move(write)),
        data_(std::make_unique_for_overwrite<char[]>(initial)),
        cap_(initial) {}
  ~OutBuffer() { flush(); }
  OutBuffer(const OutBuffer&) = delete;
  OutBuffer& operator=(const OutBuffer&) = delete;

  OutBuffer& put(std::string_view s) {
    copy_short(reserve(s.size()), s.data(), s.size());
    pos_ += s.size();
    return *this;
  }
  /// String literals: the length is a constant, so the copy is inlined.
  template <size_t N>
  OutBuffer& put(const char (&literal)[N]) {
    std::memcpy(reserve(N - 1), literal, N - 1);
    pos_ += N - 1;
    return *this;
  }
  /// The first `len` bytes of a fixed-size array: copies all N (a constant-size copy, much
  /// cheaper for short text than one of variable length) and keeps `len`.
  template <size_t N>
  OutBuffer& put_prefix(const std::array<char, N>& text, size_t len) {
    std::memcpy(reserve(N), text.data(), N);
    pos_ += len < N ? len : N;
    return *this;
  }
  OutBuffer& put(char c) {
    *reserve(1) = c;
    ++pos_;
    return *this;
  }
  OutBuffer& put_uint(uint64_t v) {
    char* p = reserve(24);
    pos_ = static_cast<size_t>(std::to_chars(p, p + 24, v).ptr - data_.get());
    return *this;
  }
  OutBuffer& put_int(int64_t v) {
    char* p = reserve(24);
    pos_ = static_cast<size_t>(std::to_chars(p, p + 24, v).ptr - data_.get());
    return *this;
  }
  /// Nanoseconds as seconds with `decimals` digits (0..9), e.g. 0.000412.
  OutBuffer& put_seconds(int64_t ns, int decimals = 6) {
    if (ns < 0) {
      put('-');
      ns = -ns;
    }
    put_uint(static_cast<uint64_t>(ns / 1'000'000'000));
    if (decimals <= 0) return *this;
    char* p = reserve(10);
    *p++ = '.';
    int64_t rem = ns % 1'000'000'000;
    char frac[9];
    for (int i = 8; i >= 0; --i, rem /= 10)
      frac[i] = static_cast<char>('0' + rem % 10);
    std::memcpy(p, frac, static_cast<size_t>(decimals));
    pos_ += 1 + static_cast<size_t>(decimals);
    return *this;
  }
  /// Pads with spaces up to `width` characters since `mark` (a size() taken earlier in the
  /// same record); counts UTF-8 code points, not bytes.
  OutBuffer& pad_to(size_t mark, size_t width) {
    size_t cols = 0;
    for (size_t i = mark; i < pos_; ++i)
      if ((static_cast<unsigned char>(data_[i]) & 0xC0) != 0x80) ++cols;
    while (cols++ < width)
      put(' ');
    return *this;
  }
  /// Lets `fill(char* dst)` write at most `max` bytes in place and return how many it wrote
  /// (formatting straight into the buffer, no temporary).
  template <typename Fill>
  OutBuffer& put_in_place(size_t max, Fill&& fill) {
    char* dst = reserve(max);
    pos_ += fill(dst);
    return *this;
  }
  size_t size() const { return pos_; }
  /// The text gathered since the last flush or discard (valid until the next put).
  std::string_view text() const { return std::string_view(data_.get(), pos_); }
  /// Removes trailing `c` characters gathered since the last flush.
  void trim_trailing(char c) {
    while (pos_ > 0 && data_[pos_ - 1] == c)
      --pos_;
  }
  /// Forgets the gathered text without handing it over (a buffer used as a scratch arena).
  void discard() { pos_ = 0; }
  /// Hands the text over if enough has gathered (call between records only).
  void maybe_flush() {
    if (pos_ >= kChunk) flush();
  }
  void flush() {
    if (pos_ > 0) write_(std::string_view(data_.get(), pos_));
    pos_ = 0;
  }

 private:
  static constexpr size_t kChunk = 64 * 1024;
  static constexpr size_t kInitial = 2 * kChunk;

  // Most text put here is a few to a few dozen bytes (names, numbers, addresses). A
  // memcpy of variable length compiles to a library call or `rep movs`, whose start-up
  // cost dwarfs such a copy; fixed-size pieces that overlap at the end compile to plain
  // register moves and never touch a byte outside [src, src + n).
  static void copy_short(char* dst, const char* src, size_t n) {
    if (n >= 16) {
      for (size_t i = 0; i + 16 < n; i += 16)
        std::memcpy(dst + i, src + i, 16);
      std::memcpy(dst + n - 16, src + n - 16, 16);
    } else if (n >= 8) {
      uint64_t head, tail;
      std::memcpy(&head, src, 8);
      std::memcpy(&tail, src + n - 8, 8);
      std::memcpy(dst, &head, 8);
      std::memcpy(dst + n - 8, &tail, 8);
    } else if (n >= 4) {
      uint32_t head, tail;
      std::memcpy(&head, src, 4);
      std::memcpy(&tail, src + n - 4, 4);
      std::memcpy(dst, &head, 4);
      std::memcpy(dst + n - 4, &tail, 4);
    } else if (n > 0) {
      dst[0] = src[0];
      dst[n / 2] = src[n / 2];
      dst[n - 1] = src[n - 1];
    }
  }

  // Room for n more bytes; grows (never flushes) so marks taken within a record stay valid.
  char* reserve(size_t n) {
    if (pos_ + n > cap_) [[unlikely]] {
      size_t cap = cap_ * 2;
      while (cap < pos_ + n)
        cap *= 2;
      auto bigger = std::make_unique_for_overwrite<char[]>(cap);
      std::memcpy(bigger.get(), data_.get(), pos_);
      data_ = std::move(bigger);
      cap_ = cap;
    }
    return data_.get() + pos_;
  }

  WriteFn write_;
  std::unique_ptr<char[]> data_;
  size_t cap_;
  size_t pos_ = 0;
};

}  // namespace tcpinspect::core
