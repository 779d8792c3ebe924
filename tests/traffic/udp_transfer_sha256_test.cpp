// SPDX-License-Identifier: MIT
// SHA-256 against the FIPS 180-4 / NIST example vectors, on both code paths.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "traffic/udp_transfer_sha256.hpp"

namespace tcpinspect::traffic::udp {
namespace {

std::string hash_hex(std::string_view s, bool hw, size_t piece = 0) {
  Sha256 h(hw);
  const auto* p = reinterpret_cast<const uint8_t*>(s.data());
  if (piece == 0) {
    h.update({p, s.size()});
  } else {
    for (size_t i = 0; i < s.size(); i += piece)
      h.update({p + i, std::min(piece, s.size() - i)});
  }
  return to_hex(h.finish());
}

class Sha256Vectors : public ::testing::TestWithParam<bool> {};

TEST_P(Sha256Vectors, Fips180Examples) {
  const bool hw = GetParam();
  if (hw && !Sha256::hardware_available()) GTEST_SKIP() << "CPU has no SHA extensions";
  EXPECT_EQ(hash_hex("", hw), "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
  EXPECT_EQ(hash_hex("abc", hw),
            "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
  // The 448-bit message: padding needs a second block.
  EXPECT_EQ(hash_hex("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq", hw),
            "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1");
  // The 896-bit message.
  EXPECT_EQ(hash_hex("abcdefghbcdefghicdefghijdefghijkefghijklfghijklmghijklmnhijklmno"
                     "ijklmnopjklmnopqklmnopqrlmnopqrsmnopqrstnopqrstu",
                     hw),
            "cf5b16a778af8380036ce59e7b0492370b249b11e8f07a51afac45037afee9d1");
  const std::string million(1'000'000, 'a');
  EXPECT_EQ(hash_hex(million, hw),
            "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0");
  // Same digest however the input is split across update() calls.
  for (size_t piece : {1u, 3u, 63u, 64u, 65u, 1000u}) {
    EXPECT_EQ(hash_hex(million, hw, piece),
              "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0")
        << piece;
  }
}

INSTANTIATE_TEST_SUITE_P(Paths, Sha256Vectors, ::testing::Values(false, true),
                         [](const auto& info) { return info.param ? "Hardware" : "Portable"; });

TEST(UdpTransferSha256, PaddingBoundariesAgreeBetweenPaths) {
  if (!Sha256::hardware_available()) GTEST_SKIP() << "CPU has no SHA extensions";
  std::string s;
  for (size_t len = 0; len < 200; ++len) {
    EXPECT_EQ(hash_hex(s, false), hash_hex(s, true)) << len;
    s.push_back(static_cast<char>('a' + len % 26));
  }
}

}  // namespace
}  // namespace tcpinspect::traffic::udp
