// SPDX-License-Identifier: MIT
#include "traffic/echo_reply.hpp"

#include <cstdlib>
#include <ctime>
#include <string>

#include <gtest/gtest.h>

namespace tcpinspect::traffic {
namespace {

class EchoReply : public ::testing::Test {
 protected:
  // Time mode formats local time; pin the zone so the expected text is exact.
  void SetUp() override {
    ::setenv("TZ", "UTC", 1);
    ::tzset();
  }
};

TEST_F(EchoReply, EchoModeCopiesBytesIncludingNul) {
  ReplyBuilder r(EchoMode::Echo);
  std::string out;
  r.on_chunk(std::string("a\0b", 3), 0, out);
  EXPECT_EQ(out, std::string("a\0b", 3));
  EXPECT_EQ(r.received(), 3u);
}

TEST_F(EchoReply, CountModeReportsRunningTotalPerChunk) {
  ReplyBuilder r(EchoMode::Count);
  std::string out;
  r.on_chunk("hello", 0, out);
  r.on_chunk("abc", 0, out);
  r.on_chunk(std::string(1000, 'x'), 0, out);
  EXPECT_EQ(out, "5 bytes altogether\n8 bytes altogether\n1008 bytes altogether\n");
}

TEST_F(EchoReply, TimeModePrefixesCtimeWithoutNewline) {
  ReplyBuilder r(EchoMode::Time);
  std::string out;
  r.on_chunk("hi\n", 0, out);
  EXPECT_EQ(out, "[Thu Jan  1 00:00:00 1970] hi\n");
  out.clear();
  r.on_chunk("x", 1700000000, out);  // 2023-11-14 22:13:20 UTC, a Tuesday
  EXPECT_EQ(out, "[Tue Nov 14 22:13:20 2023] x");
}

TEST_F(EchoReply, UdpCountIsPerDatagram) {
  std::string out;
  udp_reply(EchoMode::Count, "abcd", 0, out);
  udp_reply(EchoMode::Count, "ef", 0, out);
  EXPECT_EQ(out, "4 bytes altogether\n2 bytes altogether\n");
}

TEST_F(EchoReply, ParsesModeNames) {
  EXPECT_EQ(parse_echo_mode("echo"), EchoMode::Echo);
  EXPECT_EQ(parse_echo_mode("count"), EchoMode::Count);
  EXPECT_EQ(parse_echo_mode("time"), EchoMode::Time);
  EXPECT_EQ(parse_echo_mode("Echo"), std::nullopt);
  EXPECT_EQ(parse_echo_mode(""), std::nullopt);
  EXPECT_STREQ(to_string(EchoMode::Count), "count");
}

}  // namespace
}  // namespace tcpinspect::traffic
