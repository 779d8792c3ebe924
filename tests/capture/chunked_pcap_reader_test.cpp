// SPDX-License-Identifier: MIT
// ChunkedPcapReader reads a classic pcap in chunks and hands records over in place. Records
// straddle chunks (tiny chunks make them straddle all the time), some are larger than a
// chunk, and a holding caller keeps every record it has not released: the bytes, header
// fields, errors and offsets must be exactly those of the file, whatever the chunk size.
#include "capture/chunked_pcap_reader.hpp"

#include <gtest/gtest.h>
#include <unistd.h>

#include <cstdio>
#include <filesystem>
#include <string>
#include <vector>

namespace tcpinspect::capture {
namespace {

void append32(std::string& s, uint32_t x, bool big_endian = false) {
  for (int i = 0; i < 4; ++i)
    s += static_cast<char>(x >> (big_endian ? 24 - 8 * i : 8 * i));
}

struct Written {
  uint32_t sec, frac, caplen, wire_len;
  std::string bytes;
  uint64_t offset;  // of the record header in the file
};

class ChunkedPcapReaderTest : public ::testing::Test {
 protected:
  void TearDown() override { std::filesystem::remove(path_); }

  // A pcap with `sizes.size()` records of those lengths (file magic as given, fields in the
  // byte order the magic says), each record's bytes a pattern of its own.
  std::vector<Written> write(const std::vector<uint32_t>& sizes, uint32_t magic = 0xa1b2c3d4,
                             bool big_endian = false, std::string tail = "") {
    std::string file;
    append32(file, magic, big_endian);
    file += big_endian ? std::string("\x00\x02\x00\x04", 4) : std::string("\x02\x00\x04\x00", 4);
    append32(file, 0, big_endian);
    append32(file, 0, big_endian);
    append32(file, 65535, big_endian);
    append32(file, 1, big_endian);
    std::vector<Written> out;
    for (size_t i = 0; i < sizes.size(); ++i) {
      Written w{static_cast<uint32_t>(1000 + i),
                static_cast<uint32_t>(i * 7),
                sizes[i],
                sizes[i] + 4,
                "",
                file.size()};
      for (uint32_t b = 0; b < sizes[i]; ++b)
        w.bytes += static_cast<char>(b * 13 + i);
      append32(file, w.sec, big_endian);
      append32(file, w.frac, big_endian);
      append32(file, w.caplen, big_endian);
      append32(file, w.wire_len, big_endian);
      file += w.bytes;
      out.push_back(w);
    }
    file += tail;
    FILE* f = std::fopen(path_.c_str(), "wb");
    std::fwrite(file.data(), 1, file.size(), f);
    std::fclose(f);
    return out;
  }

