// SPDX-License-Identifier: MIT
// MergedCapture: several inputs as one capture in timestamp order, stable for equal
// timestamps; frame numbers over all frames in merged order (also those the filter drops);
// each frame with its own input's link type; directories sorted as ls -v; failing inputs
// reported at the end without stopping the others.
#include "capture/merged_capture.hpp"

#include <gtest/gtest.h>

#include <unistd.h>
#include <fstream>

#include <cstdio>
#include <filesystem>
#include <string>
#include <vector>

#include "capture/decoding_reader.hpp"
#include "capture/error.hpp"

namespace tcpinspect::capture {
namespace {

namespace fs = std::filesystem;

struct Rec {
  uint32_t ts_us;  // microseconds after 1,700,000,000 s
  uint8_t tag;     // the frame's first byte: which frame it is
  size_t len = 60;
};

void append32le(std::string& s, uint32_t x) {
  for (int i = 0; i < 4; ++i)
    s += static_cast<char>(x >> (8 * i));
}

void write_pcap(const fs::path& path, uint32_t linktype, const std::vector<Rec>& recs) {
  std::string file;
  append32le(file, 0xa1b2c3d4);
  file += std::string("\x02\x00\x04\x00", 4);
  append32le(file, 0);
  append32le(file, 0);
  append32le(file, 65535);
  append32le(file, linktype);
  for (const Rec& r : recs) {
    append32le(file, 1'700'000'000 + r.ts_us / 1'000'000);
    append32le(file, r.ts_us % 1'000'000);
    append32le(file, static_cast<uint32_t>(r.len));
    append32le(file, static_cast<uint32_t>(r.len));
    std::string bytes(r.len, '\0');
    bytes[0] = static_cast<char>(r.tag);
    file += bytes;
  }
  FILE* out = std::fopen(path.c_str(), "wb");
  ASSERT_NE(out, nullptr);
  std::fwrite(file.data(), 1, file.size(), out);
  std::fclose(out);
}

struct Got {
  uint8_t tag;
  uint64_t index;
  core::LinkType link;
};

std::vector<Got> read_all(MergedCapture& m, FrameSource::ReadStatus& last) {
  std::vector<Got> out;
  core::Frame f;
  while ((last = m.next(f)) == FrameSource::ReadStatus::Frame)
    out.push_back({f.data[0], f.index, m.link()});
  return out;
}

std::string tags(const std::vector<Got>& got) {
  std::string s;
  for (const Got& g : got)
    s += static_cast<char>(g.tag);
  return s;
}

class MergedCaptureTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::temp_directory_path() / ("merged_capture_test_" + std::to_string(::getpid()));
    fs::remove_all(dir_);
    fs::create_directories(dir_);
  }
  void TearDown() override { fs::remove_all(dir_); }
  std::string path(const std::string& name) const { return (dir_ / name).string(); }
  fs::path dir_;
};

TEST_F(MergedCaptureTest, TimestampOrderStableOnTiesWithEachFramesLinkType) {
  write_pcap(path("a"), 1, {{1, 'a'}, {3, 'b'}, {3, 'c'}, {5, 'd'}});  // Ethernet
  write_pcap(path("b"), 101, {{2, 'E'}, {3, 'F'}, {4, 'G'}});          // raw IP
  MergedCapture m({path("a"), path("b")});
  FrameSource::ReadStatus last{};
  const auto got = read_all(m, last);
  EXPECT_EQ(last, FrameSource::ReadStatus::End);
  // At 3 µs both inputs have frames: the first input's come first, in their own order.
  EXPECT_EQ(tags(got), "aEbcFGd");
  for (size_t i = 0; i < got.size(); ++i) {
    EXPECT_EQ(got[i].index, i + 1);
    EXPECT_EQ(got[i].link, got[i].tag >= 'a' ? core::LinkType::Ethernet : core::LinkType::Raw)
        << got[i].tag;
  }
  EXPECT_FALSE(m.hold_frames());  // merged frames are copied by DecodingReader
  const auto progress = m.progress();
  EXPECT_EQ(progress.size, fs::file_size(path("a")) + fs::file_size(path("b")));
  EXPECT_EQ(progress.position, progress.size);
}

TEST_F(MergedCaptureTest, AFileWhoseTimeGoesBackIsMergedByItsHeadsAsMergecapDoes) {
  write_pcap(path("a"), 1, {{5, 'a'}, {1, 'b'}});
  write_pcap(path("b"), 1, {{3, 'C'}});
  MergedCapture m({path("a"), path("b")});
  FrameSource::ReadStatus last{};
  EXPECT_EQ(tags(read_all(m, last)), "Cab");
}

TEST_F(MergedCaptureTest, FilteredFramesKeepTheirNumbersAndTheLimitCountsWantedFrames) {
  write_pcap(path("a"), 1, {{1, 'a', 100}, {3, 'b', 60}, {5, 'c', 100}});
  write_pcap(path("b"), 1, {{2, 'D', 60}, {4, 'E', 100}, {6, 'F', 100}});
  {
    MergedCapture m({path("a"), path("b")});
    m.set_filter("greater 99");
    FrameSource::ReadStatus last{};
    const auto got = read_all(m, last);
    ASSERT_EQ(tags(got), "aEcF");
    EXPECT_EQ(got[0].index, 1u);
    EXPECT_EQ(got[1].index, 4u);
    EXPECT_EQ(got[2].index, 5u);
    EXPECT_EQ(got[3].index, 6u);
  }
  MergedCapture m({path("a"), path("b")});
  m.set_filter("greater 99");
  m.set_limit(2);
  FrameSource::ReadStatus last{};
  EXPECT_EQ(tags(read_all(m, last)), "aE");
  EXPECT_EQ(last, FrameSource::ReadStatus::End);
}

TEST_F(MergedCaptureTest, SingleInputIsReadAsItIsWithItsLimit) {
  write_pcap(path("a"), 1, {{1, 'a'}, {2, 'b'}, {3, 'c'}});
  MergedCapture m({path("a")});
  EXPECT_TRUE(m.hold_frames());  // the chunked fast path
  m.set_limit(2);
  FrameSource::ReadStatus last{};
  EXPECT_EQ(tags(read_all(m, last)), "ab");
  EXPECT_EQ(last, FrameSource::ReadStatus::End);
}

TEST_F(MergedCaptureTest, FailingInputsAreReportedAfterTheOthersAreRead) {
  write_pcap(path("good"), 1, {{1, 'a'}, {2, 'b'}});
  {
    FILE* f = std::fopen(path("notes.txt").c_str(), "w");
    std::fputs("not a capture\n", f);
    std::fclose(f);
  }
  // A capture cut inside its second record: its first frame is still merged in.
  write_pcap(path("cut"), 1, {{1, 'X'}, {3, 'Y'}});
  fs::resize_file(path("cut"), 24 + 16 + 60 + 16 + 10);
  MergedCapture m({path("good"), path("missing"), path("notes.txt"), path("cut")});
  FrameSource::ReadStatus last{};
  EXPECT_EQ(tags(read_all(m, last)), "aXb");
  ASSERT_EQ(last, FrameSource::ReadStatus::Error);
  EXPECT_EQ(m.error_message(),
            path("missing") + ": No such file or directory; " + path("notes.txt") +
                ": not a pcap or pcapng capture file; " + path("cut") +
                ": frame 2 at byte offset 100: truncated record (10 of 60 bytes)");
}

TEST_F(MergedCaptureTest, NoReadableInputThrowsEveryReason) {
  try {
    MergedCapture m({path("missing"), path("gone")});
    FAIL() << "opened";
  } catch (const CaptureError& e) {
    EXPECT_EQ(std::string(e.what()), path("missing") + ": No such file or directory; " +
                                         path("gone") + ": No such file or directory");
  }
}

TEST_F(MergedCaptureTest, UnsupportedLinkTypeIsSetAside) {
  write_pcap(path("wifi"), 105, {{1, 'w'}});
  write_pcap(path("eth"), 1, {{2, 'e'}});
  MergedCapture m({path("wifi"), path("eth")});
  FrameSource::ReadStatus last{};
  EXPECT_EQ(tags(read_all(m, last)), "e");
  EXPECT_EQ(last, FrameSource::ReadStatus::Error);
  EXPECT_EQ(m.error_message(),
            path("wifi") +
                ": unsupported link type DLT_IEEE802_11 (tcpinspect reads Ethernet, Linux cooked "
                "v1/v2, raw IP and BSD loopback)");
}

// tcpdump -C names its files dump, dump1, dump2, ..., dump10: with equal timestamps only the
// order of the files decides, and it must be by number, not dump10 before dump2.
TEST_F(MergedCaptureTest, DirectoryIsItsVisibleFilesSortedAsLsV) {
  const fs::path sub = dir_ / "rotated";
  fs::create_directories(sub / "nested");
  const std::vector<std::pair<std::string, uint8_t>> files = {
      {"dump", 'a'}, {"dump1", 'b'}, {"dump2", 'c'}, {"dump10", 'd'}, {"dump11", 'e'}};
  for (const auto& [name, tag] : files)
    write_pcap(sub / name, 1, {{7, tag}});
  write_pcap(sub / ".hidden", 1, {{1, 'h'}});
  write_pcap(sub / "nested" / "inner", 1, {{1, 'n'}});
  MergedCapture m({sub.string()});
  FrameSource::ReadStatus last{};
  EXPECT_EQ(tags(read_all(m, last)), "abcde");
  EXPECT_EQ(last, FrameSource::ReadStatus::End);
  ASSERT_EQ(m.files().size(), 5u);
  EXPECT_EQ(m.files()[3], (sub / "dump10").string());
}

TEST_F(MergedCaptureTest, FilesOfADirectoryThatAreNotCapturesAreSkipped) {
  const fs::path sub = dir_ / "mixed";
  fs::create_directories(sub);
  write_pcap(sub / "a.pcap", 1, {{7, 'a'}});
  { std::ofstream(sub / "README.md") << "# captures\n"; }
  { std::ofstream(sub / "notes.txt") << "notes, not packets"; }
  MergedCapture m({sub.string()});
  FrameSource::ReadStatus last{};
  EXPECT_EQ(tags(read_all(m, last)), "a");
  ASSERT_EQ(m.files().size(), 1u);
  ASSERT_EQ(m.skipped().size(), 2u);
  EXPECT_TRUE(m.skipped()[0].ends_with("README.md") || m.skipped()[1].ends_with("README.md"));
}

TEST_F(MergedCaptureTest, EmptyDirectoryIsAnError) {
  fs::create_directories(dir_ / "empty");
  try {
    MergedCapture m({(dir_ / "empty").string()});
    FAIL() << "opened";
  } catch (const CaptureError& e) {
    EXPECT_EQ(std::string(e.what()),
              (dir_ / "empty").string() + ": empty directory, no capture files in it");
  }
}

// Through DecodingReader (two threads): each frame decoded for its own link type.
TEST_F(MergedCaptureTest, DecodingReaderDecodesEachFrameForItsLinkType) {
  // The same IPv4/TCP packet behind an Ethernet header in one file, raw in the other.
  std::vector<uint8_t> ip(40, 0);
  ip[0] = 0x45, ip[3] = 40, ip[8] = 64, ip[9] = 6;
  ip[12] = 10, ip[15] = 1, ip[16] = 10, ip[19] = 2;
  ip[20] = 0x30, ip[21] = 0x39;  // source port 12345
  ip[22] = 0, ip[23] = 80;
  ip[32] = 5 << 4, ip[33] = 0x02;  // SYN
  std::vector<uint8_t> eth(14, 0);
  eth[12] = 0x08;
  eth.insert(eth.end(), ip.begin(), ip.end());
  auto write = [&](const std::string& name, uint32_t link, const std::vector<uint8_t>& frame,
                   uint32_t ts) {
    std::string file;
    append32le(file, 0xa1b2c3d4);
    file += std::string("\x02\x00\x04\x00", 4);
    append32le(file, 0);
    append32le(file, 0);
    append32le(file, 65535);
    append32le(file, link);
    append32le(file, 1'700'000'000);
    append32le(file, ts);
    append32le(file, static_cast<uint32_t>(frame.size()));
    append32le(file, static_cast<uint32_t>(frame.size()));
    file.append(frame.begin(), frame.end());
    FILE* out = std::fopen(path(name).c_str(), "wb");
    std::fwrite(file.data(), 1, file.size(), out);
    std::fclose(out);
  };
  write("eth", 1, eth, 2);
  write("raw", 101, ip, 1);
  MergedCapture m({path("eth"), path("raw")});
  DecodingReader reader(m, false);
  std::vector<core::DecodedFrame> got;
  for (auto block = reader.next_block(); !block.empty(); block = reader.next_block())
    got.insert(got.end(), block.begin(), block.end());
  EXPECT_EQ(reader.error(), "");
  ASSERT_EQ(got.size(), 2u);
  for (size_t i = 0; i < 2; ++i) {
    EXPECT_EQ(got[i].frame.index, i + 1);
    EXPECT_EQ(got[i].packet.result, core::DecodeResult::Tcp) << i;
    EXPECT_EQ(got[i].packet.tcp.src_port, 12345) << i;
    EXPECT_EQ(got[i].packet.tcp.dst_port, 80) << i;
  }
  EXPECT_EQ(got[0].frame.data.size(), 40u);  // the raw one, earlier
  EXPECT_EQ(got[1].frame.data.size(), 54u);
}

}  // namespace
}  // namespace tcpinspect::capture
