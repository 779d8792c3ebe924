// SPDX-License-Identifier: MIT
#include "capture/kernel_rst_guard.hpp"

#include <nftables/libnftables.h>
#include <signal.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <memory>
#include <regex>
#include <vector>

#include "capture/error.hpp"
#include "capture/privileges.hpp"
#include "core/wire/ip_format.hpp"

namespace tcpinspect::capture {
namespace {

constexpr const char* kTable = "inet tcpinspect";
constexpr int kCapNetAdmin = 12;  // <linux/capability.h>

// libnftables prints its own lines on stderr when the netlink socket is refused: ask first.
bool can_change_firewall() {
  return (effective_capabilities() >> kCapNetAdmin) & 1;
}

struct NftResult {
  bool ok = false;
  std::string output;
  std::string error;
};

// One batch of nft commands, atomic as nft makes them.
NftResult run_nft(const std::string& commands) {
  std::unique_ptr<nft_ctx, void (*)(nft_ctx*)> ctx(nft_ctx_new(NFT_CTX_DEFAULT), nft_ctx_free);
  NftResult r;
  if (!ctx) {
    r.error = "libnftables: cannot create a context";
    return r;
  }
  nft_ctx_buffer_output(ctx.get());
  nft_ctx_buffer_error(ctx.get());
  r.ok = nft_run_cmd_from_buffer(ctx.get(), commands.c_str()) == 0;
  r.output = nft_ctx_get_output_buffer(ctx.get());
  r.error = nft_ctx_get_error_buffer(ctx.get());
  // nft's errors run over several lines (the command, a caret line): the first says it.
  if (const size_t nl = r.error.find('\n'); nl != std::string::npos) r.error.resize(nl);
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
  run_nft("flush chain " + chain + "\ndelete chain " + chain);
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

}  // namespace

int remove_orphaned_guards() {
  int removed = 0;
  if (!can_change_firewall()) return 0;
  for (long pid : guard_chain_pids()) {
    if (pid == static_cast<long>(getpid())) continue;
    if (kill(static_cast<pid_t>(pid), 0) == 0 || errno != ESRCH) continue;
    remove_chain(pid);
    ++removed;
  }
  if (removed > 0) remove_table_if_empty();
  return removed;
}

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
  const NftResult r = run_nft(std::string("add table ") + kTable + "\nadd chain " + chain_ +
                              " { type filter hook output priority filter; policy accept; }\n" +
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
