// SPDX-License-Identifier: MIT
#include "traffic/udp_transfer_cookie.hpp"

#include <sys/random.h>

#include <cerrno>
#include <system_error>

namespace tcpinspect::traffic::udp {

CookieIssuer::CookieIssuer() {
  size_t got = 0;
  while (got < secret_.size()) {
    const ssize_t n = ::getrandom(secret_.data() + got, secret_.size() - got, 0);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) throw std::system_error(errno, std::generic_category(), "getrandom");
    got += static_cast<size_t>(n);
  }
}

uint32_t CookieIssuer::cookie(int family, std::span<const uint8_t, 16> address,
                              uint16_t port_network_order, uint32_t sender_id) const {
  std::array<uint8_t, 1 + 16 + 2 + 4> msg{};
  msg[0] = static_cast<uint8_t>(family);
  std::copy(address.begin(), address.end(), msg.begin() + 1);
  // The port as it sits in sockaddr (network order): its bytes, first to last.
  const auto* port = reinterpret_cast<const uint8_t*>(&port_network_order);
  msg[17] = port[0];
  msg[18] = port[1];
  for (size_t i = 0; i < 4; ++i)
    msg[19 + i] = static_cast<uint8_t>(sender_id >> (24 - 8 * i));
  const Sha256Digest mac = hmac_sha256(secret_, msg);
  return uint32_t{mac[0]} << 24 | uint32_t{mac[1]} << 16 | uint32_t{mac[2]} << 8 | mac[3];
}

}  // namespace tcpinspect::traffic::udp
