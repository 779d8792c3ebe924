// SPDX-License-Identifier: MIT
#include <cstdio>
#include <string>

#include "capture/interfaces.hpp"
#include "cmd/command.hpp"

namespace tcpinspect::cmd {
namespace {

std::string flags_text(const capture::InterfaceInfo& i) {
  std::string out = i.up ? "up" : "down";
  if (i.running) out += ", running";
  if (i.loopback) out += ", loopback";
  if (i.wireless) out += ", wireless";
  return out;
}

int run_interfaces() {
  const auto interfaces = capture::list_interfaces();
  if (interfaces.empty()) throw RunError("interfaces: libpcap found no capture interface");
  for (const auto& i : interfaces) {
    std::printf("%s [%s]", i.name.c_str(), flags_text(i).c_str());
    if (!i.description.empty()) std::printf(" %s", i.description.c_str());
    std::printf("\n");
    for (const auto& a : i.addresses)
      std::printf("    %s\n", a.c_str());
  }
  return 0;
}

}  // namespace

void register_interfaces(CLI::App& app, Action& action) {
  auto* sub = app.add_subcommand("interfaces",
                                 "List capture interfaces: name, flags, description and addresses");
  sub->callback([&action] { action = [] { return run_interfaces(); }; });
}

}  // namespace tcpinspect::cmd
