// SPDX-License-Identifier: MIT
#pragma once
#include <exception>
#include <functional>
#include <stdexcept>
#include <string>

#include <CLI/CLI.hpp>

/// How subcommands plug into the CLI. Each subcommand file defines an Options struct with
/// defaults, `register_X(CLI::App&, Action&)` and `int run_X(const XOptions&)`. The parse
/// callback of the chosen subcommand stores the action; main() runs it through
/// run_command_line (cmd/run_command_line.hpp), the only place that turns exceptions into
/// exit codes.
namespace tcpinspect::cmd {

using Action = std::function<int()>;

/// Bad arguments the parser could not catch (exit code 2, like a CLI11 parse error, and
/// like std::invalid_argument from the parsers of typed values).
struct UsageError : std::runtime_error {
  using std::runtime_error::runtime_error;
};

/// A failure at run time (exit code 1): missing file, bad capture, missing privilege...
struct RunError : std::runtime_error {
  using std::runtime_error::runtime_error;
};

/// A run that a stop signal (Ctrl-C, SIGTERM, SIGHUP) cut short, thrown once the command
/// has printed what it did so far: exit code 128 + the signal, as a shell reports a process
/// the signal killed. Not an error: nothing more is printed.
struct Interrupted : std::exception {
  explicit Interrupted(int stop_signal) : signal(stop_signal) {}
  const char* what() const noexcept override { return "interrupted"; }
  int signal;
};

void register_replay(CLI::App& app, Action& action);
void register_craft(CLI::App& app, Action& action);
void register_probe(CLI::App& app, Action& action);
void register_reset(CLI::App& app, Action& action);
void register_converse(CLI::App& app, Action& action);
void register_udp_send(CLI::App& app, Action& action);
void register_udp_recv(CLI::App& app, Action& action);
void register_trace(CLI::App& app, Action& action);
void register_interfaces(CLI::App& app, Action& action);
void register_echo_server(CLI::App& app, Action& action);
void register_echo_client(CLI::App& app, Action& action);
void register_demo(CLI::App& app, Action& action);
void register_help(CLI::App& app, Action& action);
/// Hidden: the build writes the man page and completions with it.
void register_generate_docs(CLI::App& app, Action& action);

}  // namespace tcpinspect::cmd
