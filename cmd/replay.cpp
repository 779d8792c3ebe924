// SPDX-License-Identifier: MIT
#include <unistd.h>

#include <cstdio>
#include <string>
#include <thread>
#include <vector>

#include "capture/decoding_reader.hpp"
#include "capture/pcap_file_source.hpp"
#include "cmd/analysis_options.hpp"
#include "cmd/command.hpp"
#include "cmd/stdout_writer.hpp"
#include "core/wire/decode.hpp"
#include "core/tcp/inspector.hpp"
#include "core/render/render.hpp"

namespace tcpinspect::cmd {
namespace {

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

  core::InspectorConfig config = inspector_config(options.analysis);
  config.verify_checksums = !options.no_checksums;
  const auto render = render_options(options.analysis, ::isatty(STDOUT_FILENO) == 1);
  StdoutWriter out;
  auto renderer = core::make_renderer(render, [&out](std::string_view text) { out.write(text); });
  core::Inspector inspector(*link, config, *renderer);

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
    capture::DecodingReader reader(source, *link, config.verify_checksums);
    // Reading stops once standard output has failed: nothing more could be shown.
    for (auto block = reader.next_block(); !block.empty() && !out.failed();
         block = reader.next_block())
      inspector.feed_decoded(block);
    return finish(reader.error());
  }
  // One thread: frames go to the inspector in batches so it can decode ahead and
  // prefetch; only a source that keeps frames valid across reads (a mapped classic pcap)
  // allows that.
  const size_t batch_size = source.hold_frames() ? 64 : 1;
  std::vector<core::Frame> batch;
  batch.reserve(batch_size);
  capture::RawFrame raw;
  while (!out.failed()) {
    const auto status = source.next(raw);
    if (status == capture::PcapFileSource::ReadStatus::Frame) {
      batch.push_back(core::Frame{raw.index, raw.ts_ns, raw.data, raw.wire_len});
      if (batch.size() == batch_size) {
        inspector.feed(batch);
        batch.clear();
        source.release_held();
      }
      continue;
    }
    inspector.feed(batch);
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
  sub->callback([options, &action] { action = [options] { return run_replay(*options); }; });
}

}  // namespace tcpinspect::cmd
