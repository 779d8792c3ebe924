// SPDX-License-Identifier: MIT
#pragma once
#include <sys/socket.h>

#include <cstdint>
#include <string>
#include <string_view>

namespace tcpinspect::traffic {

/// An IPv4 or IPv6 socket address (sockaddr_in / sockaddr_in6) ready for bind/connect.
/// Only numeric addresses are accepted (plus "localhost"): parsing never touches DNS, so a
/// typo cannot send traffic anywhere unexpected.
class SocketAddress {
 public:
  SocketAddress() = default;
  /// Copies a kernel-filled address (accept, recvfrom, getsockname). Throws
  /// std::invalid_argument for families other than AF_INET / AF_INET6.
  SocketAddress(const sockaddr* sa, socklen_t len);

  int family() const { return storage_.ss_family; }
  uint16_t port() const;
  void set_port(uint16_t port);
  const sockaddr* data() const { return reinterpret_cast<const sockaddr*>(&storage_); }
  socklen_t size() const { return len_; }

  /// True for 0.0.0.0 and ::.
  bool is_any() const;
  /// True for 127.0.0.0/8, ::1 and ::ffff:127.0.0.0/104.
  bool is_loopback() const;

  /// The address alone: "127.0.0.1", "::1". IPv4-mapped IPv6 addresses (what a dual-stack
  /// socket reports for IPv4 peers) are shown as plain IPv4.
  std::string host_string() const;
  /// "127.0.0.1:7", "[::1]:7".
  std::string to_string() const;

 private:
  sockaddr_storage storage_{};
  socklen_t len_ = 0;
};

/// Parses an address without port: "127.0.0.1", "::1", "[::1]", "localhost" (127.0.0.1).
/// Throws std::invalid_argument with a one-line message naming the bad text.
SocketAddress parse_ip(std::string_view text, uint16_t port = 0);

/// Parses "HOST:PORT", "[V6]:PORT" (brackets required for IPv6), "localhost:PORT".
/// PORT is decimal 0..65535. Throws std::invalid_argument with a one-line message.
SocketAddress parse_host_port(std::string_view text);

}  // namespace tcpinspect::traffic
