// SPDX-License-Identifier: MIT
#pragma once
#include <charconv>
#include <cstdint>
#include <string>
#include <string_view>

#include "core/render.hpp"

namespace tcpinspect::core {

/// An append-only text buffer handed to the caller's WriteFn in large chunks, so
/// per-segment rendering costs no system call and no allocation once warmed up.
class OutBuffer {
 public:
  explicit OutBuffer(WriteFn write) : write_(std::move(write)) { buf_.reserve(kChunk + 4096); }
  ~OutBuffer() { flush(); }
  OutBuffer(const OutBuffer&) = delete;
  OutBuffer& operator=(const OutBuffer&) = delete;

  OutBuffer& put(std::string_view s) {
    buf_.append(s);
    return *this;
  }
  OutBuffer& put(char c) {
    buf_.push_back(c);
    return *this;
  }
  OutBuffer& put_uint(uint64_t v) {
    char tmp[24];
    buf_.append(tmp, std::to_chars(tmp, tmp + sizeof tmp, v).ptr);
    return *this;
  }
  OutBuffer& put_int(int64_t v) {
    char tmp[24];
    buf_.append(tmp, std::to_chars(tmp, tmp + sizeof tmp, v).ptr);
    return *this;
  }
  /// Nanoseconds as seconds with `decimals` digits (1..9), e.g. 0.000412.
  OutBuffer& put_seconds(int64_t ns, int decimals = 6) {
    if (ns < 0) {
      buf_.push_back('-');
      ns = -ns;
    }
    put_uint(static_cast<uint64_t>(ns / 1'000'000'000));
    buf_.push_back('.');
    char frac[9];
    int64_t rem = ns % 1'000'000'000;
    for (int i = 8; i >= 0; --i, rem /= 10)
      frac[i] = static_cast<char>('0' + rem % 10);
    buf_.append(frac, static_cast<size_t>(decimals));
    return *this;
  }
  /// Pads with spaces up to `width` characters since `mark` (a size() taken earlier);
  /// counts UTF-8 code points, not bytes.
  OutBuffer& pad_to(size_t mark, size_t width) {
    size_t cols = 0;
    for (size_t i = mark; i < buf_.size(); ++i)
      if ((static_cast<unsigned char>(buf_[i]) & 0xC0) != 0x80) ++cols;
    while (cols++ < width)
      buf_.push_back(' ');
    return *this;
  }
  size_t size() const { return buf_.size(); }
  /// Hands the text over if enough has gathered.
  void maybe_flush() {
    if (buf_.size() >= kChunk) flush();
  }
  void flush() {
    if (!buf_.empty()) write_(buf_);
    buf_.clear();
  }

 private:
  static constexpr size_t kChunk = 64 * 1024;
  WriteFn write_;
  std::string buf_;
};

}  // namespace tcpinspect::core
