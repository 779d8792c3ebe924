// SPDX-License-Identifier: MIT
#pragma once
#include <chrono>
#include <cstdint>
#include <string>
#include <vector>

#include <CLI/CLI.hpp>

#include "capture/file_rotation.hpp"
#include "capture/live_source.hpp"
#include "cmd/analysis_options.hpp"

/// `tcpinspect trace IFACE [FILTER...]`: replay's annotations, live.
namespace tcpinspect::cmd {

struct TraceOptions {
  std::string interface;           // -i IFACE (else the first word)
  std::vector<std::string> words;  // IFACE and/or BPF filter words, as typed
  AnalysisOptions analysis;
  bool no_checksums = false;             // --no-checksums, as replay
  uint64_t count = 0;                    // -c N: stop after N frames (0: no limit)
  std::chrono::nanoseconds duration{0};  // --duration: stop after this long (0: no limit)
  std::string write_file;                // -w FILE: also write every captured frame to a pcap
  bool append = false;                   // --append: add to the -w file instead of replacing it
  int snaplen = capture::LiveOptions{}.snaplen;        // -s
  int buffer_kib = capture::LiveOptions{}.buffer_kib;  // -B
  bool no_promiscuous = false;                         // -p
  bool immediate = false;        // --immediate: per-packet delivery instead of 10 ms blocks
  std::string user;              // -Z USER
  bool list_interfaces = false;  // -D: list interfaces as tcpdump -D does, and exit
  std::string file_size;         // -C N: rotate -w after N million bytes (tcpdump's)
  std::chrono::nanoseconds rotate_every{0};  // -G: rotate -w this often (0: not; strftime name)
  uint32_t file_count = 0;  // -W N: a ring of N files (-C), or stop after N files (-G)
};

/// Adds trace's options and positional words to `sub`.
void add_trace_options(CLI::App& sub, TraceOptions& options);

/// The capture the options ask for: interface from -i or the first word, the other words
/// joined into the BPF filter. Throws UsageError when no interface is named.
capture::LiveOptions live_options(const TraceOptions& options);

/// -C/-G/-W as capture/file_rotation takes them. Throws UsageError for a bad value, for any
/// of them without -w, and for -W without -C or -G.
capture::RotationOptions rotation_options(const TraceOptions& options);

/// `trace -D`: tcpdump -D's list on standard output.
int list_interfaces_like_tcpdump();

/// Runs the capture until -c, --duration, or SIGINT/SIGTERM/SIGHUP; returns the exit code.
int run_trace(const TraceOptions& options);

}  // namespace tcpinspect::cmd
