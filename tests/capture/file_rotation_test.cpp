// SPDX-License-Identifier: MIT
// trace -w with -C/-G/-W: the names and rotation points tcpdump 4.99 produces (observed with
// tcpdump 4.99.3 on lo, and read from MakeFilename/dump_packet_and_trunc in tcpdump.c), and
// the files RotatingPcapWriter writes: each a whole pcap, no frame lost at a rotation.
#include <pcap/pcap.h>
#include <unistd.h>

#include <cstdlib>
#include <ctime>
#include <filesystem>
#include <stdexcept>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "capture/file_rotation.hpp"
#include "capture/pcap_file_source.hpp"
#include "capture/rotating_pcap_writer.hpp"

namespace tcpinspect::capture {
namespace {

using Step = FileRotation::Step;
using std::chrono::milliseconds;
using std::chrono::seconds;

constexpr int64_t kSecond = 1'000'000'000;
// 2023-11-14 22:13:20 UTC.
constexpr int64_t kT0 = 1'700'000'000 * kSecond;

// strftime uses local time: pin it, as a user's TZ would.
class FileRotationTest : public ::testing::Test {
 protected:
  void SetUp() override {
    const char* tz = std::getenv("TZ");
    saved_tz_ = tz ? tz : "";
    had_tz_ = tz != nullptr;
    ::setenv("TZ", "UTC", 1);
    ::tzset();
  }
  void TearDown() override {
    if (had_tz_)
      ::setenv("TZ", saved_tz_.c_str(), 1);
    else
      ::unsetenv("TZ");
    ::tzset();
  }

