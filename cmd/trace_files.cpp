// SPDX-License-Identifier: MIT
// trace's tcpdump conventions around its files: -D and the -C/-G/-W rotation of -w.
#include <cstdio>
#include <stdexcept>

#include "capture/interfaces.hpp"
#include "cmd/command.hpp"
#include "cmd/trace.hpp"

namespace tcpinspect::cmd {

capture::RotationOptions rotation_options(const TraceOptions& options) {
  capture::RotationOptions rotation;
  if (!options.file_size.empty()) {
    try {
      rotation.max_file_bytes = capture::parse_file_size_millions(options.file_size);
    } catch (const std::invalid_argument& e) {
      throw UsageError(std::string("trace: ") + e.what());
    }
  }
  rotation.interval = options.rotate_every;
  rotation.file_count = options.file_count;
  const bool any = rotation.active() || rotation.file_count != 0;
  if (any && options.write_file.empty())
    throw UsageError("trace: -C, -G and -W rotate the -w file: add -w FILE");
  if (rotation.file_count != 0 && !rotation.active())
    throw UsageError("trace: -W counts the files of -C or -G: add one of them");
  return rotation;
}

int list_interfaces_like_tcpdump() {
  const auto interfaces = capture::list_interfaces();
  if (interfaces.empty()) throw RunError("trace: libpcap found no capture interface");
  for (size_t i = 0; i < interfaces.size(); ++i)
    std::printf("%s\n", capture::tcpdump_list_line(i + 1, interfaces[i]).c_str());
  std::fflush(stdout);
  return 0;
}

}  // namespace tcpinspect::cmd
