// SPDX-License-Identifier: MIT
#include "cmd/ip_parse.hpp"

#include <arpa/inet.h>

#include <cstring>
#include <stdexcept>
#include <string>

#include "core/lab/port_list.hpp"

namespace tcpinspect::cmd {

std::optional<core::IpAddress> parse_ip(std::string_view text) {
  if (text.size() >= 2 && text.front() == '[' && text.back() == ']')
    text = text.substr(1, text.size() - 2);
  if (text.empty() || text.size() > 64) return std::nullopt;
  const std::string s(text);
  core::IpAddress out;
  if (::inet_pton(AF_INET, s.c_str(), out.bytes.data()) == 1) {
    out.version = 4;
    return out;
  }
  if (::inet_pton(AF_INET6, s.c_str(), out.bytes.data()) == 1) {
    out.version = 6;
    return out;
  }
  return std::nullopt;
}

core::IpAddress parse_ip_or_throw(std::string_view text, std::string_view what) {
  auto ip = parse_ip(text);
  if (!ip)
    throw std::invalid_argument(std::string(what) + ": '" + std::string(text) +
                                "' is not an IPv4 or IPv6 address");
  return *ip;
}

IpPort parse_ip_port(std::string_view text, std::string_view what) {
  const size_t colon = text.rfind(':');
  const std::string quoted = std::string(what) + ": '" + std::string(text) + "'";
  if (colon == std::string_view::npos)
    throw std::invalid_argument(quoted + " needs a port (HOST:PORT, [V6]:PORT)");
  std::string_view host = text.substr(0, colon);
  if (host.find(':') != std::string_view::npos && host.front() != '[')
    throw std::invalid_argument(quoted + ": write an IPv6 endpoint as [ADDRESS]:PORT");
  IpPort e;
  e.ip = parse_ip_or_throw(host, what);
  e.port = core::parse_port(text.substr(colon + 1), what);
  return e;
}

}  // namespace tcpinspect::cmd
