// SPDX-License-Identifier: MIT
#pragma once
#include <chrono>
#include <cstdint>
#include <string>

#include <CLI/CLI.hpp>

#include "cmd/ip_parse.hpp"

/// `tcpinspect reset --conn A:PORT,B:PORT -i IFACE`: the lab demonstration of RST
/// injection (RFC 5961 3.2). Follows the connection in both directions, sends B a RST that
/// appears to come from A with seq = B's RCV.NXT (+ --offset) at a moment when nothing can
/// move RCV.NXT before it lands, shows what followed, and tries again while B keeps talking.
namespace tcpinspect::cmd {

struct ResetOptions {
  std::string conn;  // "A:PORT,B:PORT": the RST goes to B, from A
  std::string interface;
  int64_t offset = 0;  // bytes added to RCV.NXT (in window: a challenge ACK instead)
  std::chrono::nanoseconds wait = std::chrono::seconds(30);    // for a segment of the connection
  std::chrono::nanoseconds observe = std::chrono::seconds(1);  // watching after each RST
  int attempts = 5;                   // RSTs tried while the victim keeps talking (1 with --offset)
  int spray = 1;                      // RSTs per attempt: RCV.NXT, then one spray_step further each
  std::string spray_step = "window";  // tcpkill's window steps, or "segment" boundaries
  std::string write_file;             // -w: the RST sent; replaced, or added to with --append
  bool append = false;                // --append
  bool dry_run = false;
};

/// Both ends of --conn. Throws UsageError for anything but two HOST:PORT of one IP version.
struct ConnEnds {
  IpPort a;  // the side the RST pretends to come from
  IpPort b;  // the side that is reset
};
ConnEnds parse_conn(const std::string& text);

void add_reset_options(CLI::App& sub, ResetOptions& options);
int run_reset(const ResetOptions& options);

}  // namespace tcpinspect::cmd
