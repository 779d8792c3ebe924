// SPDX-License-Identifier: MIT
#include "cmd/run_command_line.hpp"

#include <exception>
#include <stdexcept>

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
  } catch (const CLI::ParseError& e) {
    return {2, std::string(e.what()) + " (see --help)"};
  }
  try {
    return {action ? action() : 0, ""};
  } catch (const UsageError& e) {
    return {2, e.what()};
  } catch (const std::invalid_argument& e) {
    return {2, e.what()};
  } catch (const std::exception& e) {
    return {1, e.what()};
  }
}

}  // namespace tcpinspect::cmd
