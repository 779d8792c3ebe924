// SPDX-License-Identifier: MIT
#include <cstdlib>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "capture/error.hpp"
#include "capture/interfaces.hpp"
#include "capture/privileges.hpp"
#include "cmd/analysis_options.hpp"
#include "cmd/command.hpp"
#include "cmd/trace.hpp"
#include "fork_as.hpp"

namespace tcpinspect::cmd {
namespace {

// Parses `args` (after the program name) as CLI11 would from argv.
void parse(CLI::App& app, std::vector<std::string> args) {
  std::vector<std::string> reversed(args.rbegin(), args.rend());
  app.parse(reversed);  // CLI11 takes the vector form in reverse order
}

TraceOptions parse_trace(std::vector<std::string> args) {
  CLI::App app{"test"};
  TraceOptions options;
  add_trace_options(*app.add_subcommand("trace"), options);
  args.insert(args.begin(), "trace");
  parse(app, args);
  return options;
}

TEST(TraceOptions, FirstWordIsInterfaceRestIsFilter) {
  const TraceOptions o = parse_trace({"eth0", "tcp", "port", "80"});
  const capture::LiveOptions live = live_options(o);
  EXPECT_EQ(live.interface, "eth0");
  EXPECT_EQ(live.filter, "tcp port 80");
  EXPECT_TRUE(live.promiscuous);
  EXPECT_FALSE(live.immediate);  // dense blocks, handed over within 1 ms
  EXPECT_EQ(live.timeout_ms, 1);
  EXPECT_EQ(live.snaplen, 262144);
  EXPECT_EQ(live.buffer_kib, 32768);
  EXPECT_EQ(o.count, 0u);
  EXPECT_EQ(o.duration.count(), 0);
  EXPECT_EQ(o.analysis.format, "text");
}

TEST(TraceOptions, DashIMakesEveryWordFilter) {
  const capture::LiveOptions live = live_options(parse_trace({"-i", "any", "host", "10.0.0.1"}));
  EXPECT_EQ(live.interface, "any");
  EXPECT_EQ(live.filter, "host 10.0.0.1");
}

TEST(TraceOptions, TcpdumpStyleOptions) {
  // clang-format off
  const TraceOptions o = parse_trace({
      "-i", "lo", "-c", "7", "--duration", "2.5", "-w", "out.pcap", "-s", "128",
      "-B", "1024", "-p", "--immediate", "-Z", "nobody", "--format", "jsonl", "--absolute",
      "--color", "never", "--msl", "1.5", "--max-connections", "10000",
      "--idle-timeout", "90", "tcp", "port", "7"});
  // clang-format on
  EXPECT_EQ(o.count, 7u);
  EXPECT_EQ(o.duration, std::chrono::milliseconds(2500));
  EXPECT_EQ(o.write_file, "out.pcap");
  EXPECT_EQ(o.user, "nobody");
  const capture::LiveOptions live = live_options(o);
  EXPECT_EQ(live.interface, "lo");
  EXPECT_EQ(live.filter, "tcp port 7");
  EXPECT_EQ(live.snaplen, 128);
  EXPECT_EQ(live.buffer_kib, 1024);
  EXPECT_FALSE(live.promiscuous);
  EXPECT_TRUE(live.immediate);

  const core::InspectorConfig config = inspector_config(o.analysis);
  EXPECT_EQ(config.msl_ns, 1'500'000'000);
  EXPECT_EQ(config.idle_timeout_ns, 90'000'000'000);
  EXPECT_EQ(config.max_connections, 10000u);
  const core::RenderOptions render = render_options(o.analysis, true);
  EXPECT_EQ(render.format, core::OutputFormat::Jsonl);
  EXPECT_TRUE(render.absolute);
  EXPECT_FALSE(render.color);
  EXPECT_EQ(render.msl_ns, 1'500'000'000);
}

// The analysis defaults have one source, core::InspectorConfig: without options the CLI asks
// for exactly its values (and the renderer explains TIME_WAIT with the same MSL).
TEST(TraceOptions, AnalysisDefaultsAreInspectorConfigs) {
  const TraceOptions o = parse_trace({"lo"});
  const core::InspectorConfig want;
  const core::InspectorConfig got = inspector_config(o.analysis);
  EXPECT_EQ(got.msl_ns, want.msl_ns);
  EXPECT_EQ(got.idle_timeout_ns, want.idle_timeout_ns);
  EXPECT_EQ(got.max_connections, want.max_connections);
  EXPECT_EQ(render_options(o.analysis, false).msl_ns, want.msl_ns);
  EXPECT_EQ(core::RenderOptions{}.msl_ns, want.msl_ns);
  // What --help shows as the defaults.
  CLI::App app{"test"};
  TraceOptions shown;
  auto* sub = app.add_subcommand("trace");
  add_trace_options(*sub, shown);
  EXPECT_EQ(sub->get_option("--msl")->get_default_str(), "30s");
  EXPECT_EQ(sub->get_option("--idle-timeout")->get_default_str(), "1h");
  EXPECT_EQ(sub->get_option("--max-connections")->get_default_str(), "200000");
}

TEST(TraceOptions, NoInterfaceIsUsageError) {
  const TraceOptions o = parse_trace({});
  EXPECT_THROW(live_options(o), UsageError);
}

TEST(TraceOptions, RejectsBadValues) {
  EXPECT_THROW(parse_trace({"lo", "--format", "xml"}), CLI::ValidationError);
  EXPECT_THROW(parse_trace({"lo", "-c", "0"}), CLI::ValidationError);
  EXPECT_THROW(parse_trace({"lo", "-c", "x"}), CLI::ParseError);
  EXPECT_THROW(parse_trace({"lo", "--duration", "-1"}), CLI::ValidationError);
  EXPECT_THROW(parse_trace({"lo", "-s", "0"}), CLI::ValidationError);
  EXPECT_THROW(parse_trace({"lo", "--color", "sometimes"}), CLI::ValidationError);
}

// tcpdump's -C/-G/-W: -C in millions of bytes, -G in seconds (or with a unit), -W a count.
TEST(TraceOptions, RotationLikeTcpdump) {
  capture::RotationOptions r =
      rotation_options(parse_trace({"lo", "-w", "c.pcap", "-C", "100", "-W", "10"}));
  EXPECT_EQ(r.max_file_bytes, 100'000'000u);
  EXPECT_EQ(r.interval.count(), 0);
  EXPECT_EQ(r.file_count, 10u);
  r = rotation_options(parse_trace({"lo", "-w", "c-%H.pcap", "-G", "3600"}));
  EXPECT_EQ(r.interval, std::chrono::hours(1));
  EXPECT_EQ(r.max_file_bytes, 0u);
  r = rotation_options(parse_trace({"lo", "-w", "c-%s.pcap", "-G", "604800"}));  // weekly
  EXPECT_EQ(r.interval, std::chrono::hours(24 * 7));
  r = rotation_options(parse_trace({"lo", "-w", "c-%s.pcap", "--rotate-seconds", "1500ms"}));
  EXPECT_EQ(r.interval, std::chrono::milliseconds(1500));
  EXPECT_FALSE(rotation_options(parse_trace({"lo", "-w", "x.pcap"})).active());

  const auto usage = [](std::vector<std::string> args) {
    try {
      rotation_options(parse_trace(std::move(args)));
    } catch (const UsageError& e) {
      return std::string(e.what());
    }
    return std::string("no error");
  };
  EXPECT_EQ(usage({"lo", "-C", "1"}), "trace: -C, -G and -W rotate the -w file: add -w FILE");
  EXPECT_EQ(usage({"lo", "-w", "x", "-W", "3"}),
            "trace: -W counts the files of -C or -G: add one of them");
  EXPECT_EQ(usage({"lo", "-w", "x", "-C", "1k"}),
            "trace: -C wants a positive whole number of millions of bytes, not '1k'");
  EXPECT_THROW(parse_trace({"lo", "-w", "x", "-G", "0"}), CLI::ValidationError);
  EXPECT_THROW(parse_trace({"lo", "-w", "x", "-G", "2x"}), CLI::ValidationError);
  EXPECT_THROW(parse_trace({"lo", "-w", "x", "-C", "1", "-W", "0"}), CLI::ValidationError);
}

TEST(AnalysisOptions, ColorAutoHonoursTerminalAndNoColor) {
  AnalysisOptions o;
  ::unsetenv("NO_COLOR");
  EXPECT_TRUE(render_options(o, true).color);
  EXPECT_FALSE(render_options(o, false).color);
  ::setenv("NO_COLOR", "1", 1);
  EXPECT_FALSE(render_options(o, true).color);
  o.color = "always";  // an explicit flag beats NO_COLOR (no-color.org)
  EXPECT_TRUE(render_options(o, false).color);
  ::setenv("NO_COLOR", "", 1);  // empty means unset
  o.color = "auto";
  EXPECT_TRUE(render_options(o, true).color);
  ::unsetenv("NO_COLOR");
}

// Through the real registration, as main() does: the action throws the one-line message
// that main prints.
std::string run_error(std::vector<std::string> args) {
  CLI::App app{"test"};
  Action action;
  register_trace(app, action);
  parse(app, args);
  if (!action) return "no action";
  try {
    action();
  } catch (const std::exception& e) {
    return e.what();
  }
  return "no error";
}

TEST(TraceErrors, UnknownInterfaceListsTheOnesThatExist) {
  const std::string names = capture::interface_names(capture::list_interfaces());
  ASSERT_NE(names.find("lo"), std::string::npos) << names;
  EXPECT_EQ(
      run_error({"trace", "ti-nosuch0", "--format", "jsonl"}),
      "no interface named 'ti-nosuch0'; available: " + names + " (see: tcpinspect interfaces)");
}

TEST(TraceErrors, UnknownUserIsCaughtBeforeOpening) {
  // The interface does not exist either: -Z is checked first, so this needs no privilege.
  EXPECT_EQ(run_error({"trace", "ti-nosuch0", "-Z", "ti-no-such-user"}),
            "-Z: no user named 'ti-no-such-user'");
}

// The whole command run as uid nobody (no CAP_NET_RAW): exactly the remedy line.
TEST(TraceErrors, MissingPrivilegeAsNobody) {
  if (::geteuid() != 0) GTEST_SKIP() << "needs root to become nobody";
  const std::string message = tcpinspect::testing::in_child([] {
    capture::drop_privileges(capture::lookup_user("nobody"));
    return run_error({"trace", "lo", "tcp", "port", "9"});
  });
  EXPECT_EQ(message, capture::capture_privilege_message("lo"));
}

TEST(TraceErrors, BadFilterIsOneLine) {
  if (!capture::can_capture()) GTEST_SKIP() << "needs CAP_NET_RAW";
  const std::string message = run_error({"trace", "lo", "tcp", "port"});
  EXPECT_EQ(message.rfind("bad filter expression 'tcp port': ", 0), 0u) << message;
  EXPECT_EQ(message.find('\n'), std::string::npos) << message;
}

TEST(TraceErrors, WriteToStdoutRejected) {
  CLI::App app{"test"};
  Action action;
  register_trace(app, action);
  parse(app, {"trace", "lo", "-w", "-"});
  ASSERT_TRUE(action);
  EXPECT_THROW(action(), UsageError);
}

}  // namespace
}  // namespace tcpinspect::cmd
