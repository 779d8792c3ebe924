// SPDX-License-Identifier: MIT
// DecodingReader (read and decode on a second thread) must hand over exactly the frames a
// plain sequential read gives, decoded the same, in order: for regular pcap files (decoded
// in place, chunks reused behind the reader) and for streams (frames copied), including a
// file that ends in a broken record, and it must stop cleanly when the caller leaves early.
#include "capture/decoding_reader.hpp"

#include <gtest/gtest.h>
#include <unistd.h>

#include <cstdio>
#include <filesystem>
#include <memory>
#include <string>
#include <vector>

#include "capture/pcap_file_source.hpp"

namespace tcpinspect::capture {
namespace {

void put16be(std::vector<uint8_t>& v, size_t at, uint16_t x) {
  v[at] = static_cast<uint8_t>(x >> 8);
  v[at + 1] = static_cast<uint8_t>(x);
}
void append32le(std::string& s, uint32_t x) {
  for (int i = 0; i < 4; ++i)
    s += static_cast<char>(x >> (8 * i));
}

// A classic pcap (microseconds, Ethernet) of `frames` IPv4 TCP frames of varying sizes
// and four-tuples; returns the byte offset where each record starts.
std::vector<size_t> write_capture(const std::string& path, size_t frames) {
  std::string file;
  append32le(file, 0xa1b2c3d4);
  file += std::string("\x02\x00\x04\x00", 4);  // version 2.4
  append32le(file, 0);
  append32le(file, 0);
  append32le(file, 65535);
  append32le(file, 1);  // DLT_EN10MB
  std::vector<size_t> starts;
  uint32_t x = 7;
  for (size_t i = 0; i < frames; ++i) {
    x = x * 1103515245u + 12345u;
    const size_t payload = (x >> 8) % 1400;
    std::vector<uint8_t> f(14 + 20 + 20 + payload, 0);
    put16be(f, 12, 0x0800);
    f[14] = 0x45;
    put16be(f, 16, static_cast<uint16_t>(20 + 20 + payload));
    f[14 + 8] = 64;
    f[14 + 9] = 6;
    f[14 + 12] = 10, f[14 + 15] = static_cast<uint8_t>(1 + i % 7);
    f[14 + 16] = 10, f[14 + 19] = 200;
    put16be(f, 34, static_cast<uint16_t>(1024 + i % 5000));
    put16be(f, 36, 80);
    put16be(f, 38, static_cast<uint16_t>(i));
    f[34 + 12] = 5 << 4;
    f[34 + 13] = 0x10;  // ACK
    for (size_t b = 54; b < f.size(); ++b)
      f[b] = static_cast<uint8_t>(b * 31 + i);
    starts.push_back(file.size());
    append32le(file, static_cast<uint32_t>(1'700'000'000 + i / 1000));
    append32le(file, static_cast<uint32_t>(i % 1000) * 1000);
    append32le(file, static_cast<uint32_t>(f.size()));
    append32le(file, static_cast<uint32_t>(f.size()));
    file.append(reinterpret_cast<const char*>(f.data()), f.size());
  }
  FILE* out = std::fopen(path.c_str(), "wb");
  EXPECT_NE(out, nullptr);
  std::fwrite(file.data(), 1, file.size(), out);
  std::fclose(out);
  return starts;
}

struct Seen {
  uint64_t index;
  int64_t ts_ns;
  std::vector<uint8_t> bytes;
  core::DecodeResult result;
  uint16_t src_port;
  uint32_t payload_len;
  core::FlowKey key;
  uint64_t hash;
};

Seen seen_of(const core::DecodedFrame& d) {
  return Seen{d.frame.index,
              d.frame.ts_ns,
              std::vector<uint8_t>(d.frame.data.begin(), d.frame.data.end()),
              d.packet.result,
              d.packet.tcp.src_port,
              d.packet.payload_len,
              d.key,
              d.hash};
}

// The reference: one frame at a time, decoded on this thread.
std::vector<Seen> read_sequentially(PcapFileSource& source, std::string& error) {
  std::vector<Seen> out;
  core::Frame frame;
  for (;;) {
    const auto status = source.next(frame);
    if (status != PcapFileSource::ReadStatus::Frame) {
      error = status == PcapFileSource::ReadStatus::Error ? source.error_message() : "";
      return out;
    }
    core::DecodedFrame d;
    core::decode_frame(core::LinkType::Ethernet, frame, d);
    out.push_back(seen_of(d));
  }
}

std::vector<Seen> read_with_reader(PcapFileSource& source, std::string& error) {
  std::vector<Seen> out;
  DecodingReader reader(source, true);
  for (auto block = reader.next_block(); !block.empty(); block = reader.next_block())
    for (const auto& d : block)
      out.push_back(seen_of(d));
  error = reader.error();
  return out;
}

void expect_same(const std::vector<Seen>& got, const std::vector<Seen>& want) {
  ASSERT_EQ(got.size(), want.size());
  for (size_t i = 0; i < want.size(); ++i) {
    ASSERT_EQ(got[i].index, want[i].index) << i;
    ASSERT_EQ(got[i].ts_ns, want[i].ts_ns) << i;
    ASSERT_EQ(got[i].bytes, want[i].bytes) << i;
    ASSERT_EQ(got[i].result, want[i].result) << i;
    ASSERT_EQ(got[i].src_port, want[i].src_port) << i;
    ASSERT_EQ(got[i].payload_len, want[i].payload_len) << i;
    ASSERT_TRUE(got[i].key == want[i].key) << i;
    ASSERT_EQ(got[i].hash, want[i].hash) << i;
  }
}

class DecodingReaderTest : public ::testing::Test {
 protected:
  void SetUp() override {
    path_ = (std::filesystem::temp_directory_path() /
             ("decoding_reader_test_" + std::to_string(::getpid()) + ".pcap"))
                .string();
    // ~20 MB: more blocks than the ring holds and past the 16 MiB page-release step.
    starts_ = write_capture(path_, 28'000);
  }
  void TearDown() override { std::filesystem::remove(path_); }

  // The file read plainly (the reference) and through a DecodingReader over `source`.
  struct Both {
    std::vector<Seen> want, got;
    std::string want_error, got_error;
  };
  Both read_both(PcapFileSource& source) {
    Both b;
    PcapFileSource plain(path_);
    b.want = read_sequentially(plain, b.want_error);
    b.got = read_with_reader(source, b.got_error);
    return b;
  }

  std::string path_;
  std::vector<size_t> starts_;
};

TEST_F(DecodingReaderTest, ChunkedFileGivesTheSequentialFramesInOrder) {
  PcapFileSource source(path_);
  const Both b = read_both(source);
  ASSERT_EQ(b.want.size(), 28'000u);
  EXPECT_EQ(b.want.front().result, core::DecodeResult::Tcp);
  expect_same(b.got, b.want);
  EXPECT_EQ(b.got_error, "");
  EXPECT_EQ(b.want_error, "");
}

TEST_F(DecodingReaderTest, StreamFramesAreCopiedAndGiveTheSameFrames) {
  PcapFileSource stream(std::fopen(path_.c_str(), "rb"), "stream");
  const Both b = read_both(stream);
  ASSERT_EQ(b.want.size(), 28'000u);
  expect_same(b.got, b.want);
  EXPECT_EQ(b.got_error, "");
}

TEST_F(DecodingReaderTest, BrokenLastRecordEndsWithTheSameError) {
  // Cut the file inside record 20,001: 20,000 whole frames, then a truncated record.
  std::filesystem::resize_file(path_, starts_[20'000] + 16 + 10);
  PcapFileSource source(path_);
  const Both b = read_both(source);
  ASSERT_EQ(b.want.size(), 20'000u);
  expect_same(b.got, b.want);
  EXPECT_NE(b.want_error, "");
  EXPECT_EQ(b.got_error, b.want_error);
}

TEST_F(DecodingReaderTest, CallerLeavingEarlyStopsTheReader) {
  PcapFileSource source(path_);
  {
    DecodingReader reader(source, true);
    const auto block = reader.next_block();
    ASSERT_FALSE(block.empty());
    EXPECT_EQ(block.front().frame.index, 1u);
  }  // the destructor must return although the reader still has frames to read
  // The reader stopped where it was: a ring's worth ahead (8 blocks of 512 frames, plus the
  // one it may be filling), far from the file's end.
  EXPECT_GE(source.frames_read(), 512u);
  EXPECT_LE(source.frames_read(), 9u * 512u);
}

// Records of 256 KiB (the largest a source hands over): the ring is sized by bytes, so a
// block ends once it holds DecodingReader::kBlockBytes, read in place or copied. Without that, a
// regular file's blocks held 512 such frames each (8 x 512 x 256 KiB kept resident).
TEST(DecodingReaderBudget, BlocksOfLargeRecordsStayWithinTheByteBudget) {
  const std::string path = (std::filesystem::temp_directory_path() /
                            ("decoding_reader_budget_" + std::to_string(::getpid()) + ".pcap"))
                               .string();
  constexpr size_t kFrames = 40;
  constexpr uint32_t kFrameBytes = DecodingReader::kMaxFrameBytes;
  {
    std::string file;
    append32le(file, 0xa1b2c3d4);
    file += std::string("\x02\x00\x04\x00", 4);
    append32le(file, 0);
    append32le(file, 0);
    append32le(file, kFrameBytes);  // snaplen
    append32le(file, 1);            // DLT_EN10MB
    for (size_t i = 0; i < kFrames; ++i) {
      append32le(file, 1'700'000'000);
      append32le(file, static_cast<uint32_t>(i));
      append32le(file, kFrameBytes);
      append32le(file, kFrameBytes);
      file.append(kFrameBytes, static_cast<char>(i));
    }
    FILE* out = std::fopen(path.c_str(), "wb");
    ASSERT_NE(out, nullptr);
    std::fwrite(file.data(), 1, file.size(), out);
    std::fclose(out);
  }
  constexpr size_t kPerBlock = DecodingReader::kBlockBytes / kFrameBytes;  // 4
  static_assert(DecodingReader::kRingBytes <= 12u << 20, "the ring holds at most ~10 MiB");
  for (const bool mapped : {true, false}) {
    auto source = mapped
                      ? std::make_unique<PcapFileSource>(path)
                      : std::make_unique<PcapFileSource>(std::fopen(path.c_str(), "rb"), "stream");
    DecodingReader reader(*source, true);
    size_t frames = 0;
    size_t blocks = 0;
    for (auto block = reader.next_block(); !block.empty(); block = reader.next_block()) {
      size_t bytes = 0;
      for (const auto& d : block) {
        EXPECT_EQ(d.frame.index, frames + 1) << "mapped=" << mapped;
        EXPECT_EQ(d.frame.data.front(), static_cast<uint8_t>(frames)) << "mapped=" << mapped;
        bytes += d.frame.data.size();
        ++frames;
      }
      EXPECT_LE(bytes, DecodingReader::kBlockBytes - 1 + DecodingReader::kMaxFrameBytes)
          << "mapped=" << mapped << " block " << blocks;
      EXPECT_EQ(block.size(), kPerBlock) << "mapped=" << mapped << " block " << blocks;
      ++blocks;
    }
    EXPECT_EQ(frames, kFrames) << "mapped=" << mapped;
    EXPECT_EQ(blocks, kFrames / kPerBlock) << "mapped=" << mapped;
    EXPECT_EQ(reader.error(), "") << "mapped=" << mapped;
  }
  std::filesystem::remove(path);
}

}  // namespace
}  // namespace tcpinspect::capture
