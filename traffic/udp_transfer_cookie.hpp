// SPDX-License-Identifier: MIT
#pragma once
#include <array>
#include <cstdint>
#include <span>

#include "traffic/udp_transfer_sha256.hpp"

/// The receiver's transfer cookie (docs/udp-transfer.md, "Transfer cookie"): a 32-bit value
/// the receiver puts in its HELLO_ACK and the sender must echo as the transfer id of every
/// DATA and FIN. It proves the sender receives what is sent to its address, so a spoofed
/// source cannot make the receiver reserve anything. Computed statelessly (DTLS
/// HelloVerifyRequest, QUIC Retry): the same HELLO always gets the same cookie.
namespace tcpinspect::traffic::udp {

class CookieIssuer {
 public:
  using Secret = std::array<uint8_t, 32>;
  /// A fresh per-process secret from getrandom(); throws std::system_error if the kernel
  /// has no randomness to give.
  CookieIssuer();
  /// A fixed secret (tests).
  explicit CookieIssuer(const Secret& secret) : secret_(secret) {}

  /// The first 4 bytes (big-endian) of HMAC(secret, family | address (16 bytes) | port
  /// (network order, 2 bytes) | sender's transfer id (big-endian)).
  uint32_t cookie(int family, std::span<const uint8_t, 16> address, uint16_t port_network_order,
                  uint32_t sender_id) const;

 private:
  Secret secret_{};
};

}  // namespace tcpinspect::traffic::udp
