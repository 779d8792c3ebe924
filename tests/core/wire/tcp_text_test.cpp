// SPDX-License-Identifier: MIT
// The one text form of TCP flags and options (core/wire/tcp_text.hpp), as replay prints it
// and craft, probe, reset and the hex dump now print it too.
#include "core/wire/tcp_text.hpp"

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "core/wire/decode.hpp"

namespace tcpinspect::core {
namespace {

std::string text_of(const std::vector<uint8_t>& option_bytes, uint32_t sack_base = 0) {
  return tcp_options_text(parse_tcp_options(option_bytes), sack_base);
}

TEST(TcpText, FlagsAreNamesInHeaderBitOrder) {
  EXPECT_EQ(tcp_flags_text(kSyn | kAck), "SYN,ACK");
  EXPECT_EQ(tcp_flags_text(kAck | kFin), "FIN,ACK");
  EXPECT_EQ(tcp_flags_text(kFin | kPsh | kUrg), "FIN,PSH,URG");
  EXPECT_EQ(tcp_flags_text(kRst), "RST");
  EXPECT_EQ(tcp_flags_text(0), "none");
  EXPECT_EQ(tcp_flags_text(0x1FF), "FIN,SYN,RST,PSH,ACK,URG,ECE,CWR,AE");
}

TEST(TcpText, FlagSeparatorIsTheCallersAndBounded) {
  char buf[kMaxTcpFlagsText];
  EXPECT_EQ(std::string(buf, format_tcp_flags(kSyn | kAck, "\",\"", buf)), "SYN\",\"ACK");
  // Every flag with the longest separator fits the bound; a longer separator is cut.
  const size_t n = format_tcp_flags(0x1FF, "----", buf);
  EXPECT_EQ(n, 26u + 8 * 4);  // the nine names and eight separators
  EXPECT_LE(n, kMaxTcpFlagsText);
  EXPECT_EQ(format_tcp_flags(0x1FF, "--------", buf), n);
}

TEST(TcpText, OptionsAsReplayPrintsThem) {
  // The SYN of samples/client_close.pcap.
  EXPECT_EQ(
      text_of({2, 4, 0x05, 0xb4, 4, 2, 8, 10, 0xa9, 0x2c, 0x9f, 0x7a, 0, 0, 0, 0, 1, 3, 3, 7}),
      "mss 1460,sackOK,TS 2838273914/0,nop,wscale 7");
  EXPECT_EQ(text_of({1, 1, 8, 10, 0, 0, 0, 100, 0, 0, 0, 0}), "nop,nop,TS 100/0");
  EXPECT_EQ(text_of({0, 0}), "eol");
  EXPECT_EQ(text_of({}), "");
}

TEST(TcpText, SackEdgesAreRelativeToTheBase) {
  const std::vector<uint8_t> sack = {5, 18, 0, 0, 0, 110, 0, 0, 0, 120, 0, 0, 0, 130, 0, 0, 0, 140};
  EXPECT_EQ(text_of(sack), "sack 110:120 130:140");
  EXPECT_EQ(text_of(sack, 100), "sack 10:20 30:40");
}

TEST(TcpText, FastOpenUnknownAndExperimentalKinds) {
  EXPECT_EQ(text_of({34, 2}), "tfo request");
  EXPECT_EQ(text_of({34, 6, 0xde, 0xad, 0xbe, 0xef}), "tfo cookie deadbeef");
  EXPECT_EQ(text_of({254, 8, 0xf9, 0x89, 1, 2, 3, 4}), "tfo cookie 01020304");
  EXPECT_EQ(text_of({254, 4, 0x12, 0x34}), "opt-254");
  EXPECT_EQ(text_of({30, 5, 1, 2, 3}), "opt-30");
}

TEST(TcpText, AProblemEndsTheList) {
  EXPECT_EQ(text_of({1, 2, 3, 5}), "nop,mss 0,bad options: TCP MSS option length is not 4");
  EXPECT_EQ(text_of({1, 5, 42}), "nop,sack,bad options: TCP option runs past the header");
}

TEST(TcpText, TheDensestOptionListsFitTheBound) {
  // 40 NOPs and 20 two-byte unknown options: 4 characters per option byte, the most any
  // parsed list needs, plus the longest problem text after a one-byte kind.
  const std::vector<uint8_t> nops(40, 1);
  EXPECT_EQ(text_of(nops).size(), 40u * 4 - 1);
  std::vector<uint8_t> unknown;
  for (int i = 0; i < 20; ++i)
    unknown.insert(unknown.end(), {255, 2});
  EXPECT_EQ(text_of(unknown).size(), 20u * 8 - 1);
  std::vector<uint8_t> cut(39, 1);
  cut.push_back(255);  // its length byte is missing
  const std::string t = text_of(cut);
  EXPECT_TRUE(t.ends_with(",nop,opt-255,bad options: TCP option length byte past the header")) << t;
  EXPECT_LT(t.size(), kMaxTcpOptionsText);
}

}  // namespace
}  // namespace tcpinspect::core
