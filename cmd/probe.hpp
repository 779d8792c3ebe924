// SPDX-License-Identifier: MIT
#pragma once
#include <chrono>
#include <cstdint>
#include <string>

#include <CLI/CLI.hpp>

/// `tcpinspect probe HOST PORTS`: SYN (or FIN/NULL/Xmas/ACK) probes with the textbook
/// reading of each answer, at a capped rate.
namespace tcpinspect::cmd {

struct ProbeOptions {
  std::string host;
  std::string ports;
  std::string type = "syn";
  double rate = 100.0;  // probes per second (kDefaultRate)
  bool allow_high_rate = false;
  std::chrono::nanoseconds timeout = std::chrono::seconds(1);  // waiting after the last probe
  std::string src;         // default: the route's source address
  std::string sport;       // default: random, fixed for the run
  std::string interface;   // default: the route's interface
  std::string write_file;  // -w: replaced, or added to with --append
  bool append = false;     // --append
  bool dry_run = false;
  bool verbose = false;  // print every probe sent, fold no verdict
  bool quiet = false;    // -q: no progress line (shown only when stderr is a terminal)
};

void add_probe_options(CLI::App& sub, ProbeOptions& options);

/// Checks the rate cap: throws UsageError when rate <= 0, or over kRateLimit without
/// allow_high_rate.
void check_probe_rate(double rate, bool allow_high_rate);

int run_probe(const ProbeOptions& options);

}  // namespace tcpinspect::cmd
