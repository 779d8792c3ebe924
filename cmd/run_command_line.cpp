// SPDX-License-Identifier: MIT
#include "cmd/run_command_line.hpp"

#include <exception>
#include <stdexcept>
#include <vector>

#include "cmd/duration_option.hpp"
#include "cmd/usage_hints.hpp"

namespace tcpinspect::cmd {

CommandOutcome run_command_line(CLI::App& app, const Action& action, int argc,
                                const char* const* argv) {
  try {
    app.parse(argc, argv);
  } catch (const CLI::CallForHelp& e) {
    return {app.exit(e), ""};
  } catch (const CLI::CallForAllHelp& e) {
    return {app.exit(e), ""};
  } catch (const CLI::CallForVersion& e) {
    return {app.exit(e), ""};
  } catch (const DurationOptionError& e) {
    return {2, std::string(e.what()) + " (see --help)"};
  } catch (const CLI::ParseError& e) {
    // A typo or another tool's habit gets a hint at what was meant instead.
    const std::string hint = usage_hint(app, std::vector<std::string>(argv + 1, argv + argc));
    return {2, hint.empty() ? std::string(e.what()) + " (see --help)" : hint};
  }
  try {
    return {action ? action() : 0, ""};
  } catch (const Interrupted& e) {
    return {128 + e.signal, ""};
  } catch (const UsageError& e) {
    return {2, e.what()};
  } catch (const std::invalid_argument& e) {
    return {2, e.what()};
  } catch (const std::exception& e) {
    return {1, e.what()};
  }
}

}  // namespace tcpinspect::cmd
