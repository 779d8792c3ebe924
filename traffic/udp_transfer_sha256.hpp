// SPDX-License-Identifier: MIT
#pragma once
#include <array>
#include <cstdint>
#include <span>
#include <string>

/// SHA-256 (FIPS 180-4), used for the end-to-end check of a UDP transfer. Written here because
/// the project allows no crypto library; uses the x86 SHA extensions when the CPU has them.
namespace tcpinspect::traffic::udp {

using Sha256Digest = std::array<uint8_t, 32>;

/// Incremental hasher: update() any number of times, then finish() once.
class Sha256 {
 public:
  /// `allow_hardware=false` forces the portable code (tests compare both).
  explicit Sha256(bool allow_hardware = true);
  void update(std::span<const uint8_t> data);
  /// Pads, returns the digest. The object must not be updated afterwards.
  Sha256Digest finish();

  static Sha256Digest hash(std::span<const uint8_t> data);
  /// True when the CPU offers the SHA extensions this code can use.
  static bool hardware_available();

 private:
  void blocks(const uint8_t* p, size_t count);

  std::array<uint32_t, 8> state_;
  std::array<uint8_t, 64> buffer_{};
  size_t buffered_ = 0;
  uint64_t total_bytes_ = 0;
  bool hardware_;
};

/// Lower-case hex, as sha256sum prints it.
std::string to_hex(std::span<const uint8_t> bytes);

}  // namespace tcpinspect::traffic::udp
