// SPDX-License-Identifier: MIT
#include "core/wire/ip_format.hpp"

#include <charconv>

namespace tcpinspect::core {
namespace {

char* put_uint(char* p, unsigned v) {
  return std::to_chars(p, p + 8, v).ptr;
}

char* put_hex16(char* p, unsigned v) {
  return std::to_chars(p, p + 4, v, 16).ptr;
}

char* put_ipv6(const IpAddress& a, char* p) {
  uint16_t g[8];
  for (int i = 0; i < 8; ++i)
    g[i] = static_cast<uint16_t>(a.bytes[2 * i] << 8 | a.bytes[2 * i + 1]);
  // RFC 5952 4.2: compress the longest run of >= 2 zero groups, the first one on a tie.
  int best_start = -1, best_len = 0;
  for (int i = 0; i < 8;) {
    if (g[i] != 0) {
      ++i;
      continue;
    }
    int j = i;
    while (j < 8 && g[j] == 0)
      ++j;
    if (j - i > best_len && j - i >= 2) best_start = i, best_len = j - i;
    i = j;
  }
  for (int i = 0; i < 8; ++i) {
    if (i == best_start) {
      *p++ = ':';
      if (i == 0) *p++ = ':';
      i += best_len - 1;
      continue;
    }
    p = put_hex16(p, g[i]);
    if (i < 7) *p++ = ':';
  }
  return p;
}

}  // namespace

size_t format_ip(const IpAddress& addr, char* out) {
  char* p = out;
  if (addr.version == 4) {
    for (int i = 0; i < 4; ++i) {
      if (i) *p++ = '.';
      p = put_uint(p, addr.bytes[i]);
    }
  } else if (addr.version == 6) {
    p = put_ipv6(addr, p);
  } else {
    *p++ = '?';
  }
  return static_cast<size_t>(p - out);
}

size_t format_endpoint(const IpAddress& addr, uint16_t port, char* out) {
  char* p = out;
  if (addr.version == 6) *p++ = '[';
  p += format_ip(addr, p);
  if (addr.version == 6) *p++ = ']';
  *p++ = ':';
  p = put_uint(p, port);
  return static_cast<size_t>(p - out);
}

std::string ip_to_string(const IpAddress& addr) {
  char buf[kMaxEndpointText];
  return std::string(buf, format_ip(addr, buf));
}

std::string endpoint_to_string(const IpAddress& addr, uint16_t port) {
  char buf[kMaxEndpointText];
  return std::string(buf, format_endpoint(addr, port, buf));
}

}  // namespace tcpinspect::core
