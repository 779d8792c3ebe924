// SPDX-License-Identifier: MIT
// SHA-1 comes from OpenSSL's libcrypto: a hash library, not I/O, so core/ may link it.
#include "core/wire/community_id.hpp"

#include <openssl/sha.h>

#include <algorithm>
#include <cstring>

namespace tcpinspect::core {
namespace {

size_t address_length(const IpAddress& a) {
  return a.version == 6 ? 16 : 4;
}

/// True when (a, a_port) is the endpoint the spec puts first: the smaller address, or with
/// equal addresses the smaller (or equal) port.
bool comes_first(const IpAddress& a, uint16_t a_port, const IpAddress& b, uint16_t b_port) {
  const int order = std::memcmp(a.bytes.data(), b.bytes.data(), address_length(a));
  return order < 0 || (order == 0 && a_port <= b_port);
}

void base64(const uint8_t* in, size_t len, char* out) {
  static constexpr char kAlphabet[] =
      "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
  size_t o = 0;
  for (size_t i = 0; i < len; i += 3) {
    const uint32_t b0 = in[i];
    const uint32_t b1 = i + 1 < len ? in[i + 1] : 0;
    const uint32_t b2 = i + 2 < len ? in[i + 2] : 0;
    const uint32_t v = (b0 << 16) | (b1 << 8) | b2;
    out[o++] = kAlphabet[(v >> 18) & 63];
    out[o++] = kAlphabet[(v >> 12) & 63];
    out[o++] = i + 1 < len ? kAlphabet[(v >> 6) & 63] : '=';
    out[o++] = i + 2 < len ? kAlphabet[v & 63] : '=';
  }
}

}  // namespace

std::array<char, kCommunityIdLength> community_id_v1(const IpAddress& a, uint16_t a_port,
                                                     const IpAddress& b, uint16_t b_port,
                                                     uint8_t proto, uint16_t seed) {
  const bool a_first = comes_first(a, a_port, b, b_port);
  const IpAddress& first = a_first ? a : b;
  const IpAddress& second = a_first ? b : a;
  const uint16_t first_port = a_first ? a_port : b_port;
  const uint16_t second_port = a_first ? b_port : a_port;
  const size_t n = address_length(a);

  // seed(2) + 2 addresses + proto(1) + pad(1) + 2 ports, all in network byte order.
  std::array<uint8_t, 2 + 16 + 16 + 1 + 1 + 2 + 2> input{};
  size_t len = 0;
  input[len++] = static_cast<uint8_t>(seed >> 8);
  input[len++] = static_cast<uint8_t>(seed);
  len =
      static_cast<size_t>(std::copy_n(first.bytes.begin(), n, input.begin() + len) - input.begin());
  len = static_cast<size_t>(std::copy_n(second.bytes.begin(), n, input.begin() + len) -
                            input.begin());
  input[len++] = proto;
  input[len++] = 0;
  input[len++] = static_cast<uint8_t>(first_port >> 8);
  input[len++] = static_cast<uint8_t>(first_port);
  input[len++] = static_cast<uint8_t>(second_port >> 8);
  input[len++] = static_cast<uint8_t>(second_port);

  std::array<uint8_t, SHA_DIGEST_LENGTH> digest{};
  SHA1(input.data(), len, digest.data());

  std::array<char, kCommunityIdLength> id{};
  id[0] = '1';
  id[1] = ':';
  base64(digest.data(), digest.size(), id.data() + 2);
  return id;
}

std::string community_id_v1_string(const IpAddress& a, uint16_t a_port, const IpAddress& b,
                                   uint16_t b_port, uint8_t proto, uint16_t seed) {
  const auto id = community_id_v1(a, a_port, b, b_port, proto, seed);
  return std::string(id.data(), id.size());
}

}  // namespace tcpinspect::core
