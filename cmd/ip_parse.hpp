// SPDX-License-Identifier: MIT
#pragma once
#include <cstdint>
#include <optional>
#include <string_view>

#include "core/wire/packet.hpp"

/// Addresses as typed on the command line of craft, probe and reset. Parsing what the user
/// typed is cmd/'s job: an IP:PORT's port is read by core/lab's parse_port, which capture/,
/// below both, does not see.
namespace tcpinspect::cmd {

/// Parses a numeric IPv4 ("10.0.0.1") or IPv6 ("fd00::1", "[fd00::1]") address with
/// inet_pton: no name lookup. Returns nullopt for anything else (names, ranges, a port).
std::optional<core::IpAddress> parse_ip(std::string_view text);

/// parse_ip() or std::invalid_argument "<what>: 'text' is not an IPv4 or IPv6 address" (a
/// bad command-line value: the command line's exit code for bad usage).
core::IpAddress parse_ip_or_throw(std::string_view text, std::string_view what);

/// A numeric address and a port, as typed "10.0.0.1:80" or "[fd00::1]:80": no name, and
/// none of a TCP endpoint's state (that is core::Endpoint).
struct IpPort {
  core::IpAddress ip;
  uint16_t port = 0;
};

/// Splits "IP:PORT" or "[V6]:PORT" (a bare IPv6 address needs the brackets) into an
/// address and a port 1-65535. Throws std::invalid_argument (address) or core::ParseError
/// (port, itself an invalid_argument).
IpPort parse_ip_port(std::string_view text, std::string_view what);

}  // namespace tcpinspect::cmd
