// SPDX-License-Identifier: MIT
#include <cstdio>

#include "capture/huge_pages.hpp"
#include "cmd/command.hpp"
#include "cmd/help_formatter.hpp"
#include "cmd/run_command_line.hpp"
#include "cmd/version.hpp"

namespace {

// The subcommands, in the order `--help` lists them.
void register_all(CLI::App& app, tcpinspect::cmd::Action& action) {
  using namespace tcpinspect::cmd;
  register_replay(app, action);
  register_craft(app, action);
  register_probe(app, action);
  register_reset(app, action);
  register_converse(app, action);
  register_udp_send(app, action);
  register_udp_recv(app, action);
  register_trace(app, action);
  register_interfaces(app, action);
  register_echo_server(app, action);
  register_echo_client(app, action);
  register_demo(app, action);
  register_help(app, action);
  register_generate_docs(app, action);
}

}  // namespace

int main(int argc, char** argv) {
  tcpinspect::capture::install_huge_page_advice();
  CLI::App app{"tcpinspect: TCP handshake inspector and packet crafter", "tcpinspect"};
  app.require_subcommand(1);
  // Before the subcommands are added: each takes a copy of the formatter.
  app.formatter(std::make_shared<tcpinspect::cmd::HelpFormatter>());
  app.set_version_flag("--version", tcpinspect::cmd::version_line());
  tcpinspect::cmd::Action action;
  register_all(app, action);
  const auto outcome = tcpinspect::cmd::run_command_line(app, action, argc, argv);
  // One line, like every error.
  if (!outcome.error.empty()) std::fprintf(stderr, "tcpinspect: %s\n", outcome.error.c_str());
  return outcome.code;
}
