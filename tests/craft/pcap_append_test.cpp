// SPDX-License-Identifier: MIT
// -w FILE: create, append across runs, refuse other link types and pcapng.
#include <gtest/gtest.h>

#include <unistd.h>

#include <cstdio>
#include <fstream>
#include <string>
#include <vector>

#include "capture/error.hpp"
#include "capture/pcap_append_writer.hpp"
#include "capture/pcap_file_source.hpp"

namespace tcpinspect::capture {
namespace {

std::string temp_path(const char* name) {
  return "/tmp/ti-craft-test-" + std::to_string(::getpid()) + "-" + name;
}

TEST(PcapAppend, CreatesThenAppends) {
  const std::string path = temp_path("append.pcap");
  std::remove(path.c_str());
  const std::vector<uint8_t> a = {0x45, 0, 0,  20, 0, 0, 0,  0, 64, 6,
                                  0,    0, 10, 0,  0, 1, 10, 0, 0,  2};
  const std::vector<uint8_t> b = {0x60, 0, 0, 0, 0, 0, 6, 64};
  {
    PcapAppendWriter w(path, core::LinkType::Raw, true);
    EXPECT_FALSE(w.appended());
    w.write(a, 1'000'000'123'456'000);
  }
  {
    PcapAppendWriter w(path, core::LinkType::Raw, true);
    EXPECT_TRUE(w.appended());
    w.write(b, 1'000'000'124'000'000);
    EXPECT_EQ(w.frames_written(), 1u);
  }
  PcapFileSource src(path);
  EXPECT_EQ(src.datalink(), 12);  // DLT_RAW on Linux, LINKTYPE_RAW (101) in the file
  core::Frame f;
  ASSERT_EQ(src.next(f), PcapFileSource::ReadStatus::Frame);
  EXPECT_EQ(std::vector<uint8_t>(f.data.begin(), f.data.end()), a);
  EXPECT_EQ(f.ts_ns, 1'000'000'123'456'000);
  ASSERT_EQ(src.next(f), PcapFileSource::ReadStatus::Frame);
  EXPECT_EQ(std::vector<uint8_t>(f.data.begin(), f.data.end()), b);
  EXPECT_EQ(src.next(f), PcapFileSource::ReadStatus::End);
  std::remove(path.c_str());
}

TEST(PcapAppend, WithoutAppendTheFileIsReplaced) {
  const std::string path = temp_path("replace.pcap");
  std::remove(path.c_str());
  const std::vector<uint8_t> a = {0x45, 0, 0, 20};
  const std::vector<uint8_t> b = {0x45, 0, 0, 21};
  for (const auto* frame : {&a, &b}) {
    PcapAppendWriter w(path, core::LinkType::Raw, false);
    EXPECT_FALSE(w.appended());
    w.write(*frame, 1'000'000'000);
  }
  PcapFileSource src(path);
  core::Frame f;
  ASSERT_EQ(src.next(f), PcapFileSource::ReadStatus::Frame);
  EXPECT_EQ(std::vector<uint8_t>(f.data.begin(), f.data.end()), b);
  EXPECT_EQ(src.next(f), PcapFileSource::ReadStatus::End);
  std::remove(path.c_str());
}

TEST(PcapAppend, RefusesOtherLinkTypesPcapngAndJunk) {
  const std::string eth = temp_path("eth.pcap");
  {
    // Classic pcap header, little endian, microseconds, snaplen 65535, link type 1.
    std::ofstream out(eth, std::ios::binary);
    const uint8_t header[24] = {0xd4, 0xc3, 0xb2, 0xa1, 2,    0,    4, 0, 0, 0, 0, 0,
                                0,    0,    0,    0,    0xff, 0xff, 0, 0, 1, 0, 0, 0};
    out.write(reinterpret_cast<const char*>(header), sizeof header);
  }
  try {
    PcapAppendWriter w(eth, core::LinkType::Raw, true);
    FAIL() << "appended raw IP to an Ethernet capture";
  } catch (const CaptureError& e) {
    EXPECT_EQ(std::string(e.what()),
              eth + ": has link type 1, not 101; cannot append, write to another file");
  }
  const std::string ng = temp_path("x.pcapng");
  {
    std::ofstream out(ng, std::ios::binary);
    out << "\x0a\x0d\x0d\x0a" << std::string(20, '\0');
  }
  EXPECT_THROW(PcapAppendWriter(ng, core::LinkType::Raw, true), CaptureError);
  const std::string junk = temp_path("junk.pcap");
  {
    std::ofstream out(junk, std::ios::binary);
    out << "this is not a capture file at all";
  }
  try {
    PcapAppendWriter w(junk, core::LinkType::Raw, true);
    FAIL();
  } catch (const CaptureError& e) {
    EXPECT_EQ(std::string(e.what()), junk + ": exists but is not a pcap file; refusing to append");
  }
  for (const auto& p : {eth, ng, junk})
    std::remove(p.c_str());
}

// A file whose last record is cut short (a crash or a full disk while writing it): appending
// after it would bury the new frames in the broken record, so -w refuses and says where the
// whole records end. Cut inside a record's data and inside its 16-byte header.
TEST(PcapAppend, RefusesAFileWhoseLastRecordIsCutShort) {
  const std::string path = temp_path("cut.pcap");
  const std::vector<uint8_t> a = {0x45, 0, 0,  20, 0, 0, 0,  0, 64, 6,
                                  0,    0, 10, 0,  0, 1, 10, 0, 0,  2};
  for (const long cut : {24L + 16 + 20 + 16 + 5, 24L + 16 + 20 + 7}) {
    std::remove(path.c_str());
    {
      PcapAppendWriter w(path, core::LinkType::Raw, true);
      w.write(a, 1'000'000'000'000'000'000);
      w.write(a, 1'000'000'001'000'000'000);
    }
    ASSERT_EQ(::truncate(path.c_str(), cut), 0);
    try {
      PcapAppendWriter w(path, core::LinkType::Raw, true);
      FAIL() << "appended after a broken record (cut at " << cut << ")";
    } catch (const CaptureError& e) {
      EXPECT_EQ(std::string(e.what()),
                path +
                    ": its last record (frame 2 at byte offset 60) is cut short; refusing to "
                    "append after it (to keep the frames before it: truncate -s 60 " +
                    path + ")");
    }
    std::ifstream in(path, std::ios::binary | std::ios::ate);
    EXPECT_EQ(static_cast<long>(in.tellg()), cut) << "the file was changed";
  }
  // Whole records (here after the suggested repair) are appended to as before.
  ASSERT_EQ(::truncate(path.c_str(), 60), 0);
  {
    PcapAppendWriter w(path, core::LinkType::Raw, true);
    EXPECT_TRUE(w.appended());
    w.write(a, 1'000'000'002'000'000'000);
  }
  PcapFileSource src(path);
  core::Frame f;
  int n = 0;
  while (src.next(f) == PcapFileSource::ReadStatus::Frame)
    ++n;
  EXPECT_EQ(n, 2);
  EXPECT_TRUE(src.error_message().empty()) << src.error_message();
  std::remove(path.c_str());
}

}  // namespace
}  // namespace tcpinspect::capture
