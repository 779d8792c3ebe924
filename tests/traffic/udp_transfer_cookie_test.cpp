// SPDX-License-Identifier: MIT
// The receiver's transfer cookie: HMAC-SHA-256 against RFC 4231's vectors, and a cookie
// that depends on every input and on the secret.
#include <gtest/gtest.h>

#include <string_view>
#include <vector>

#include "traffic/udp_transfer_cookie.hpp"

namespace tcpinspect::traffic::udp {
namespace {

std::vector<uint8_t> bytes(std::string_view s) {
  return {s.begin(), s.end()};
}

TEST(UdpTransferCookie, HmacSha256Rfc4231Vectors) {
  // Test case 1: 20-byte key of 0x0b, "Hi There".
  EXPECT_EQ(to_hex(hmac_sha256(std::vector<uint8_t>(20, 0x0b), bytes("Hi There"))),
            "b0344c61d8db38535ca8afceaf0bf12b881dc200c9833da726e9376c2e32cff7");
  // Test case 2: key "Jefe".
  EXPECT_EQ(to_hex(hmac_sha256(bytes("Jefe"), bytes("what do ya want for nothing?"))),
            "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843");
  // Test case 6: a 131-byte key (longer than a block, hashed first).
  EXPECT_EQ(to_hex(hmac_sha256(std::vector<uint8_t>(131, 0xaa),
                               bytes("Test Using Larger Than Block-Size Key - Hash Key First"))),
            "60e431591ee0b67f0d8a26aacbf5b77f8e0bc6213728c5140546040f0ee37f54");
}

TEST(UdpTransferCookie, DependsOnEveryInputAndTheSecret) {
  CookieIssuer::Secret s{};
  s[0] = 1;
  const CookieIssuer a(s);
  std::array<uint8_t, 16> addr{127, 0, 0, 1};
  const uint32_t base = a.cookie(2, addr, 0x3930, 77);
  EXPECT_EQ(a.cookie(2, addr, 0x3930, 77), base);  // stateless: the same every time
  EXPECT_NE(a.cookie(10, addr, 0x3930, 77), base);
  EXPECT_NE(a.cookie(2, addr, 0x3931, 77), base);
  EXPECT_NE(a.cookie(2, addr, 0x3930, 78), base);
  std::array<uint8_t, 16> other{127, 0, 0, 2};
  EXPECT_NE(a.cookie(2, other, 0x3930, 77), base);
  s[31] = 1;
  EXPECT_NE(CookieIssuer(s).cookie(2, addr, 0x3930, 77), base);
  // Two processes draw different secrets from getrandom().
  EXPECT_NE(CookieIssuer().cookie(2, addr, 0x3930, 77), CookieIssuer().cookie(2, addr, 0x3930, 77));
}

}  // namespace
}  // namespace tcpinspect::traffic::udp
