// SPDX-License-Identifier: MIT
#include <cstdio>
#include <exception>

#include "cmd/command.hpp"
#include "cmd/version.hpp"

namespace {

// The subcommands, in the order `--help` lists them.
void register_all(CLI::App& app, tcpinspect::cmd::Action& action) {
  using namespace tcpinspect::cmd;
  register_replay(app, action);
  register_craft(app, action);
  register_probe(app, action);
  register_reset(app, action);
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
  CLI::App app{"tcpinspect: TCP handshake inspector and packet crafter", "tcpinspect"};
  app.require_subcommand(1);
  app.set_version_flag("--version", tcpinspect::cmd::version_line());
  tcpinspect::cmd::Action action;
  register_all(app, action);
  try {
    app.parse(argc, argv);
  } catch (const CLI::CallForHelp& e) {
    return app.exit(e);
  } catch (const CLI::CallForAllHelp& e) {
    return app.exit(e);
  } catch (const CLI::CallForVersion& e) {
    return app.exit(e);
  } catch (const CLI::ParseError& e) {
    // One line, like every other error, and the usage exit code.
    std::fprintf(stderr, "tcpinspect: %s (see --help)\n", e.what());
    return 2;
  }
  try {
    return action ? action() : 0;
  } catch (const tcpinspect::cmd::UsageError& e) {
    std::fprintf(stderr, "tcpinspect: %s\n", e.what());
    return 2;
  } catch (const std::exception& e) {
    std::fprintf(stderr, "tcpinspect: %s\n", e.what());
    return 1;
  }
}
