// SPDX-License-Identifier: MIT
// The annotated hex dump over crafted packets, cut at every length and with every option
// length byte corrupted: it must never read outside the bytes, and must say why it cannot
// annotate.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "capture/tcp_crafter.hpp"
#include "cmd/ip_parse.hpp"
#include "core/lab/hex_dump.hpp"

namespace tcpinspect {
namespace {

std::vector<std::vector<uint8_t>> packets() {
  std::vector<std::vector<uint8_t>> out;
  for (const char* dst : {"10.202.0.2", "fd00:202::2"}) {
    capture::SegmentSpec s;
    s.src = *cmd::parse_ip(dst[0] == 'f' ? "fd00:202::1" : "10.202.0.1");
    s.dst = *cmd::parse_ip(dst);
    s.src_port = 40000;
    s.dst_port = 80;
    s.options.mss = 1460;
    s.options.sack_permitted = true;
    s.options.timestamps = std::make_pair(1u, 2u);
    s.options.window_scale = 7;
    s.payload = {'d', 'a', 't', 'a'};
    out.push_back(capture::craft_segment(s));
    s.options = {};
    s.options.sack = {{1, 2}, {3, 4}};
    s.options.raw = {{30, {1, 2, 3}}};
    out.push_back(capture::craft_segment(s));
  }
  return out;
}

TEST(HexDump, FullPacketsAreAnnotated) {
  const auto all = packets();
  EXPECT_EQ(core::annotated_hex_dump(all[0]).rfind("IPv4 header (20 bytes)\n", 0), 0u);
  EXPECT_EQ(core::annotated_hex_dump(all[2]).rfind("IPv6 header (40 bytes)\n", 0), 0u);
  const std::string v6 = core::annotated_hex_dump(all[3]);
  // The option list's own words (replay's "<sack 1:2 3:4,opt-30>"), then what they mean.
  EXPECT_NE(v6.find("sack 1:2 3:4 (selective acknowledgment blocks left:right)\n"),
            std::string::npos)
      << v6;
  EXPECT_NE(v6.find("opt-30 (unknown kind, 5 bytes)\n"), std::string::npos) << v6;
  EXPECT_NE(v6.find("payload (4 bytes)\n"), std::string::npos) << v6;
}

TEST(HexDump, EveryTruncationIsSafe) {
  for (const auto& p : packets()) {
    for (size_t len = 0; len < p.size(); ++len) {
      // A copy of exactly `len` bytes, so that a sanitizer sees any read past the end.
      const std::vector<uint8_t> cut(p.begin(), p.begin() + static_cast<long>(len));
      const std::string out = core::annotated_hex_dump(cut);
      EXPECT_EQ(out.rfind("(cannot annotate: ", 0), 0u) << "len " << len << "\n" << out;
    }
  }
}

TEST(HexDump, CorruptOptionLengthsAreSafe) {
  for (const auto& p : packets()) {
    const size_t ip = (p[0] >> 4) == 4 ? 20 : 40;
    for (size_t at = ip + 20; at < ip + ((p[ip + 12] >> 4) * 4u); ++at) {
      for (uint8_t v : {0, 1, 2, 3, 0x7f, 0xff}) {
        std::vector<uint8_t> bad = p;
        bad[at] = v;
        const std::string out = core::annotated_hex_dump(bad);
        EXPECT_FALSE(out.empty());
      }
    }
  }
}

}  // namespace
}  // namespace tcpinspect