  std::string path_ = (std::filesystem::temp_directory_path() /
                       ("chunked_pcap_test_" + std::to_string(::getpid()) + ".pcap"))
                          .string();
};

// Sizes that straddle every chunk size tried, with records larger than a chunk and empty.
const std::vector<uint32_t> kSizes = {60, 1514, 0, 90, 3000, 1, 54, 700, 9000, 66, 1500, 2};

TEST_F(ChunkedPcapReaderTest, GivesEveryRecordExactlyWhateverTheChunkSize) {
  const auto written = write(kSizes);
  for (const size_t chunk :
       {size_t{17}, size_t{64}, size_t{100}, size_t{4096}, ChunkedPcapReader::kChunkBytes}) {
    ChunkedPcapReader reader(chunk);
    ASSERT_TRUE(reader.open(path_));
    std::string error;
    for (const Written& w : written) {
      EXPECT_EQ(reader.offset(), w.offset) << "chunk " << chunk;
      ChunkedPcapReader::Record r{};
      ASSERT_EQ(reader.next(r, error), ChunkedPcapReader::Status::Record) << error;
      EXPECT_EQ(r.ts_ns, int64_t{w.sec} * 1'000'000'000 + int64_t{w.frac} * 1000);
      EXPECT_EQ(r.caplen, w.caplen);
      EXPECT_EQ(r.wire_len, w.wire_len);
      EXPECT_EQ(std::string(reinterpret_cast<const char*>(r.data), r.caplen), w.bytes)
          << "chunk " << chunk << " record at " << w.offset;
    }
    ChunkedPcapReader::Record r{};
    EXPECT_EQ(reader.next(r, error), ChunkedPcapReader::Status::End);
    EXPECT_EQ(reader.next(r, error), ChunkedPcapReader::Status::End);
  }
}

TEST_F(ChunkedPcapReaderTest, HeldRecordsStayValidUntilReleased) {
  const auto written = write(kSizes);
  ChunkedPcapReader reader(64);
  ASSERT_TRUE(reader.open(path_));
  reader.set_hold(true);
  std::vector<ChunkedPcapReader::Record> held;
  std::string error;
  ChunkedPcapReader::Record r{};
  while (reader.next(r, error) == ChunkedPcapReader::Status::Record) {
    held.push_back(r);
    // Releasing what lies before the record three back keeps that one and every later one.
    if (held.size() > 3) reader.release_before_record(held[held.size() - 3].data);
    for (size_t i = held.size() >= 3 ? held.size() - 3 : 0; i < held.size(); ++i)
      ASSERT_EQ(std::string(reinterpret_cast<const char*>(held[i].data), held[i].caplen),
                written[i].bytes)
          << "record " << i << " after reading " << held.size();
  }
  ASSERT_EQ(held.size(), written.size());
  reader.release_read();  // nothing is read afterwards: only that this is harmless
}

TEST_F(ChunkedPcapReaderTest, ReadsBigEndianNanosecondFiles) {
  const auto written = write({100, 5000}, 0xa1b23c4d, true);
  ChunkedPcapReader reader(64);
  ASSERT_TRUE(reader.open(path_));
  std::string error;
  ChunkedPcapReader::Record r{};
  for (const Written& w : written) {
    ASSERT_EQ(reader.next(r, error), ChunkedPcapReader::Status::Record) << error;
    EXPECT_EQ(r.ts_ns, int64_t{w.sec} * 1'000'000'000 + w.frac);
    EXPECT_EQ(r.caplen, w.caplen);
    EXPECT_EQ(std::string(reinterpret_cast<const char*>(r.data), r.caplen), w.bytes);
  }
}

TEST_F(ChunkedPcapReaderTest, ATruncatedRecordHeaderIsAnErrorAtItsOffset) {
  const auto written = write({100, 200}, 0xa1b2c3d4, false, std::string(9, '\x01'));
  ChunkedPcapReader reader(64);
  ASSERT_TRUE(reader.open(path_));
  std::string error;
  ChunkedPcapReader::Record r{};
  ASSERT_EQ(reader.next(r, error), ChunkedPcapReader::Status::Record);
  ASSERT_EQ(reader.next(r, error), ChunkedPcapReader::Status::Record);
  EXPECT_EQ(reader.next(r, error), ChunkedPcapReader::Status::Error);
  EXPECT_EQ(error, "truncated record header (9 of 16 bytes)");
  EXPECT_EQ(reader.offset(), written[1].offset + 16 + 200);
}

TEST_F(ChunkedPcapReaderTest, ATruncatedRecordIsAnErrorWithoutReadingPastTheFile) {
  std::string tail;
  append32(tail, 1);
  append32(tail, 2);
  append32(tail, 5000);  // claims 5000 bytes, the file has 30 after it
  append32(tail, 5000);
  tail += std::string(30, 'x');
  const auto written = write({100}, 0xa1b2c3d4, false, tail);
  ChunkedPcapReader reader(64);
  ASSERT_TRUE(reader.open(path_));
  std::string error;
  ChunkedPcapReader::Record r{};
  ASSERT_EQ(reader.next(r, error), ChunkedPcapReader::Status::Record);
  EXPECT_EQ(reader.next(r, error), ChunkedPcapReader::Status::Error);
  EXPECT_EQ(error, "truncated record (30 of 5000 bytes)");
  EXPECT_EQ(reader.offset(), written[0].offset + 16 + 100);
}

TEST_F(ChunkedPcapReaderTest, AnOversizedRecordLengthIsAnError) {
  std::string tail;
  append32(tail, 1);
  append32(tail, 2);
  append32(tail, 0xFFFFFFF0u);  // more than libpcap's limit and the snaplen
  append32(tail, 60);
  write({}, 0xa1b2c3d4, false, tail);
  ChunkedPcapReader reader;
  ASSERT_TRUE(reader.open(path_));
  std::string error;
  ChunkedPcapReader::Record r{};
  EXPECT_EQ(reader.next(r, error), ChunkedPcapReader::Status::Error);
  EXPECT_EQ(error, "invalid record length 4294967280, larger than the snapshot length");
  EXPECT_EQ(reader.offset(), 24u);
}

TEST_F(ChunkedPcapReaderTest, RefusesWhatIsNotAClassicPcapFile) {
  write({60}, 0x0a0d0d0a);  // pcapng's section header magic
  ChunkedPcapReader reader;
  EXPECT_FALSE(reader.open(path_));
  EXPECT_FALSE(ChunkedPcapReader().open(std::filesystem::temp_directory_path().string()));
  EXPECT_FALSE(ChunkedPcapReader().open(path_ + ".missing"));
}

}  // namespace
}  // namespace tcpinspect::capture
