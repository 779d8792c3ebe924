// SPDX-License-Identifier: MIT
#include <pthread.h>
#include <unistd.h>

#include <algorithm>
#include <cctype>
#include <csignal>
#include <cstdio>
#include <filesystem>
#include <span>
#include <string>
#include <thread>
#include <vector>

#include "capture/decoding_reader.hpp"
#include "capture/error.hpp"
#include "capture/merged_capture.hpp"
#include "cmd/analysis_options.hpp"
#include "cmd/command.hpp"
#include "cmd/progress_line.hpp"
#include "cmd/stdout_writer.hpp"
#include "cmd/stop_signals.hpp"
#include "core/render/render.hpp"
#include "core/tcp/inspector.hpp"
#include "core/wire/decode.hpp"
#include "core/wire/frame.hpp"

namespace tcpinspect::cmd {
namespace {

// Frames decoded ahead of their analysis on the one-thread path.
constexpr size_t kOneThreadBatch = 16;
// The one-thread path looks at the clock for the progress line once per this many frames.
constexpr uint64_t kProgressEvery = 4096;

struct ReplayOptions {
  std::string file;                 // the first positional word: a capture (see inputs())
  std::vector<std::string> filter;  // BPF expression words, as tcpdump takes them
  std::vector<std::string> read;    // -r FILE (repeatable)
  uint64_t count = 0;               // -c N: stop after N frames; 0 = all
  int no_resolve = 0;               // -n / -nn: accepted, nothing is ever resolved
  bool quiet = false;               // -q: no progress line
  bool no_checksums = false;
  int threads = 0;  // 0: two when the machine has two or more CPUs, else one
  AnalysisOptions analysis;
};

// The stop signals, blocked in the calling thread while it lives: with two threads they go
// to the reader, the thread that may be blocked in read(2) on a pipe.
class SignalsBlockedHere {
 public:
  explicit SignalsBlockedHere(const sigset_t& set) { pthread_sigmask(SIG_BLOCK, &set, &old_); }
  ~SignalsBlockedHere() { pthread_sigmask(SIG_SETMASK, &old_, nullptr); }
  SignalsBlockedHere(const SignalsBlockedHere&) = delete;
  SignalsBlockedHere& operator=(const SignalsBlockedHere&) = delete;

