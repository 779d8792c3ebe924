// SPDX-License-Identifier: MIT
#pragma once
#include <cstddef>
#include <string>

#include "core/wire/packet.hpp"

namespace tcpinspect::core {

/// Longest text format_ip() writes: a full IPv6 address (39) plus brackets and ":65535".
inline constexpr size_t kMaxEndpointText = 48;

/// Writes the address as text (IPv4 dotted quad; IPv6 per RFC 5952: lower case, longest run
/// of two or more zero groups as "::"). Returns the number of chars written (no NUL).
/// `out` must hold kMaxEndpointText bytes.
size_t format_ip(const IpAddress& addr, char* out);
/// "ip:port", with IPv6 as "[addr]:port".
size_t format_endpoint(const IpAddress& addr, uint16_t port, char* out);

std::string ip_to_string(const IpAddress& addr);
std::string endpoint_to_string(const IpAddress& addr, uint16_t port);

}  // namespace tcpinspect::core
