// SPDX-License-Identifier: MIT
#include "traffic/socket_address.hpp"

#include <arpa/inet.h>
#include <netinet/in.h>

#include <charconv>
#include <cstring>
#include <stdexcept>

namespace tcpinspect::traffic {

namespace {

[[noreturn]] void bad(std::string_view text, const char* why) {
  throw std::invalid_argument("bad address '" + std::string(text) + "': " + why);
}

bool is_v4_mapped(const in6_addr& a) {
  return IN6_IS_ADDR_V4MAPPED(&a);
}

}  // namespace

SocketAddress::SocketAddress(const sockaddr* sa, socklen_t len) {
  if (sa == nullptr) throw std::invalid_argument("null socket address");
  if (sa->sa_family == AF_INET && len >= static_cast<socklen_t>(sizeof(sockaddr_in))) {
    len_ = sizeof(sockaddr_in);
  } else if (sa->sa_family == AF_INET6 && len >= static_cast<socklen_t>(sizeof(sockaddr_in6))) {
    len_ = sizeof(sockaddr_in6);
  } else {
    throw std::invalid_argument("unsupported socket address family " +
                                std::to_string(sa->sa_family));
  }
  std::memcpy(&storage_, sa, len_);
}

uint16_t SocketAddress::port() const {
  if (family() == AF_INET) return ntohs(reinterpret_cast<const sockaddr_in*>(&storage_)->sin_port);
  if (family() == AF_INET6)
    return ntohs(reinterpret_cast<const sockaddr_in6*>(&storage_)->sin6_port);
  return 0;
}

void SocketAddress::set_port(uint16_t port) {
  if (family() == AF_INET) reinterpret_cast<sockaddr_in*>(&storage_)->sin_port = htons(port);
  if (family() == AF_INET6) reinterpret_cast<sockaddr_in6*>(&storage_)->sin6_port = htons(port);
}

bool SocketAddress::is_any() const {
  if (family() == AF_INET)
    return reinterpret_cast<const sockaddr_in*>(&storage_)->sin_addr.s_addr == htonl(INADDR_ANY);
  if (family() == AF_INET6) {
    const auto& a = reinterpret_cast<const sockaddr_in6*>(&storage_)->sin6_addr;
    return IN6_IS_ADDR_UNSPECIFIED(&a);
  }
  return false;
}

bool SocketAddress::is_loopback() const {
  if (family() == AF_INET) {
    const uint32_t a = ntohl(reinterpret_cast<const sockaddr_in*>(&storage_)->sin_addr.s_addr);
    return (a >> 24) == 127;
  }
  if (family() == AF_INET6) {
    const auto& a = reinterpret_cast<const sockaddr_in6*>(&storage_)->sin6_addr;
    return IN6_IS_ADDR_LOOPBACK(&a) || (is_v4_mapped(a) && a.s6_addr[12] == 127);
  }
  return false;
}

std::string SocketAddress::host_string() const {
  char buf[INET6_ADDRSTRLEN] = {};
  if (family() == AF_INET) {
    inet_ntop(AF_INET, &reinterpret_cast<const sockaddr_in*>(&storage_)->sin_addr, buf, sizeof buf);
  } else if (family() == AF_INET6) {
    const auto& a = reinterpret_cast<const sockaddr_in6*>(&storage_)->sin6_addr;
    if (is_v4_mapped(a)) {
      inet_ntop(AF_INET, &a.s6_addr[12], buf, sizeof buf);
    } else {
      inet_ntop(AF_INET6, &a, buf, sizeof buf);
    }
  } else {
    return "?";
  }
  return buf;
}

std::string SocketAddress::to_string() const {
  std::string host = host_string();
  const bool bracket = host.find(':') != std::string::npos;
  return (bracket ? "[" + host + "]" : host) + ":" + std::to_string(port());
}

namespace {

// `text` is what the user typed (for messages), `host` the part naming the address.
SocketAddress parse_ip_in(std::string_view text, std::string_view host, uint16_t port) {
  bool bracketed = false;
  if (!host.empty() && host.front() == '[') {
    if (host.size() < 2 || host.back() != ']') bad(text, "missing ']'");
    host = host.substr(1, host.size() - 2);
    bracketed = true;
  }
  if (host.empty()) bad(text, "empty host");
  // inet_pton needs a NUL-terminated string; bound it so huge input is rejected early.
  if (host.size() >= INET6_ADDRSTRLEN) bad(text, "host too long");
  const std::string h(host);
  sockaddr_storage ss{};
  if (!bracketed && (h == "localhost" || inet_pton(AF_INET, h.c_str(), &ss) == 1)) {
    sockaddr_in sin{};
    sin.sin_family = AF_INET;
    sin.sin_port = htons(port);
    sin.sin_addr.s_addr = h == "localhost" ? htonl(INADDR_LOOPBACK) : 0;
    if (h != "localhost") inet_pton(AF_INET, h.c_str(), &sin.sin_addr);
    return SocketAddress(reinterpret_cast<const sockaddr*>(&sin), sizeof sin);
  }
  sockaddr_in6 sin6{};
  if (inet_pton(AF_INET6, h.c_str(), &sin6.sin6_addr) == 1) {
    sin6.sin6_family = AF_INET6;
    sin6.sin6_port = htons(port);
    return SocketAddress(reinterpret_cast<const sockaddr*>(&sin6), sizeof sin6);
  }
  if (bracketed) bad(text, "not a numeric IPv6 address");
  bad(text, "not a numeric IPv4/IPv6 address (host names are not resolved)");
}

}  // namespace

SocketAddress parse_ip(std::string_view text, uint16_t port) {
  return parse_ip_in(text, text, port);
}

SocketAddress parse_host_port(std::string_view text) {
  size_t colon;
  if (!text.empty() && text.front() == '[') {
    const size_t close = text.find(']');
    if (close == std::string_view::npos) bad(text, "missing ']'");
    if (close + 1 >= text.size() || text[close + 1] != ':') bad(text, "expected ':PORT' after ']'");
    colon = close + 1;
  } else {
    colon = text.find(':');
    if (colon == std::string_view::npos) bad(text, "expected HOST:PORT");
    if (text.find(':', colon + 1) != std::string_view::npos)
      bad(text, "IPv6 addresses need brackets: [ADDR]:PORT");
  }
  const std::string_view port_text = text.substr(colon + 1);
  if (port_text.empty()) bad(text, "missing port");
  unsigned port = 0;
  const auto [end, ec] =
      std::from_chars(port_text.data(), port_text.data() + port_text.size(), port);
  if (ec != std::errc() || end != port_text.data() + port_text.size() || port > 65535)
    bad(text, "port must be a number 0-65535");
  return parse_ip_in(text, text.substr(0, colon), static_cast<uint16_t>(port));
}

}  // namespace tcpinspect::traffic