 private:
  sigset_t old_{};
};

std::string join(const std::vector<std::string>& words) {
  std::string s;
  for (const auto& w : words) {
    if (!s.empty()) s += ' ';
    s += w;
  }
  return s;
}

// "no connection #5 in this capture (it has 1: #1)" when --conn names a connection
// number the capture never reached; empty when every one exists.
std::string missing_connections(const core::ConnFilter& filter, const core::InspectorStats& stats) {
  std::string missing;
  for (const uint32_t n : filter.conns)
    if (n > stats.connections) missing += (missing.empty() ? "#" : ", #") + std::to_string(n);
  if (missing.empty()) return "";
  const uint64_t have = stats.connections;
  return "--conn: no connection " + missing + " in this capture (it has " +
         (have == 0   ? std::string("none")
          : have == 1 ? std::string("1: #1")
                      : std::to_string(have) + ": #1 to #" + std::to_string(have)) +
         ")";
}

// A word no BPF expression starts with but a capture's name does: a capture file's
// extension, or a path (a '/' outside an address: "10.0.0.0/8" and "fe80::/10" are nets).
bool looks_like_file_name(const std::string& word) {
  static constexpr std::string_view kExtensions[] = {".pcap", ".pcapng", ".cap", ".gz",
                                                     ".xz",   ".zst",    ".dmp", ".erf"};
  std::string lower = word;
  for (char& c : lower)
    c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  for (std::string_view ext : kExtensions)
    if (lower.size() > ext.size() && lower.ends_with(ext)) return true;
  const bool address_like = !word.empty() && (std::isdigit(static_cast<unsigned char>(word[0])) ||
                                              word.find(':') != std::string::npos);
  return word.find('/') != std::string::npos && !address_like;
}

// Which words are capture inputs and which the filter. With -r, as tcpdump reads it:
// every positional word is filter. Without: the first word is a capture, and so is each
// next word that names an existing file or directory; the filter starts at the first that
// does not (`replay a.pcap b.pcap tcp port 80`).
void split_inputs(const ReplayOptions& options, std::vector<std::string>& inputs,
                  std::vector<std::string>& filter) {
  inputs = options.read;
  filter = options.filter;
  if (!options.read.empty()) {
    if (!options.file.empty()) filter.insert(filter.begin(), options.file);
  } else {
    if (options.file.empty())
      throw UsageError("replay: a capture to read is required (FILE, or -r FILE)");
    inputs.push_back(options.file);
    size_t captures = 0;
    std::error_code ec;
    while (captures < filter.size() && filter[captures] != "-" &&
           std::filesystem::exists(filter[captures], ec))
      inputs.push_back(filter[captures++]);
    filter.erase(filter.begin(), filter.begin() + static_cast<std::ptrdiff_t>(captures));
    // A mistyped second capture would otherwise be read as a filter and reported as a BPF
    // syntax error.
    if (!filter.empty() && looks_like_file_name(filter.front()))
      throw capture::CaptureError(filter.front() +
                                  ": No such file or directory (nor is it a filter expression)");
  }
  if (std::count(inputs.begin(), inputs.end(), "-") > 1)
    throw UsageError("replay: standard input (-) can be read only once");
}

int run_replay(const ReplayOptions& options) {
  std::vector<std::string> inputs, filter;
  split_inputs(options, inputs, filter);
  capture::MergedCapture inputs_read(inputs);
  for (const std::string& path : inputs_read.skipped())
    std::fprintf(stderr, "tcpinspect: skipped %s: not a capture file\n", path.c_str());
  inputs_read.set_filter(join(filter));
  inputs_read.set_limit(options.count);
  capture::FrameSource& source = inputs_read.frames();
  // Installed once the inputs are open (a Ctrl-C while a FIFO waits for its writer just ends
  // the command). Without SA_RESTART: a read blocked on a pipe or FIFO fails with EINTR, so
  // the replay stops there and analyses what it read. SIGPIPE keeps its default: a reader
  // that went away (`replay ... | head`) ends the replay quietly, as before.
  StopSignals stop({.interrupt_reads = true, .catch_sigpipe = false});

  const core::InspectorConfig config = inspector_config(options.analysis);
  const bool verify_checksums = !options.no_checksums;
  redirect_output(options.analysis);
  const auto render = render_options(options.analysis, ::isatty(STDOUT_FILENO) == 1);
  StdoutWriter out;
  auto renderer = core::make_renderer(render, [&out](std::string_view text) { out.write(text); });
  core::Inspector inspector(config, *renderer);
  ProgressLine progress(progress_wanted(options.quiet));
  uint64_t frames = 0;  // handed to the analysis, for the progress line
  const auto show_progress = [&] {
    progress.tick([&](double elapsed_s) {
      const auto p = inputs_read.progress();
      return format_replay_progress(frames, p.position, p.size, elapsed_s);
    });
  };

  const int threads =
      options.threads > 0 ? options.threads : (std::thread::hardware_concurrency() >= 2 ? 2 : 1);
  const auto finish = [&](const std::string& error) {
    progress.clear();
    // Everything read so far is analysed and summarised, even when an input is damaged.
    inspector.finish();
    out.flush();
    if (const uint64_t n = inputs_read.out_of_range_timestamps(); n != 0)
      std::fprintf(stderr,
                   "tcpinspect: warning: %s: %llu frame(s) skipped, the first frame %llu: "
                   "timestamp after 2262-04-11T23:47:16Z (beyond 64-bit nanoseconds since "
                   "1970)\n",
                   inputs_read.first_out_of_range_input().c_str(),
                   static_cast<unsigned long long>(n),
                   static_cast<unsigned long long>(inputs_read.first_out_of_range_timestamp()));
    // Output that could not be written makes the whole run a failure (it is cut short,
    // perhaps mid-line), and is what the user must hear of first.
    if (out.failed()) throw RunError(out.message());
    // A stop signal: the input was cut short on purpose (its read error is no damage), and
    // the results so far are the command's answer (README: 128 + the signal).
    if (stop.signal() != 0) throw Interrupted(stop.signal());
    if (!error.empty()) throw RunError(error);
    // --conn N beyond the last connection matched nothing: say so rather than print nothing.
    if (const std::string missing = missing_connections(render.filter, inspector.stats());
        !missing.empty())
      throw RunError(missing);
    return 0;
  };
  if (threads >= 2) {
    sigset_t stop_set;
    sigemptyset(&stop_set);
    for (const int sig : {SIGINT, SIGTERM, SIGHUP})
      sigaddset(&stop_set, sig);
    std::string error;
    {
      const SignalsBlockedHere blocked(stop_set);  // outlives the reader thread
      capture::DecodingReader reader(source, verify_checksums, &stop_set);
      for (;;) {
        const auto block = reader.next_block();
        if (block.empty()) {
          error = reader.error();  // written before the last block: safe to read now
          break;
        }
        inspector.feed(block);
        frames += block.size();
        show_progress();
        // Reading stops once standard output has failed (nothing more could be shown) or a
        // stop signal came (also while reading a long regular file, which the signal does
        // not interrupt); the reader thread stops with the reader.
        if (out.failed() || stop.requested()) break;
      }
    }
    return finish(error);
  }
  // One thread: frames are decoded a batch ahead of their analysis so the inspector can
  // prefetch their connections; only a source that keeps frames valid across reads (a
  // chunked classic pcap) allows more than one. A small batch stays in the L1 cache between
  // its decoding and its analysis.
  const size_t batch_size = source.hold_frames() ? kOneThreadBatch : 1;
  std::vector<core::DecodedFrame> batch(batch_size);
  size_t count = 0;
  core::Frame frame;
  while (!out.failed() && !stop.requested()) {
    const auto status = source.next(frame);
    if (status == capture::FrameSource::ReadStatus::Frame) {
      core::decode_frame(source.link(), frame, batch[count++], verify_checksums);
      if (count == batch_size) {
        inspector.feed(std::span<const core::DecodedFrame>(batch.data(), count));
        count = 0;
        source.release_held();
      }
      if (++frames % kProgressEvery == 0) show_progress();
      continue;
    }
    inspector.feed(std::span<const core::DecodedFrame>(batch.data(), count));
    return finish(status == capture::FrameSource::ReadStatus::Error ? source.error_message()
                                                                    : std::string());
  }
  // Stopped by a signal (or output failed): the frames decoded so far are analysed too.
  inspector.feed(std::span<const core::DecodedFrame>(batch.data(), count));
  return finish({});
}

}  // namespace

void register_replay(CLI::App& app, Action& action) {
  auto options = std::make_shared<ReplayOptions>();
  auto* sub =
      app.add_subcommand("replay", "Decode a pcap/pcapng capture and annotate every TCP segment");
  sub->add_option("file", options->file,
                  "Capture file or directory (pcap or pcapng, also gzip/xz/zstd-compressed); - "
                  "for standard input. More captures may follow: all are merged in time order");
  sub->add_option("filter", options->filter,
                  "BPF filter expression, as for tcpdump (it starts at the first word that is "
                  "not an existing file; with -r, every word is filter)");
  sub->add_option("-r,--read", options->read,
                  "Capture to read, as tcpdump -r (repeatable; files and directories are merged "
                  "in time order)")
      ->allow_extra_args(false);
  sub->add_option("-c,--count", options->count,
                  "Stop after this many frames (those that pass the filter), as tcpdump -c")
      ->check(CLI::PositiveNumber);
  sub->add_flag("-n", options->no_resolve,
                "Accepted for tcpdump's -n/-nn: tcpinspect never resolves names or ports");
  sub->add_flag("-q,--quiet", options->quiet,
                "No progress line on standard error (shown only when it is a terminal)");
  sub->add_flag("--no-checksums", options->no_checksums, "Do not verify TCP/IP checksums");
  sub->add_option("--threads", options->threads,
                  "1: read, decode and analyse on one thread; 2: read and decode on a second "
                  "thread (default when there are two or more CPUs). The output is the same")
      ->check(CLI::Validator(
          [](const std::string& v) {
            return v == "1" || v == "2" ? std::string() : "must be 1 or 2, not '" + v + "'";
          },
          "1|2"));
  add_analysis_options(*sub, options->analysis);
  sub->footer(kFilterHelp);
  sub->callback([options, &action] { action = [options] { return run_replay(*options); }; });
}

}  // namespace tcpinspect::cmd