 private:
  std::string saved_tz_;
  bool had_tz_ = false;
};

TEST(FileRotationParse, FileSizeIsMillionsOfBytesAsTcpdump) {
  EXPECT_EQ(parse_file_size_millions("1"), 1'000'000u);
  EXPECT_EQ(parse_file_size_millions("250"), 250'000'000u);
  // tcpdump 4.99.3: "invalid file size 0", "invalid file size 1k".
  for (const char* bad : {"", "0", "1k", "-1", "1.5", " 1", "9999999999999"})
    EXPECT_THROW(parse_file_size_millions(bad), std::invalid_argument) << bad;
}

TEST(FileRotationParse, DigitsAreThoseOfCountMinusOne) {
  EXPECT_EQ(file_number_digits(0), 0);
  EXPECT_EQ(file_number_digits(1), 0);
  EXPECT_EQ(file_number_digits(2), 1);
  EXPECT_EQ(file_number_digits(10), 1);
  EXPECT_EQ(file_number_digits(11), 2);
  EXPECT_EQ(file_number_digits(12), 2);
  EXPECT_EQ(file_number_digits(100), 2);
  EXPECT_EQ(file_number_digits(101), 3);
}

TEST_F(FileRotationTest, MakeFilename) {
  EXPECT_EQ(rotated_file_name("a.pcap", false, 0, 0, 0), "a.pcap");
  EXPECT_EQ(rotated_file_name("a.pcap", false, 0, 3, 0), "a.pcap3");
  EXPECT_EQ(rotated_file_name("a.pcap", false, 0, 0, 2), "a.pcap00");
  EXPECT_EQ(rotated_file_name("a.pcap", false, 0, 7, 2), "a.pcap07");
  EXPECT_EQ(rotated_file_name("cap-%Y%m%d-%H%M%S.pcap", true, kT0 / kSecond, 0, 0),
            "cap-20231114-221320.pcap");
  // Without -G a % is just a character.
  EXPECT_EQ(rotated_file_name("cap-%H.pcap", false, kT0 / kSecond, 0, 0), "cap-%H.pcap");
  EXPECT_EQ(rotated_file_name("cap-%H.pcap", true, kT0 / kSecond, 1, 1), "cap-22.pcap1");
  EXPECT_THROW(rotated_file_name(std::string(5000, 'x'), false, 0, 1, 0), std::invalid_argument);
}

// tcpdump -C 1 -w a.pcap: a.pcap, a.pcap1, a.pcap2 ...; a file is closed before the frame
// that finds it LARGER than 1,000,000 bytes (1000088-byte files in the observed run).
TEST_F(FileRotationTest, SizeAlone) {
  RotationOptions o;
  o.max_file_bytes = 1'000'000;
  FileRotation r("a.pcap", o, kT0);
  EXPECT_EQ(r.file_name(), "a.pcap");
  EXPECT_EQ(r.before_frame(kT0, 24), Step::Same);
  EXPECT_EQ(r.before_frame(kT0, 1'000'000), Step::Same);
  EXPECT_EQ(r.before_frame(kT0, 1'000'001), Step::NewFile);
  EXPECT_EQ(r.file_name(), "a.pcap1");
  EXPECT_EQ(r.before_frame(kT0, 24), Step::Same);
  for (int i = 2; i <= 11; ++i) {
    EXPECT_EQ(r.before_frame(kT0, 1'000'088), Step::NewFile);
    EXPECT_EQ(r.file_name(), "a.pcap" + std::to_string(i));
  }
}

// tcpdump -C 1 -W 3 -w c.pcap: c.pcap0, c.pcap1, c.pcap2, then c.pcap0 again (the ring).
TEST_F(FileRotationTest, SizeRing) {
  RotationOptions o;
  o.max_file_bytes = 1'000'000;
  o.file_count = 3;
  FileRotation r("c.pcap", o, kT0);
  std::vector<std::string> names = {r.file_name()};
  for (int i = 0; i < 5; ++i) {
    EXPECT_EQ(r.before_frame(kT0, 1'000'088), Step::NewFile);
    names.push_back(r.file_name());
  }
  EXPECT_EQ(names, (std::vector<std::string>{"c.pcap0", "c.pcap1", "c.pcap2", "c.pcap0", "c.pcap1",
                                             "c.pcap2"}));
  // -W 12: two digits, b.pcap00 ... b.pcap11.
  o.file_count = 12;
  FileRotation twelve("b.pcap", o, kT0);
  EXPECT_EQ(twelve.file_name(), "b.pcap00");
  for (int i = 0; i < 11; ++i)
    twelve.before_frame(kT0, 2'000'000);
  EXPECT_EQ(twelve.file_name(), "b.pcap11");
  twelve.before_frame(kT0, 2'000'000);
  EXPECT_EQ(twelve.file_name(), "b.pcap00");
}

// tcpdump -G 1 -W 3 -w t-%S.pcap, started at :26 with the first frame at :28.5: t-26.pcap
// (header only), t-28.pcap, t-29.pcap, then "Maximum file limit reached: 3" and exit 0.
TEST_F(FileRotationTest, TimeWithLimitStops) {
  RotationOptions o;
  o.interval = seconds(1);
  o.file_count = 3;
  const int64_t start = kT0 + 6 * kSecond;  // 22:13:26
  FileRotation r("t-%S.pcap", o, start);
  EXPECT_EQ(r.file_name(), "t-26.pcap");  // no number: -W numbers files only with -C
  EXPECT_EQ(r.before_frame(start + 999'999'999, 24), Step::Same);  // less than a second
  EXPECT_EQ(r.before_frame(start + 2'500'000'000, 24), Step::NewFile);
  EXPECT_EQ(r.file_name(), "t-28.pcap");
  // The period runs from the rotation (28.5), not from a whole second.
  EXPECT_EQ(r.before_frame(start + 3'400'000'000, 5000), Step::Same);
  EXPECT_EQ(r.before_frame(start + 3'500'000'000, 5000), Step::NewFile);
  EXPECT_EQ(r.file_name(), "t-29.pcap");
  EXPECT_EQ(r.before_frame(start + 4'500'000'000, 5000), Step::Stop);
}

// -G without a % conversion in the name: the same file, reopened (overwritten) each time.
TEST_F(FileRotationTest, TimeWithoutConversionReusesTheName) {
  RotationOptions o;
  o.interval = milliseconds(500);
  FileRotation r("g.pcap", o, kT0);
  EXPECT_EQ(r.before_frame(kT0 + kSecond, 100), Step::NewFile);
  EXPECT_EQ(r.file_name(), "g.pcap");
  // No -W: never stops.
  for (int i = 2; i < 50; ++i)
    EXPECT_EQ(r.before_frame(kT0 + i * kSecond, 100), Step::NewFile);
}

// tcpdump -G 1 -C 1 -W 3 -w gc-%S.pcap: gc-26.pcap0 ...; -C numbers within each -G file from
// 0, the ring wraps, and -W stops nothing.
TEST_F(FileRotationTest, TimeAndSize) {
  RotationOptions o;
  o.interval = seconds(1);
  o.max_file_bytes = 1'000'000;
  o.file_count = 3;
  const int64_t start = kT0 + 6 * kSecond;
  FileRotation r("gc-%S.pcap", o, start);
  EXPECT_EQ(r.file_name(), "gc-26.pcap0");
  EXPECT_EQ(r.before_frame(start + 100, 1'000'001), Step::NewFile);
  EXPECT_EQ(r.file_name(), "gc-26.pcap1");  // same -G period, so the same time in the name
  EXPECT_EQ(r.before_frame(start + 200, 1'000'001), Step::NewFile);
  EXPECT_EQ(r.file_name(), "gc-26.pcap2");
  EXPECT_EQ(r.before_frame(start + 300, 1'000'001), Step::NewFile);
  EXPECT_EQ(r.file_name(), "gc-26.pcap0");
  // A -G rotation and a full file at once: the time wins, numbering restarts at 0.
  EXPECT_EQ(r.before_frame(start + 2 * kSecond, 1'000'001), Step::NewFile);
  EXPECT_EQ(r.file_name(), "gc-28.pcap0");
  for (int i = 3; i < 10; ++i)
    EXPECT_EQ(r.before_frame(start + i * kSecond, 100), Step::NewFile) << i;
}

TEST_F(FileRotationTest, NoOptionsNeverRotates) {
  FileRotation r("plain-%H.pcap", RotationOptions{}, kT0);
  EXPECT_EQ(r.file_name(), "plain-%H.pcap");
  EXPECT_EQ(r.before_frame(kT0 + 1000 * kSecond, uint64_t{1} << 40), Step::Same);
}

struct ReadFrame {
  int64_t ts_ns;
  std::vector<uint8_t> bytes;  // copied: a Frame views the source's chunk
};

std::vector<ReadFrame> read_all(const std::string& path) {
  PcapFileSource in(path);
  std::vector<ReadFrame> out;
  core::Frame f;
  while (in.next(f) == PcapFileSource::ReadStatus::Frame)
    out.push_back({f.ts_ns, {f.data.begin(), f.data.end()}});
  return out;
}

// Ten 60-byte frames with a 100-byte limit: a file holds the header and one record (100
// bytes, not larger), takes the second (176) and is closed before the third. So five files
// of two frames, each a whole pcap; read in name order they give back all ten frames.
TEST_F(FileRotationTest, WriterSplitsIntoWholeFilesAndLosesNothing) {
  const std::filesystem::path dir =
      std::filesystem::temp_directory_path() / ("ti-rotation-" + std::to_string(::getpid()));
  std::filesystem::create_directories(dir);
  RotationOptions o;
  o.max_file_bytes = 100;
  const std::string pattern = (dir / "cap.pcap").string();
  std::vector<std::vector<uint8_t>> payloads;
  {
    RotatingPcapWriter w(pattern, o, DLT_EN10MB, 262144, kT0);
    for (int i = 0; i < 10; ++i) {
      payloads.emplace_back(60, static_cast<uint8_t>(i));
      core::Frame f;
      f.ts_ns = kT0 + i * 1000;
      f.data = payloads.back();
      f.wire_len = 60;
      EXPECT_TRUE(w.write(f, f.ts_ns));
    }
    w.close();
    EXPECT_EQ(w.frames_written(), 10u);
    EXPECT_EQ(w.files_opened(), 5u);
    EXPECT_EQ(w.current_file(), pattern + "4");
    EXPECT_FALSE(w.failed());
  }
  std::vector<uint8_t> got_bytes;
  int frame = 0;
  for (const std::string suffix : {"", "1", "2", "3", "4"}) {
    const std::string path = pattern + suffix;
    EXPECT_EQ(std::filesystem::file_size(path), 24u + 2 * (16 + 60)) << path;
    for (const ReadFrame& f : read_all(path)) {
      EXPECT_EQ(f.bytes, payloads[frame]) << path;
      EXPECT_EQ(f.ts_ns, kT0 + frame * 1000);
      ++frame;
    }
  }
  EXPECT_EQ(frame, 10);
  EXPECT_FALSE(std::filesystem::exists(pattern + "5"));
  std::filesystem::remove_all(dir);
}

// -G -W: write() refuses the frame that would open file W+1, and it reaches no file.
TEST_F(FileRotationTest, WriterStopsAtTheFileLimit) {
  const std::filesystem::path dir =
      std::filesystem::temp_directory_path() / ("ti-rotation-g-" + std::to_string(::getpid()));
  std::filesystem::create_directories(dir);
  RotationOptions o;
  o.interval = seconds(1);
  o.file_count = 2;
  const std::string pattern = (dir / "g-%S.pcap").string();
  RotatingPcapWriter w(pattern, o, DLT_EN10MB, 262144, kT0);
  const std::vector<uint8_t> bytes(60, 1);
  core::Frame f;
  f.data = bytes;
  f.wire_len = 60;
  EXPECT_TRUE(w.write(f, kT0));
  EXPECT_TRUE(w.write(f, kT0 + kSecond));  // file 2: g-21.pcap
  EXPECT_FALSE(w.write(f, kT0 + 2 * kSecond));
  w.close();
  EXPECT_EQ(w.frames_written(), 2u);
  EXPECT_EQ(read_all((dir / "g-20.pcap").string()).size(), 1u);
  EXPECT_EQ(read_all((dir / "g-21.pcap").string()).size(), 1u);
  EXPECT_FALSE(std::filesystem::exists(dir / "g-22.pcap"));
  std::filesystem::remove_all(dir);
}

// A file that cannot be opened at a rotation ends the writing with a reason, no exception.
TEST_F(FileRotationTest, WriterReportsANameThatCannotBeOpened) {
  const std::filesystem::path dir =
      std::filesystem::temp_directory_path() / ("ti-rotation-e-" + std::to_string(::getpid()));
  std::filesystem::create_directories(dir);
  RotationOptions o;
  o.interval = seconds(1);
  // The second file's directory (the minute 14) does not exist.
  const std::string pattern = (dir / "%M/cap.pcap").string();
  std::filesystem::create_directories(dir / "13");
  RotatingPcapWriter w(pattern, o, DLT_EN10MB, 262144, kT0);
  const std::vector<uint8_t> bytes(60, 1);
  core::Frame f;
  f.data = bytes;
  f.wire_len = 60;
  EXPECT_TRUE(w.write(f, kT0));
  EXPECT_TRUE(w.write(f, kT0 + 60 * kSecond));
  EXPECT_TRUE(w.failed());
  EXPECT_NE(w.error().find((dir / "14/cap.pcap").string()), std::string::npos) << w.error();
  EXPECT_EQ(w.frames_written(), 1u);
  EXPECT_EQ(read_all((dir / "13/cap.pcap").string()).size(), 1u);
  std::filesystem::remove_all(dir);
}

}  // namespace
}  // namespace tcpinspect::capture
