// SPDX-License-Identifier: MIT
#pragma once
#include <array>
#include <cstdint>
#include <memory>
#include <span>
#include <string>

/// SHA-256 (FIPS 180-4) for the end-to-end check of a UDP transfer, and HMAC-SHA-256 for its
/// cookies: OpenSSL's libcrypto (EVP), which picks the CPU's SHA extensions by itself.
namespace tcpinspect::traffic::udp {

using Sha256Digest = std::array<uint8_t, 32>;

/// Incremental hasher: update() any number of times, then finish() once. Throws
/// std::runtime_error if libcrypto fails (it does not for SHA-256 short of running out of
/// memory).
class Sha256 {
 public:
  Sha256();
  ~Sha256();
  Sha256(Sha256&&) noexcept;
  Sha256& operator=(Sha256&&) noexcept;

  void update(std::span<const uint8_t> data);
  /// Returns the digest. The object must not be updated afterwards.
  Sha256Digest finish();

  static Sha256Digest hash(std::span<const uint8_t> data);

 private:
  struct Context;
  std::unique_ptr<Context> ctx_;
};

/// HMAC-SHA-256 (RFC 2104) of `message` under `key`.
Sha256Digest hmac_sha256(std::span<const uint8_t> key, std::span<const uint8_t> message);

/// Lower-case hex, as sha256sum prints it.
std::string to_hex(std::span<const uint8_t> bytes);

}  // namespace tcpinspect::traffic::udp
