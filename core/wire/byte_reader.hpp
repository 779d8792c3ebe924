// SPDX-License-Identifier: MIT
#pragma once
#include <cstddef>
#include <cstdint>
#include <span>

namespace tcpinspect::core {

/// A checked forward cursor over a byte span: every read and skip checks the remaining
/// length first and, on failure, returns false and leaves the cursor where it was.
///
///   data_: [ consumed ........ | remaining ........ ]
///                              ^ pos_
///
/// Multi-byte reads are big-endian (network order) unless the name says otherwise. The
/// reader never owns memory and never allocates; it is cheap enough for the per-packet path.
class ByteReader {
 public:
  explicit constexpr ByteReader(std::span<const uint8_t> data) : data_(data) {}

  constexpr size_t position() const { return pos_; }
  constexpr size_t remaining() const { return data_.size() - pos_; }
  constexpr bool has(size_t n) const { return n <= remaining(); }
  /// The bytes not consumed yet.
  constexpr std::span<const uint8_t> rest() const { return data_.subspan(pos_); }

  constexpr bool read_u8(uint8_t& v) {
    if (!has(1)) return false;
    v = data_[pos_++];
    return true;
  }
  constexpr bool read_u16be(uint16_t& v) {
    if (!has(2)) return false;
    v = static_cast<uint16_t>((data_[pos_] << 8) | data_[pos_ + 1]);
    pos_ += 2;
    return true;
  }
  constexpr bool read_u32be(uint32_t& v) {
    if (!has(4)) return false;
    v = load_u32be(pos_);
    pos_ += 4;
    return true;
  }
  /// Little-endian, for the few headers written in the writer's host order (BSD NULL).
  constexpr bool read_u32le(uint32_t& v) {
    if (!has(4)) return false;
    v = static_cast<uint32_t>(data_[pos_]) | (static_cast<uint32_t>(data_[pos_ + 1]) << 8) |
        (static_cast<uint32_t>(data_[pos_ + 2]) << 16) |
        (static_cast<uint32_t>(data_[pos_ + 3]) << 24);
    pos_ += 4;
    return true;
  }
  /// Copies out.size() bytes.
  constexpr bool read_bytes(std::span<uint8_t> out) {
    if (!has(out.size())) return false;
    for (size_t i = 0; i < out.size(); ++i)
      out[i] = data_[pos_ + i];
    pos_ += out.size();
    return true;
  }
  constexpr bool skip(size_t n) {
    if (!has(n)) return false;
    pos_ += n;
    return true;
  }
  /// Takes the next n bytes as a view (no copy) and moves past them.
  constexpr bool subspan(size_t n, std::span<const uint8_t>& out) {
    if (!has(n)) return false;
    out = data_.subspan(pos_, n);
    pos_ += n;
    return true;
  }
  /// Reads without consuming, `offset` bytes ahead of the cursor.
  constexpr bool peek_u8(size_t offset, uint8_t& v) const {
    if (offset >= remaining()) return false;
    v = data_[pos_ + offset];
    return true;
  }

 private:
  constexpr uint32_t load_u32be(size_t at) const {
    return (static_cast<uint32_t>(data_[at]) << 24) | (static_cast<uint32_t>(data_[at + 1]) << 16) |
           (static_cast<uint32_t>(data_[at + 2]) << 8) | static_cast<uint32_t>(data_[at + 3]);
  }

  std::span<const uint8_t> data_;
  size_t pos_ = 0;
};

}  // namespace tcpinspect::core
