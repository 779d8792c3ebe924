// SPDX-License-Identifier: MIT
// craft/probe/reset command lines parsed in-process: the one-line errors users see, the
// privilege message (in a child that became nobody), and what craft prints.
#include <gtest/gtest.h>

#include <grp.h>
#include <stdlib.h>
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <string>
#include <vector>

#include "cmd/command.hpp"
#include "cmd/craft.hpp"
#include "cmd/probe.hpp"
#include "cmd/reset.hpp"
#include "cmd/run_command_line.hpp"
#include "core/lab/hex_dump.hpp"
#include "tests/capture_live/fork_as.hpp"

namespace tcpinspect::cmd {
namespace {

// Parses and runs one command line with main()'s own error mapping; returns the exit code
// and the one-line message.
struct Outcome {
  int code = 0;
  std::string message;
};

Outcome run(std::vector<std::string> args) {
  CLI::App app{"test", "tcpinspect"};
  app.require_subcommand(1);
  Action action;
  register_craft(app, action);
  register_probe(app, action);
  register_reset(app, action);
  args.insert(args.begin(), "tcpinspect");
  std::vector<const char*> argv;
  for (auto& a : args)
    argv.push_back(a.c_str());
  const CommandOutcome o =
      run_command_line(app, action, static_cast<int>(argv.size()), argv.data());
  return {o.code, o.error};
}

TEST(CraftCli, BadPortsAndAddresses) {
  Outcome o = run({"craft", "--dst", "10.202.0.2", "--dport", "70000", "--dry-run"});
  EXPECT_EQ(o.code, 2);
  EXPECT_EQ(o.message, "--dport '70000': out of range (1-65535)");
  o = run({"craft", "--dst", "10.202.0.300", "--dport", "80", "--src", "10.202.0.1"});
  EXPECT_EQ(o.code, 2);
  EXPECT_EQ(o.message, "--dst: '10.202.0.300' is not an IPv4 or IPv6 address");
  o = run({"craft", "--dst", "10.202.0.2", "--src", "fd00::1", "--dport", "80"});
  EXPECT_EQ(o.code, 2);
  EXPECT_EQ(o.message, "--src fd00::1 and --dst 10.202.0.2 are not the same IP version");
  o = run(
      {"craft", "--dst", "10.202.0.2", "--src", "10.202.0.1", "--dport", "80", "--flags", "SZ"});
  EXPECT_EQ(o.code, 2);
  EXPECT_NE(o.message.find("unknown flag letter 'Z'"), std::string::npos) << o.message;
  o = run({"craft", "--dst", "10.202.0.2", "--src", "10.202.0.1", "--dport", "80", "--seq", "-1"});
  EXPECT_EQ(o.code, 2);
  EXPECT_EQ(o.message, "--seq: '-1' is not a number 0-4294967295");
  o = run(
      {"craft", "--dst", "10.202.0.2", "--src", "10.202.0.1", "--dport", "80", "--reply", "100ms"});
  EXPECT_EQ(o.code, 2);
  EXPECT_EQ(o.message, "--reply needs --send");
  o = run({"craft", "--dst", "10.202.0.2", "--src", "10.202.0.1", "--dport", "80", "--ts", "5"});
  EXPECT_EQ(o.code, 2);
  EXPECT_EQ(o.message, "--ts: '5' is not VAL:ECR");
  o = run({"craft", "--dst", "10.202.0.2", "--src", "10.202.0.1", "--dport", "80", "--data", "x",
           "--data-hex", "00"});
  EXPECT_EQ(o.code, 2);
  EXPECT_EQ(o.message, "give only one of --data, --data-hex, --data-file");
  o = run({"craft", "--dst", "10.202.0.2", "--src", "10.202.0.1", "--dport", "80", "--mss", "1460",
           "--ts", "1:2", "--sack", "1-2,3-4,5-6"});
  EXPECT_EQ(o.code, 2);
  EXPECT_EQ(o.message, "TCP options take 44 bytes; at most 40 fit in the header");
  o = run(
      {"craft", "--dst", "10.202.0.2", "--src", "10.202.0.1", "--dport", "80", "--opt", "30:zz"});
  EXPECT_EQ(o.code, 2);
  EXPECT_EQ(o.message, "--opt: 'z' is not a hex digit");
  o = run({"craft", "--dport", "80"});
  EXPECT_EQ(o.code, 2);
  EXPECT_NE(o.message.find("--dst is required"), std::string::npos) << o.message;
}

TEST(ProbeCli, BadRangesRateAndHost) {
  Outcome o = run({"probe", "10.202.0.2", "5-3", "--dry-run"});
  EXPECT_EQ(o.code, 2);
  EXPECT_EQ(o.message, "port range '5-3' runs backwards");
  o = run({"probe", "10.202.0.2", "0", "--dry-run"});
  EXPECT_EQ(o.code, 2);
  EXPECT_EQ(o.message, "port '0': port 0 is not allowed (1-65535)");
  o = run({"probe", "10.202.0.2", "80", "--rate", "5000", "--dry-run"});
  EXPECT_EQ(o.code, 2);
  EXPECT_EQ(o.message,
            "--rate 5000 is over the cap of 1000/s; add --allow-high-rate if this lab network can "
            "take it");
  o = run({"probe", "10.202.0.2", "80", "--rate", "0", "--dry-run"});
  EXPECT_EQ(o.code, 2);
  EXPECT_EQ(o.message, "--rate must be above 0 probes per second");
  o = run({"probe", "example.org", "80", "--dry-run"});
  EXPECT_EQ(o.code, 2);
  EXPECT_EQ(o.message, "HOST: 'example.org' is not an IPv4 or IPv6 address (no name lookup)");
  o = run({"probe", "10.202.0.2", "80", "--type", "bogus"});
  EXPECT_EQ(o.code, 2);
  EXPECT_NO_THROW(check_probe_rate(5000, true));
  EXPECT_NO_THROW(check_probe_rate(1000, false));
}

TEST(ResetCli, BadConnections) {
  Outcome o = run({"reset", "--conn", "10.202.0.1:5000", "-i", "lo"});
  EXPECT_EQ(o.code, 2);
  EXPECT_EQ(o.message, "--conn: '10.202.0.1:5000' is not SRC:PORT,DST:PORT");
  o = run({"reset", "--conn", "10.202.0.1:5000,[fd00::2]:80", "-i", "lo"});
  EXPECT_EQ(o.code, 2);
  EXPECT_EQ(o.message, "--conn: both ends must be IPv4 or both IPv6");
  o = run({"reset", "--conn", "10.202.0.1:0,10.202.0.2:80", "-i", "lo"});
  EXPECT_EQ(o.code, 2);
  EXPECT_EQ(o.message, "--conn SRC '0': port 0 is not allowed (1-65535)");
  const ConnEnds c = parse_conn("[fd00:202::1]:41000,[fd00:202::2]:80");
  EXPECT_EQ(c.a.port, 41000);
  EXPECT_EQ(c.b.port, 80);
  EXPECT_EQ(c.b.ip.version, 6);
}

// In a child that dropped root for nobody, every sending command must say what is missing
// in one line. (CI runs as root; elsewhere the test cannot drop privileges and skips.)
std::string message_as_nobody(const std::vector<std::string>& args) {
  return testing::in_child([&] {
    if (::setgroups(0, nullptr) != 0 || ::setgid(65534) != 0 || ::setuid(65534) != 0)
      return std::string("could not become nobody");
    const Outcome o = run(args);
    return std::to_string(o.code) + " " + o.message;
  });
}

TEST(Privilege, MissingCapNetRawIsOneClearLine) {
  if (::geteuid() != 0) GTEST_SKIP() << "needs root to drop to nobody";
  for (const auto& args : std::vector<std::vector<std::string>>{
           {"craft", "--dst", "127.0.0.1", "--src", "127.0.0.1", "--dport", "9", "--send"},
           {"probe", "127.0.0.1", "9"},
           {"reset", "--conn", "127.0.0.1:1000,127.0.0.1:2000", "-i", "lo"}}) {
    const std::string m = message_as_nobody(args);
    EXPECT_EQ(m.rfind("1 ", 0), 0u) << m;
    EXPECT_NE(m.find(" needs CAP_NET_RAW: run with sudo, or grant it with: sudo setcap "
                     "cap_net_raw,cap_net_admin=eip "),
              std::string::npos)
        << m;
    EXPECT_EQ(m.find('\n'), std::string::npos) << m;
  }
  // A dry run and a pcap file need no privilege.
  const std::string dry =
      message_as_nobody({"probe", "127.0.0.1", "9", "--dry-run", "--src", "127.0.0.1", "-i", "lo"});
  EXPECT_EQ(dry, "0 ") << dry;
}

TEST(CraftCli, CountAndIntervalErrors) {
  const std::vector<std::string> base = {"craft",      "--src",   "10.202.0.1", "--dst",
                                         "10.202.0.2", "--dport", "80",         "--dry-run"};
  auto with = [&](std::vector<std::string> extra) {
    std::vector<std::string> args = base;
    args.insert(args.end(), extra.begin(), extra.end());
    return run(args);
  };
  Outcome o = with({"-c", "3", "-i", "500us"});
  EXPECT_EQ(o.code, 2);
  EXPECT_EQ(o.message,
            "-i 500us is over the cap of 1000 segments/s; add --allow-high-rate if this lab "
            "network can take it");
  EXPECT_EQ(with({"-c", "3", "-i", "500us", "--allow-high-rate"}).code, 0);
  EXPECT_EQ(with({"-c", "3", "-i", "1ms"}).code, 0);  // exactly the cap
  EXPECT_EQ(with({"-i", "0"}).code, 0);               // one segment: no interval to cap
  o = with({"-c", "2", "-i", "fast"});
  EXPECT_EQ(o.code, 2);
  EXPECT_EQ(o.message, "--interval 'fast': not a duration (500ms, 2s, or seconds) (see --help)");
  EXPECT_EQ(with({"-c", "0"}).code, 2);
  o = run({"craft", "--dst", "127.0.0.1", "--dport", "9", "--send", "--reply", "100ms", "-c", "2"});
  EXPECT_EQ(o.code, 2);
  EXPECT_EQ(o.message, "--reply waits for the reply to one segment: leave out -c");
}

// -c N -w writes N frames; without --send nothing waits for -i.
TEST(CraftCli, CountWritesThatManyFrames) {
  char path[] = "/tmp/ti-craft-count-XXXXXX";
  const int fd = ::mkstemp(path);
  ASSERT_GE(fd, 0);
  ::close(fd);
  ::unlink(path);
  ::testing::internal::CaptureStdout();
  const auto started = std::chrono::steady_clock::now();
  const Outcome o = run({"craft", "--src", "10.202.0.1", "--dst", "10.202.0.2", "--dport", "80",
                         "-c", "3", "-i", "2s", "-w", path});
  const auto took = std::chrono::steady_clock::now() - started;
  const std::string out = ::testing::internal::GetCapturedStdout();
  EXPECT_EQ(o.code, 0) << o.message;
  EXPECT_NE(out.find("wrote 3 packets to "), std::string::npos) << out;
  EXPECT_LT(took, std::chrono::seconds(1));
  FILE* f = std::fopen(path, "rb");
  ASSERT_NE(f, nullptr);
  std::fseek(f, 0, SEEK_END);
  // pcap header 24 + 3 x (record header 16 + IPv4 20 + TCP 20).
  EXPECT_EQ(std::ftell(f), 24 + 3 * (16 + 40));
  std::fclose(f);
  ::unlink(path);
}

TEST(CraftCli, HexDumpMarksEveryField) {
  ::testing::internal::CaptureStdout();
  const Outcome o =
      run({"craft",         "--src", "10.202.0.1", "--dst", "10.202.0.2", "--sport",  "40000",
           "--dport",       "80",    "--seq",      "1000",  "--id",       "0x1234",   "--df",
           "--mss",         "1460",  "--sack-ok",  "--ts",  "1:0",        "--wscale", "7",
           "--data",        "hi",    "--flags",    "PA",    "--ack",      "7",        "--hex",
           "--bad-checksum"});
  const std::string out = ::testing::internal::GetCapturedStdout();
  EXPECT_EQ(o.code, 0) << o.message;
  for (const char* line : {
           "IPv4 header (20 bytes)\n",
           "0000  45                        version 4, header length 20 bytes\n",
           "0004  12 34                     identification 0x1234 (4660)\n",
           "0006  40 00                     flags DF, fragment offset 0\n",
           "000c  0a ca 00 01               source 10.202.0.1\n",
           "TCP header (40 bytes)\n",
           "0014  9c 40                     source port 40000\n",
           "0018  00 00 03 e8               sequence number 1000\n",
           "001c  00 00 00 07               acknowledgment number 7\n",
           "0020  a0 18                     data offset 10 (40 bytes), flags [PSH,ACK]\n",
           "TCP options (20 bytes)\n",
           "0028  02 04 05 b4               mss 1460 (maximum segment size)\n",
           "002c  04 02                     sackOK (SACK permitted)\n",
           "002e  08 0a 00 00 00 01 00 00   TS 1/0 (timestamps TSval/TSecr)\n",
           "0038  01                        nop (no-operation, padding)\n",
           "0039  03 03 07                  wscale 7 (window scale shift count)\n",
           "payload (2 bytes)\n",
           "crafted  10.202.0.1:40000 > 10.202.0.2:80 [PSH,ACK] seq=1000 ack=7 win=64240 len=2 "
           "<mss 1460,sackOK,TS 1/0,nop,wscale 7> (bad checksum)\n",
       })
    EXPECT_NE(out.find(line), std::string::npos) << "missing: " << line << "\nin:\n" << out;
  EXPECT_NE(out.find("(WRONG: correct is 0x"), std::string::npos) << out;
}

TEST(HexDump, NotTcpFallsBackToPlainDump) {
  const std::vector<uint8_t> junk = {0x45, 0x00, 0x00};
  const std::string out = core::annotated_hex_dump(junk);
  EXPECT_EQ(out.rfind("(cannot annotate: ", 0), 0u) << out;
  EXPECT_NE(out.find("0000  45 00 00"), std::string::npos) << out;
}

}  // namespace
}  // namespace tcpinspect::cmd
