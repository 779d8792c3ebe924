// SPDX-License-Identifier: MIT
#pragma once
#include <chrono>
#include <string>
#include <vector>

#include <CLI/CLI.hpp>

#include "capture/tcp_crafter.hpp"

/// `tcpinspect craft`: build any TCP segment, then print it (--hex), write it to a pcap
/// (-w), send it (--send), and wait for the reply (--reply MS).
namespace tcpinspect::cmd {

/// Every field as typed; build_segment_spec() parses and checks them.
struct CraftOptions {
  std::string src;  // default: the source address the route to --dst uses
  std::string dst;
  std::string sport;  // default: random ephemeral
  std::string dport;
  std::string flags = "S";
  std::string seq;  // default: random
  std::string ack = "0";
  std::string window = "64240";
  std::string urg_ptr = "0";
  int ttl = 64;
  std::string ip_id;  // default: random, never 0
  bool df = false;
  int tos = 0;
  std::string flow_label = "0";
  int mss = -1;     // -1: no option
  int wscale = -1;  // -1: no option
  bool sack_ok = false;
  std::string sack;  // "L-R[,L-R]"
  std::string ts;    // "VAL:ECR"
  std::string tfo_cookie;
  bool tfo_request = false;
  std::vector<std::string> raw_options;  // "KIND:HEX" or "KIND"
  std::string data;
  std::string data_hex;
  std::string data_file;
  bool bad_checksum = false;

  bool send = false;
  bool dry_run = false;
  std::string write_file;  // -w: replaced, or added to with --append
  bool append = false;     // --append
  bool hex = false;
  std::chrono::nanoseconds reply{-1};  // --reply: how long to wait; negative: do not wait
  std::string interface;  // where to listen for the reply (default: the route's interface)
  int count = 1;          // -c: send the segment this many times (as hping3 -c)
  std::chrono::nanoseconds interval = std::chrono::seconds(1);  // -i: between two of them
  bool allow_high_rate = false;  // -i under 1 ms (over kRateLimit per second)
  bool annotate = true;          // --no-annotate: skip the analyzer's view of the exchange
};

/// Adds craft's options to `sub`.
void add_craft_options(CLI::App& sub, CraftOptions& options);

/// Parses and checks every field (no privilege, no I/O except --data-file). `default_src`
/// is used when --src is empty. Throws UsageError with one line naming the option.
capture::SegmentSpec build_segment_spec(const CraftOptions& options,
                                        const core::IpAddress& default_src);

int run_craft(const CraftOptions& options);

}  // namespace tcpinspect::cmd
