// SPDX-License-Identifier: MIT
#pragma once
#include <string>

namespace tcpinspect::cmd {

/// project(tcpinspect VERSION ...) in CMakeLists.txt: "0.1.0".
std::string version_number();
/// `git describe --always --dirty` of the checkout it was built from, or "" (a tarball).
std::string version_revision();

/// What --version prints: "tcpinspect 0.1.0" plus " (git 1a2b3c4d5e6f)" from a checkout.
inline std::string version_line() {
  const std::string revision = version_revision();
  return "tcpinspect " + version_number() + (revision.empty() ? "" : " (git " + revision + ")");
}

}  // namespace tcpinspect::cmd
