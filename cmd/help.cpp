// SPDX-License-Identifier: MIT
// `tcpinspect help [SUBCOMMAND]`, as git and go have it: the same text as `SUBCOMMAND --help`.
#include <cstdio>

#include "cmd/command.hpp"

namespace tcpinspect::cmd {

void register_help(CLI::App& app, Action& action) {
  auto topic = std::make_shared<std::string>();
  auto* sub = app.add_subcommand("help", "Show the help of a subcommand (help replay)");
  sub->add_option("subcommand", *topic, "The subcommand to explain");
  sub->callback([topic, &app, &action] {
    action = [topic, &app] {
      if (topic->empty()) {
        std::fputs(app.help().c_str(), stdout);
        return 0;
      }
      const CLI::App* target = nullptr;
      for (const CLI::App* s : app.get_subcommands([](const CLI::App*) { return true; }))
        if (s->get_name() == *topic && !s->get_group().empty()) target = s;
      if (target == nullptr)
        throw UsageError("help: no subcommand '" + *topic + "' (tcpinspect --help lists them)");
      // With the program's name, as `tcpinspect craft --help` prints it: "Usage: tcpinspect craft".
      std::fputs(target->help(app.get_name()).c_str(), stdout);
      return 0;
    };
  });
}

}  // namespace tcpinspect::cmd
