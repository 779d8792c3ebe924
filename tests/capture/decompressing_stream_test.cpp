// SPDX-License-Identifier: MIT
// The decompressing stream under libpcap: gzip, xz and zstd data (made here by the same
// libraries' encoders) come out byte for byte, concatenated members are one stream, and
// damaged or cut-short data always ends in a read error with a reason, never in a clean
// end that would pass a shortened capture off as whole.
#include "capture/decompressing_stream.hpp"

#include <gtest/gtest.h>
#include <lzma.h>
#include <zlib.h>
#include <zstd.h>

#include <cstdio>
#include <memory>
#include <string>
#include <vector>

#include "capture/error.hpp"

namespace tcpinspect::capture {
namespace {

using Bytes = std::vector<uint8_t>;

// Data like a capture's: repetitive headers, varying payloads.
Bytes sample_data(size_t size, uint32_t seed) {
  Bytes out(size);
  uint32_t x = seed;
  for (size_t i = 0; i < size; ++i) {
    x = x * 1103515245u + 12345u;
    out[i] = (i % 64) < 40 ? static_cast<uint8_t>(i % 64) : static_cast<uint8_t>(x >> 16);
  }
  return out;
}

Bytes compress(Compression kind, const Bytes& in) {
  Bytes out;
  switch (kind) {
    case Compression::Gzip: {
      z_stream z{};
      EXPECT_EQ(deflateInit2(&z, 6, Z_DEFLATED, 16 + MAX_WBITS, 8, Z_DEFAULT_STRATEGY), Z_OK);
      out.resize(deflateBound(&z, in.size()) + 64);
      z.next_in = const_cast<Bytef*>(in.data());
      z.avail_in = static_cast<uInt>(in.size());
      z.next_out = out.data();
      z.avail_out = static_cast<uInt>(out.size());
      EXPECT_EQ(deflate(&z, Z_FINISH), Z_STREAM_END);
      out.resize(z.total_out);
      deflateEnd(&z);
      break;
    }
    case Compression::Xz: {
      out.resize(lzma_stream_buffer_bound(in.size()));
      size_t pos = 0;
      EXPECT_EQ(lzma_easy_buffer_encode(0, LZMA_CHECK_CRC64, nullptr, in.data(), in.size(),
                                        out.data(), &pos, out.size()),
                LZMA_OK);
      out.resize(pos);
      break;
    }
    case Compression::Zstd: {
      out.resize(ZSTD_compressBound(in.size()));
      const size_t n = ZSTD_compress(out.data(), out.size(), in.data(), in.size(), 3);
      EXPECT_FALSE(ZSTD_isError(n));
      out.resize(n);
      break;
    }
    case Compression::None:
      out = in;
      break;
  }
  return out;
}

struct Result {
  bool opened = false;
  std::string open_error;
  Bytes head;
  Bytes data;
  bool read_error = false;  // ended with ferror (not a clean end of file)
  std::string error;        // the state's reason
  uint64_t compressed_read = 0;
};

// Decompresses `compressed` as replay does: through open_decompressing and stdio freads.
Result decompress(Compression kind, const Bytes& compressed) {
  Result r;
  FILE* in = ::fmemopen(const_cast<uint8_t*>(compressed.data()), compressed.size(), "rb");
  EXPECT_NE(in, nullptr);
  auto state = std::make_shared<DecompressionState>();
  uint8_t head[4] = {};
  size_t head_len = 0;
  FILE* stream = nullptr;
  try {
    stream = open_decompressing(in, kind, state, head, head_len);
  } catch (const CaptureError& e) {
    r.open_error = e.what();
    return r;
  }
  r.opened = true;
  r.head.assign(head, head + head_len);
  uint8_t buf[1000];  // odd sizes, as libpcap's record reads are
  for (;;) {
    const size_t n = std::fread(buf, 1, sizeof buf, stream);
    r.data.insert(r.data.end(), buf, buf + n);
    if (n < sizeof buf) break;
  }
  r.read_error = std::ferror(stream) != 0;
  r.error = state->error;
  r.compressed_read = state->compressed_read.load();
  std::fclose(stream);
  return r;
}

class EachCompression : public ::testing::TestWithParam<Compression> {};

TEST_P(EachCompression, DecompressesByteForByte) {
  const Bytes original = sample_data(3 << 20, 1);  // several zstd blocks and xz chunks
  const Bytes compressed = compress(GetParam(), original);
  ASSERT_EQ(compression_of(compressed), GetParam());
  const Result r = decompress(GetParam(), compressed);
  ASSERT_TRUE(r.opened) << r.open_error;
  EXPECT_EQ(r.head, Bytes(original.begin(), original.begin() + 4));
  EXPECT_FALSE(r.read_error) << r.error;
  EXPECT_EQ(r.error, "");
  EXPECT_TRUE(r.data == original) << "got " << r.data.size() << " of " << original.size();
  EXPECT_EQ(r.compressed_read, compressed.size());
}

TEST_P(EachCompression, ConcatenatedMembersAreOneStream) {
  const Bytes a = sample_data(70'000, 2), b = sample_data(50'001, 3);
  Bytes both = compress(GetParam(), a);
  const Bytes second = compress(GetParam(), b);
  both.insert(both.end(), second.begin(), second.end());
  const Result r = decompress(GetParam(), both);
  ASSERT_TRUE(r.opened) << r.open_error;
  Bytes want = a;
  want.insert(want.end(), b.begin(), b.end());
  EXPECT_FALSE(r.read_error) << r.error;
  EXPECT_TRUE(r.data == want) << "got " << r.data.size() << " of " << want.size();
}

// Every cut of the compressed bytes: the decompressed bytes handed over are a prefix of the
// original, and the stream ends in an error naming the truncation (or the open fails) -
// never a clean end.
TEST_P(EachCompression, EveryTruncationIsAnErrorNotAnEnd) {
  const Bytes original = sample_data(20'000, 4);
  const Bytes compressed = compress(GetParam(), original);
  const std::string name = compression_name(GetParam());
  for (size_t cut = 1; cut < compressed.size(); ++cut) {
    const Bytes part(compressed.begin(), compressed.begin() + static_cast<std::ptrdiff_t>(cut));
    const Result r = decompress(GetParam(), part);
    if (!r.opened) {
      EXPECT_NE(r.open_error, "") << "cut " << cut;
      continue;
    }
    ASSERT_TRUE(r.read_error) << name << " cut at " << cut << " of " << compressed.size()
                              << " ended cleanly after " << r.data.size() << " bytes";
    EXPECT_TRUE(r.error ==
                    "truncated " + name + " data: the file ends inside a compressed stream" ||
                r.error.rfind("corrupt " + name + " data", 0) == 0)
        << "cut " << cut << ": " << r.error;
    ASSERT_LE(r.data.size(), original.size());
    ASSERT_TRUE(std::equal(r.data.begin(), r.data.end(), original.begin())) << "cut " << cut;
  }
}

INSTANTIATE_TEST_SUITE_P(Decompressors, EachCompression,
                         ::testing::Values(Compression::Gzip, Compression::Xz, Compression::Zstd),
                         [](const auto& info) {
                           return std::string(compression_name(info.param));
                         });

TEST(Decompression, CorruptGzipIsAnErrorWithZlibsReason) {
  const Bytes original = sample_data(200'000, 5);
  Bytes compressed = compress(Compression::Gzip, original);
  for (size_t i = compressed.size() / 2; i < compressed.size() / 2 + 16; ++i)
    compressed[i] ^= 0x5a;
  const Result r = decompress(Compression::Gzip, compressed);
  ASSERT_TRUE(r.opened) << r.open_error;
  EXPECT_TRUE(r.read_error);
  EXPECT_EQ(r.error.rfind("corrupt gzip data (zlib: ", 0), 0u) << r.error;
  EXPECT_LT(r.data.size(), original.size() + 1);
}

TEST(Decompression, DamagedFromTheStartFailsTheOpen) {
  const Bytes bad = {0x1f, 0x8b, 0x08, 0x00, 0, 0, 0, 0, 0, 3, 0xff, 0xff, 0xff, 0xff, 0xff};
  const Result r = decompress(Compression::Gzip, bad);
  EXPECT_FALSE(r.opened);
  EXPECT_EQ(r.open_error.rfind("corrupt gzip data (zlib: ", 0), 0u) << r.open_error;
}

TEST(Decompression, MagicBytesTellTheCompression) {
  EXPECT_EQ(compression_of(Bytes{0x1f, 0x8b, 8, 0}), Compression::Gzip);
  EXPECT_EQ(compression_of(Bytes{0xfd, '7', 'z', 'X', 'Z', 0}), Compression::Xz);
  EXPECT_EQ(compression_of(Bytes{0x28, 0xb5, 0x2f, 0xfd}), Compression::Zstd);
  EXPECT_EQ(compression_of(Bytes{0xd4, 0xc3, 0xb2, 0xa1}), Compression::None);  // pcap
  EXPECT_EQ(compression_of(Bytes{0x0a, 0x0d, 0x0d, 0x0a}), Compression::None);  // pcapng
  EXPECT_EQ(compression_of(Bytes{0x28, 0xb5, 0x2f}), Compression::None);        // too short
  EXPECT_EQ(compression_of(Bytes{}), Compression::None);
}

}  // namespace
}  // namespace tcpinspect::capture
