// SPDX-License-Identifier: MIT
#include "capture/kernel_rst_guard.hpp"

#include <fcntl.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <regex>
#include <vector>

#include "capture/error.hpp"
#include "capture/privileges.hpp"
#include "core/wire/ip_format.hpp"

namespace tcpinspect::capture {
namespace {

constexpr const char* kTable = "inet tcpinspect";
constexpr int kCapNetAdmin = 12;  // <linux/capability.h>

// Without it nft fails after several lines of its own: ask first, and say it in one.
bool can_change_firewall() {
  return (effective_capabilities() >> kCapNetAdmin) & 1;
}

struct NftResult {
  bool ok = false;
  std::string output;
  std::string error;
};

// The nft program: on PATH, else where Debian puts it (a user granted capabilities may
// not have /usr/sbin on PATH).
std::string nft_program() {
  for (const char* candidate : {"/usr/sbin/nft", "/sbin/nft", "/usr/bin/nft"})
    if (::access(candidate, X_OK) == 0) return candidate;
  return "nft";
}

// One nft invocation (commands separated by ';' are one atomic batch, as nft makes them).
// Through the nft program rather than libnftables: the library and the six it pulls in
// would be loaded, and cost resident memory, in every tcpinspect command, replay included.
NftResult run_nft(const std::string& commands) {
  NftResult r;
  int out[2];
  if (::pipe2(out, O_CLOEXEC) != 0) {
    r.error = std::string("pipe: ") + std::strerror(errno);
    return r;
  }
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_adddup2(&actions, out[1], STDOUT_FILENO);
  posix_spawn_file_actions_adddup2(&actions, out[1], STDERR_FILENO);
  posix_spawn_file_actions_addopen(&actions, STDIN_FILENO, "/dev/null", O_RDONLY, 0);
  const std::string program = nft_program();
  std::string cmd = commands;
  char* argv[] = {const_cast<char*>(program.c_str()), cmd.data(), nullptr};
  pid_t pid = 0;
  const int spawned = ::posix_spawnp(&pid, program.c_str(), &actions, nullptr, argv, environ);
  posix_spawn_file_actions_destroy(&actions);
  ::close(out[1]);
  if (spawned != 0) {
    ::close(out[0]);
    r.error = "cannot run nft (" + std::string(std::strerror(spawned)) + "): install nftables";
    return r;
  }
  std::string text;
  char buf[4096];
  for (;;) {
    const ssize_t n = ::read(out[0], buf, sizeof buf);
    if (n > 0) {
      if (text.size() < (1u << 20)) text.append(buf, static_cast<size_t>(n));
      continue;
    }
    if (n < 0 && errno == EINTR) continue;
    break;
  }
  ::close(out[0]);
  int status = 0;
  while (::waitpid(pid, &status, 0) < 0 && errno == EINTR) {
  }
  r.ok = WIFEXITED(status) && WEXITSTATUS(status) == 0;
  if (r.ok) {
    r.output = std::move(text);
  } else {
    // nft's errors run over several lines (the command, a caret line): the first says it.
    r.error = text.substr(0, text.find('\n'));
  }
  return r;
}

std::vector<long> guard_chain_pids() {
  const NftResult list = run_nft(std::string("list table ") + kTable);
  std::vector<long> pids;
  if (!list.ok) return pids;  // no table: nothing of ours
  static const std::regex chain_re(R"(chain guard_(\d+) \{)");
  for (auto it = std::sregex_iterator(list.output.begin(), list.output.end(), chain_re);
       it != std::sregex_iterator(); ++it)
    pids.push_back(std::stol((*it)[1].str()));
  return pids;
}

void remove_chain(long pid) {
  const std::string chain = std::string(kTable) + " guard_" + std::to_string(pid);
  run_nft("flush chain " + chain + "; delete chain " + chain);
}

// The table goes once no run uses it; another run adding a chain meanwhile makes this fail
// harmlessly (a table with chains cannot be deleted this way).
void remove_table_if_empty() {
  if (guard_chain_pids().empty()) run_nft(std::string("delete table ") + kTable);
}

std::string match_for(const core::IpAddress& local, uint16_t local_port,
                      const core::IpAddress& remote, uint16_t remote_port) {
  const char* family = local.version == 6 ? "ip6" : "ip";
  char mark[16];
  std::snprintf(mark, sizeof mark, "0x%08x", kOwnPacketMark);
  return std::string(family) + " saddr " + core::ip_to_string(local) + " " + family + " daddr " +
         core::ip_to_string(remote) + " tcp sport " + std::to_string(local_port) + " tcp dport " +
         std::to_string(remote_port) + " tcp flags rst meta mark != " + mark + " counter drop";
}

// Removes the chains of tcpinspect processes that no longer exist (what a killed run left)
// and the table once empty.
void remove_orphaned_guards() {
  int removed = 0;
  if (!can_change_firewall()) return;
  for (long pid : guard_chain_pids()) {
    if (pid == static_cast<long>(getpid())) continue;
    if (kill(static_cast<pid_t>(pid), 0) == 0 || errno != ESRCH) continue;
    remove_chain(pid);
    ++removed;
  }
  if (removed > 0) remove_table_if_empty();
}

}  // namespace

KernelRstGuard::KernelRstGuard(const core::IpAddress& local, uint16_t local_port,
                               const core::IpAddress& remote, uint16_t remote_port) {
  if (!can_change_firewall())
    throw CaptureError(
        "cannot add the nftables rule that keeps this kernel's RST off the "
        "conversation (no CAP_NET_ADMIN in effect): it needs CAP_NET_ADMIN and "
        "nf_tables");
  remove_orphaned_guards();
  const std::string name = "guard_" + std::to_string(getpid());
  chain_ = std::string(kTable) + " " + name;
  rule_ = match_for(local, local_port, remote, remote_port);
  // Output hook: the kernel's RST leaves through it, and so do our raw packets (marked).
  const NftResult r = run_nft(std::string("add table ") + kTable + "; add chain " + chain_ +
                              " { type filter hook output priority filter; policy accept; }; " +
                              "add rule " + chain_ + " " + rule_);
  if (!r.ok) {
    remove_chain(getpid());
    remove_table_if_empty();
    throw CaptureError(
        "cannot add the nftables rule that keeps this kernel's RST off the "
        "conversation (" +
        (r.error.empty() ? std::string("libnftables failed") : r.error) +
        "): it needs CAP_NET_ADMIN and nf_tables");
  }
}

KernelRstGuard::~KernelRstGuard() {
  remove_chain(getpid());
  remove_table_if_empty();
}

}  // namespace tcpinspect::capture
