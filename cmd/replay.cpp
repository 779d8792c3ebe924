// SPDX-License-Identifier: MIT
#include <unistd.h>

#include <cstdio>
#include <span>
#include <string>
#include <thread>
#include <vector>

#include "capture/decoding_reader.hpp"
#include "capture/pcap_file_source.hpp"
#include "cmd/analysis_options.hpp"
#include "cmd/command.hpp"
#include "cmd/stdout_writer.hpp"
#include "core/render/render.hpp"
#include "core/tcp/inspector.hpp"
#include "core/wire/decode.hpp"
#include "core/wire/frame.hpp"

namespace tcpinspect::cmd {
namespace {

// Frames decoded ahead of their analysis on the one-thread path.
constexpr size_t kOneThreadBatch = 16;

struct ReplayOptions {
  std::string file;                 // pcap or pcapng; "-" = standard input
  std::vector<std::string> filter;  // BPF expression words, as tcpdump takes them
  bool no_checksums = false;
  int threads = 0;  // 0: two when the machine has two or more CPUs, else one
  AnalysisOptions analysis;
};

std::string join(const std::vector<std::string>& words) {
  std::string s;
  for (const auto& w : words) {
    if (!s.empty()) s += ' ';
    s += w;
  }
  return s;
}

int run_replay(const ReplayOptions& options) {
  capture::PcapFileSource source(options.file);
  source.set_filter(join(options.filter));
  const auto link = core::link_type_from_dlt(source.datalink());
  if (!link)
    throw RunError(options.file + ": unsupported link type " + source.datalink_name() +
                   " (tcpinspect reads Ethernet, Linux cooked v1/v2, raw IP and BSD loopback)");

  const core::InspectorConfig config = inspector_config(options.analysis);
  const bool verify_checksums = !options.no_checksums;
  redirect_output(options.analysis);
  const auto render = render_options(options.analysis, ::isatty(STDOUT_FILENO) == 1);
  StdoutWriter out;
  auto renderer = core::make_renderer(render, [&out](std::string_view text) { out.write(text); });
  core::Inspector inspector(config, *renderer);

  const int threads =
      options.threads > 0 ? options.threads : (std::thread::hardware_concurrency() >= 2 ? 2 : 1);
  const auto finish = [&](const std::string& error) {
    // Everything read so far is analysed and summarised, even when the file is damaged.
    inspector.finish();
    out.flush();
    if (const uint64_t n = source.out_of_range_timestamps(); n != 0)
      std::fprintf(stderr,
                   "tcpinspect: warning: %s: %llu frame(s) skipped, the first frame %llu: "
                   "timestamp after 2262-04-11T23:47:16Z (beyond 64-bit nanoseconds since "
                   "1970)\n",
                   options.file.c_str(), static_cast<unsigned long long>(n),
                   static_cast<unsigned long long>(source.first_out_of_range_timestamp()));
    // Output that could not be written makes the whole run a failure (it is cut short,
    // perhaps mid-line), and is what the user must hear of first.
    if (out.failed()) throw RunError(out.message());
    if (!error.empty()) throw RunError(error);
    return 0;
  };
  if (threads >= 2) {
    capture::DecodingReader reader(source, *link, verify_checksums);
    // Reading stops once standard output has failed: nothing more could be shown.
    for (auto block = reader.next_block(); !block.empty() && !out.failed();
         block = reader.next_block())
      inspector.feed(block);
    return finish(reader.error());
  }
  // One thread: frames are decoded a batch ahead of their analysis so the inspector can
  // prefetch their connections; only a source that keeps frames valid across reads (a
  // mapped classic pcap) allows more than one. A small batch stays in the L1 cache between
  // its decoding and its analysis.
  const size_t batch_size = source.hold_frames() ? kOneThreadBatch : 1;
  std::vector<core::DecodedFrame> batch(batch_size);
  size_t count = 0;
  core::Frame frame;
  while (!out.failed()) {
    const auto status = source.next(frame);
    if (status == capture::PcapFileSource::ReadStatus::Frame) {
      core::decode_frame(*link, frame, batch[count++], verify_checksums);
      if (count == batch_size) {
        inspector.feed(std::span<const core::DecodedFrame>(batch.data(), count));
        count = 0;
        source.release_held();
      }
      continue;
    }
    inspector.feed(std::span<const core::DecodedFrame>(batch.data(), count));
    return finish(status == capture::PcapFileSource::ReadStatus::Error ? source.error_message()
                                                                       : std::string());
  }
  return finish({});
}

}  // namespace

void register_replay(CLI::App& app, Action& action) {
  auto options = std::make_shared<ReplayOptions>();
  auto* sub =
      app.add_subcommand("replay", "Decode a pcap/pcapng capture and annotate every TCP segment");
  sub->add_option("file", options->file, "Capture file (pcap or pcapng); - for standard input")
      ->required();
  sub->add_option("filter", options->filter, "BPF filter expression, as for tcpdump");
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
