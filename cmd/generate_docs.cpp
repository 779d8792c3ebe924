// SPDX-License-Identifier: MIT
// `tcpinspect __generate man|bash|zsh [TEMPLATE]`: hidden; the build runs it to write the
// man page and the shell completions from the parser itself (cmd/cli_reference.hpp).
#include <cstdio>
#include <fstream>
#include <sstream>

#include "cmd/cli_reference.hpp"
#include "cmd/command.hpp"
#include "cmd/version.hpp"

namespace tcpinspect::cmd {
namespace {

struct GenerateOptions {
  std::string what;
  std::string page_template;
};

std::string read_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw RunError(path + ": cannot read the man page template");
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

int run_generate(const CLI::App& root, const GenerateOptions& options) {
  const auto commands = describe_cli(root);
  std::string out;
  if (options.what == "man") {
    if (options.page_template.empty()) throw UsageError("__generate man needs the template");
    out = render_man_page(commands, read_file(options.page_template), version_number());
  } else if (options.what == "bash") {
    out = render_bash_completion(commands);
  } else {
    out = render_zsh_completion(commands);
  }
  std::fwrite(out.data(), 1, out.size(), stdout);
  return std::fflush(stdout) == 0 ? 0 : 1;
}

}  // namespace

void register_generate_docs(CLI::App& app, Action& action) {
  auto options = std::make_shared<GenerateOptions>();
  auto* sub = app.add_subcommand("__generate", "Write the man page or a shell completion");
  sub->group("");  // hidden: for the build, not for users
  sub->add_option("what", options->what)->required()->check(CLI::IsMember({"man", "bash", "zsh"}));
  sub->add_option("template", options->page_template);
  sub->callback([options, &app, &action] {
    action = [options, &app] { return run_generate(app, *options); };
  });
}

}  // namespace tcpinspect::cmd
