// SPDX-License-Identifier: MIT
#include "cmd/command.hpp"

namespace tcpinspect::cmd {

void register_replay(CLI::App& app, Action& action) {
  auto* sub = app.add_subcommand("replay", "Decode a pcap/pcapng capture and annotate every TCP segment");
  sub->callback([&action] { action = [] { throw RunError("replay: not implemented yet"); return 1; }; });
}

}  // namespace tcpinspect::cmd
