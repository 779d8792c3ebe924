// SPDX-License-Identifier: MIT
#include "capture/pcap_writer.hpp"

#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <csignal>

#include <cstdio>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "capture/error.hpp"
#include "capture/pcap_file_source.hpp"

namespace tcpinspect::capture {
namespace {

std::string temp_path(const char* name) {
  return "/tmp/ti-trace-test-" + std::to_string(::getpid()) + "-" + name;
}

TEST(PcapWriter, RoundTripsFramesThroughFileSource) {
  const std::string path = temp_path("roundtrip.pcap");
  const std::vector<uint8_t> a = {1, 2, 3, 4, 5};
  const std::vector<uint8_t> b = {0xde, 0xad, 0xbe, 0xef};
  {
    PcapWriter w(path, DLT_EN10MB, 65535);
    core::Frame f;
    f.ts_ns = 1'700'000'000'123'456'789;
    f.data = a;
    f.wire_len = 5;
    w.write(f);
    f.ts_ns = 1'700'000'001'000'000'999;
    f.data = b;
    f.wire_len = 1500;  // truncated by snaplen on capture: the wire length is kept
    w.write(f);
    w.flush();
    EXPECT_EQ(w.frames_written(), 2u);
  }
  PcapFileSource in(path);
  EXPECT_EQ(in.datalink(), DLT_EN10MB);
  core::Frame r;
  ASSERT_EQ(in.next(r), PcapFileSource::ReadStatus::Frame);
  EXPECT_EQ(std::vector<uint8_t>(r.data.begin(), r.data.end()), a);
  EXPECT_EQ(r.wire_len, 5u);
  EXPECT_EQ(r.ts_ns, 1'700'000'000'123'456'000);  // microsecond file: ns below are dropped
  ASSERT_EQ(in.next(r), PcapFileSource::ReadStatus::Frame);
  EXPECT_EQ(std::vector<uint8_t>(r.data.begin(), r.data.end()), b);
  EXPECT_EQ(r.wire_len, 1500u);
  EXPECT_EQ(r.ts_ns, 1'700'000'001'000'000'000);
  EXPECT_EQ(in.next(r), PcapFileSource::ReadStatus::End);
  std::remove(path.c_str());
}

TEST(PcapWriter, NanosecondFilesKeepNanoseconds) {
  const std::string path = temp_path("nano.pcap");
  const std::vector<uint8_t> a = {9, 9};
  {
    PcapWriter w(path, DLT_RAW, 262144, PcapWriter::Precision::Nano);
    core::Frame f;
    f.ts_ns = 42'000'000'007;
    f.data = a;
    f.wire_len = 2;
    w.write(f);
  }
  PcapFileSource in(path);
  core::Frame r;
  ASSERT_EQ(in.next(r), PcapFileSource::ReadStatus::Frame);
  EXPECT_EQ(r.ts_ns, 42'000'000'007);
  std::remove(path.c_str());
}

// -w replaces the file; --append adds to it, in the file's own timestamp precision, and
// refuses a capture of another link type.
TEST(PcapWriter, ReplacesUnlessAppendingAndAppendKeepsThePrecision) {
  const std::string path = temp_path("append.pcap");
  auto write_one = [&](int64_t ts, PcapWriter::Precision p, bool append) {
    PcapWriter w(path, DLT_RAW, 262144, p, append);
    core::Frame f;
    f.ts_ns = ts;
    const std::vector<uint8_t> bytes = {7, 7, 7};
    f.data = bytes;
    f.wire_len = 3;
    w.write(f);
  };
  auto read_all = [&] {
    std::vector<int64_t> ts;
    PcapFileSource in(path);
    core::Frame r;
    while (in.next(r) == PcapFileSource::ReadStatus::Frame)
      ts.push_back(r.ts_ns);
    return ts;
  };
  write_one(1'000'000'001, PcapWriter::Precision::Nano, false);
  write_one(2'000'000'002, PcapWriter::Precision::Nano, false);
  EXPECT_EQ(read_all(), (std::vector<int64_t>{2'000'000'002}));  // replaced
  // Asked for microseconds, but the file is in nanoseconds: its precision wins.
  write_one(3'000'000'003, PcapWriter::Precision::Micro, true);
  EXPECT_EQ(read_all(), (std::vector<int64_t>{2'000'000'002, 3'000'000'003}));
  EXPECT_THROW(PcapWriter(path, DLT_EN10MB, 262144, PcapWriter::Precision::Micro, true),
               CaptureError);
  std::remove(path.c_str());
  write_one(4'000'000'000, PcapWriter::Precision::Micro, true);  // missing: created
  EXPECT_EQ(read_all(), (std::vector<int64_t>{4'000'000'000}));
  std::remove(path.c_str());
}

// A valid file once flushed, even while the writer is still open (Ctrl-C safety).
TEST(PcapWriter, FlushedFileIsReadableWhileOpen) {
  const std::string path = temp_path("open.pcap");
  const std::vector<uint8_t> a = {7};
  PcapWriter w(path, DLT_EN10MB, 65535);
  core::Frame f;
  f.data = a;
  f.wire_len = 1;
  for (int i = 0; i < 3; ++i)
    w.write(f);
  w.flush();
  PcapFileSource in(path);
  core::Frame r;
  int n = 0;
  while (in.next(r) == PcapFileSource::ReadStatus::Frame)
    ++n;
  EXPECT_EQ(n, 3);
  w.close();
  w.write(f);  // ignored after close
  EXPECT_EQ(w.frames_written(), 3u);
  std::remove(path.c_str());
}

TEST(PcapWriter, UnwritablePathIsOneLine) {
  try {
    PcapWriter w("/nonexistent-dir-ti/x.pcap", DLT_EN10MB, 65535);
    ADD_FAILURE() << "opened an impossible path";
  } catch (const CaptureError& e) {
    const std::string m = e.what();
    EXPECT_NE(m.find("/nonexistent-dir-ti/x.pcap"), std::string::npos) << m;
    EXPECT_NE(m.find("No such file or directory"), std::string::npos) << m;
  }
}

// A full disk (here a file-size limit, set in a forked child with SIGXFSZ ignored so the
// write fails with EFBIG instead of killing it): the record the failure cut is cut off
// again, the file ends on the last whole record, reads back cleanly, and the writer says
// so without throwing (trace's analysis goes on).
TEST(PcapWriter, FullDiskLeavesTheFileEndingOnAWholeRecord) {
  const std::string path = temp_path("full.pcap");
  const std::vector<uint8_t> payload(100, 0x5a);
  constexpr off_t kRecord = 16 + 100;
  constexpr off_t kLimit = 24 + 3 * kRecord + 50;  // the limit falls inside the 4th record
  const pid_t child = ::fork();
  ASSERT_GE(child, 0);
  if (child == 0) {
    std::signal(SIGXFSZ, SIG_IGN);
    const rlimit limit{static_cast<rlim_t>(kLimit), static_cast<rlim_t>(kLimit)};
    if (::setrlimit(RLIMIT_FSIZE, &limit) != 0) ::_exit(10);
    int code = 0;
    try {
      PcapWriter w(path, DLT_EN10MB, 65535);
      core::Frame f;
      f.data = payload;
      f.wire_len = 100;
      for (int i = 0; i < 10; ++i) {
        f.ts_ns = 1'700'000'000'000'000'000 + i;
        w.write(f);
      }
      w.flush();  // must not throw
      if (!w.failed())
        code = 11;
      else if (w.frames_written() != 3)
        code = 12;
      else if (w.error().find("File too large") == std::string::npos)
        code = 13;
      else if (w.error().find(path) != 0)
        code = 14;
      w.write(f);  // ignored once failed
      w.flush();
      w.close();
      if (w.frames_written() != 3) code = 15;
    } catch (...) {
      code = 16;
    }
    ::_exit(code);
  }
  int status = 0;
  ASSERT_EQ(::waitpid(child, &status, 0), child);
  ASSERT_TRUE(WIFEXITED(status));
  EXPECT_EQ(WEXITSTATUS(status), 0) << "10: setrlimit, 11: no failure seen, 12: frames, "
                                       "13/14: message, 15: wrote after failing, 16: threw";
  struct stat st {};
  ASSERT_EQ(::stat(path.c_str(), &st), 0);
  EXPECT_EQ(st.st_size, 24 + 3 * kRecord);
  PcapFileSource in(path);
  core::Frame r;
  int n = 0;
  PcapFileSource::ReadStatus status_read;
  while ((status_read = in.next(r)) == PcapFileSource::ReadStatus::Frame) {
    EXPECT_EQ(r.ts_ns, 1'700'000'000'000'000'000 + 0);  // microseconds: the +i ns drop
    EXPECT_EQ(r.data.size(), 100u);
    ++n;
  }
  EXPECT_EQ(status_read, PcapFileSource::ReadStatus::End) << in.error_message();
  EXPECT_EQ(n, 3);
  std::remove(path.c_str());
}

}  // namespace
}  // namespace tcpinspect::capture
