// SPDX-License-Identifier: MIT
#include "capture/privileges.hpp"

#include <grp.h>
#include <pwd.h>
#include <sys/prctl.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <fstream>
#include <vector>

#include "capture/error.hpp"

namespace tcpinspect::capture {
namespace {

constexpr int kCapNetRaw = 13;  // linux/capability.h

std::string self_executable() {
  std::vector<char> buf(4096);
  const ssize_t n = ::readlink("/proc/self/exe", buf.data(), buf.size() - 1);
  if (n <= 0) return "$(command -v tcpinspect)";
  return std::string(buf.data(), static_cast<size_t>(n));
}

[[noreturn]] void fail(const std::string& step) {
  throw CaptureError(step + ": " + std::strerror(errno));
}

}  // namespace

std::string capture_privilege_message(const std::string& interface, const std::string& executable) {
  const std::string exe = executable.empty() ? self_executable() : executable;
  return "capturing on " + interface +
         " needs CAP_NET_RAW: run with sudo, or grant it with: sudo setcap "
         "cap_net_raw,cap_net_admin=eip " +
         exe;
}

std::string promiscuous_privilege_message(const std::string& interface) {
  return "promiscuous mode on " + interface +
         " needs CAP_NET_ADMIN: run with sudo, grant it with: sudo setcap "
         "cap_net_raw,cap_net_admin=eip " +
         self_executable() + ", or capture without it (-p)";
}

uint64_t effective_capabilities() {
  std::ifstream status("/proc/self/status");
  std::string line;
  while (std::getline(status, line)) {
    if (line.rfind("CapEff:", 0) == 0) {
      try {
        return std::stoull(line.substr(7), nullptr, 16);
      } catch (const std::exception&) {
        return 0;
      }
    }
  }
  return 0;
}

bool can_capture() {
  return ::geteuid() == 0 || (effective_capabilities() >> kCapNetRaw & 1) != 0;
}

TargetUser lookup_user(const std::string& name) {
  errno = 0;
  const passwd* pw = ::getpwnam(name.c_str());
  if (!pw) {
    if (errno != 0 && errno != ENOENT && errno != ESRCH)
      throw CaptureError("cannot look up user '" + name + "': " + std::strerror(errno));
    throw CaptureError("no user named '" + name + "'");
  }
  return TargetUser{pw->pw_name, pw->pw_uid, pw->pw_gid};
}

void drop_privileges(const TargetUser& user) {
  // Groups first: once the uid is gone, we may no longer change them.
  if (::initgroups(user.name.c_str(), user.gid) != 0) fail("initgroups(" + user.name + ")");
  if (::setresgid(user.gid, user.gid, user.gid) != 0) fail("setresgid");
  if (::setresuid(user.uid, user.uid, user.uid) != 0) fail("setresuid");
  // Nor can anything exec'd later gain privileges back through a setuid binary or file
  // capabilities (tcpinspect execs nothing today; this keeps it so).
  if (::prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) != 0) fail("prctl(PR_SET_NO_NEW_PRIVS)");

  uid_t ruid, euid, suid;
  gid_t rgid, egid, sgid;
  if (::getresuid(&ruid, &euid, &suid) != 0 || ::getresgid(&rgid, &egid, &sgid) != 0)
    fail("reading back the ids");
  if (ruid != user.uid || euid != user.uid || suid != user.uid || rgid != user.gid ||
      egid != user.gid || sgid != user.gid)
    throw CaptureError("ids did not change to " + user.name);
  if (user.uid != 0) {
    if (::setuid(0) == 0) throw CaptureError("could regain root after becoming " + user.name);
    if (effective_capabilities() != 0)
      throw CaptureError("capabilities still in effect after becoming " + user.name);
  }
}

}  // namespace tcpinspect::capture
