// SPDX-License-Identifier: MIT
// core::checksum against the plain RFC 1071 reference, at every length and alignment.
#include <gtest/gtest.h>

#include "core/wire/checksum.hpp"
#include "tests/core/wire/decode_test_util.hpp"

namespace tcpinspect::core {
namespace {

TEST(DecodeChecksum, Rfc1071Example) {
  // RFC 1071 section 3: the bytes 00 01 f2 03 f4 f5 f6 f7 sum to ddf2, checksum 220d.
  const std::vector<uint8_t> bytes = {0x00, 0x01, 0xf2, 0x03, 0xf4, 0xf5, 0xf6, 0xf7};
  EXPECT_EQ(checksum::finish(checksum::add(0, bytes)), 0x220d);
  EXPECT_EQ(test_util::ref_checksum(bytes), 0x220d);
}

TEST(DecodeChecksum, MatchesReferenceAtEveryLengthAndAlignment) {
  std::vector<uint8_t> buf(300);
  uint32_t x = 12345;
  for (auto& b : buf) {
    x = x * 1103515245u + 12345u;  // fixed LCG: deterministic bytes
    b = static_cast<uint8_t>(x >> 16);
  }
  for (size_t start = 0; start < 8; ++start) {
    for (size_t len = 0; start + len <= buf.size(); ++len) {
      const std::vector<uint8_t> part(buf.begin() + start, buf.begin() + start + len);
      ASSERT_EQ(checksum::finish(checksum::add(0, {buf.data() + start, len})),
                test_util::ref_checksum(part))
          << "start " << start << " len " << len;
    }
  }
}

TEST(DecodeChecksum, LargestFramesOfAllOnesDoNotOverflow) {
  // 0xFF everywhere maximises every partial sum; 256 KiB + 37 is past libpcap's largest
  // record, with a tail that exercises every remainder path after the wide blocks.
  for (size_t len : {size_t{64}, size_t{65535}, size_t{262144 + 37}}) {
    const std::vector<uint8_t> ones(len, 0xFF);
    ASSERT_EQ(checksum::finish(checksum::add(0, ones)), test_util::ref_checksum(ones))
        << "len " << len;
  }
}

TEST(DecodeChecksum, PartsAddUpLikeTheWhole) {
  // An even-length first part (a pseudo-header) followed by an odd-length second part.
  const std::vector<uint8_t> whole = {0x45, 0x00, 0x12, 0x34, 0xff, 0xff, 0x80, 0x01, 0x7f};
  uint64_t sum = checksum::add(0, std::span(whole).first(4));
  sum = checksum::add(sum, std::span(whole).subspan(4));
  EXPECT_EQ(checksum::finish(sum), test_util::ref_checksum(whole));
  EXPECT_EQ(
      checksum::finish(checksum::add_word(checksum::add(0, std::span(whole).first(2)), 0x1234)),
      test_util::ref_checksum({0x45, 0x00, 0x12, 0x34}));
}

}  // namespace
}  // namespace tcpinspect::core
