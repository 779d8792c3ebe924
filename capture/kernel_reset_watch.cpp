// SPDX-License-Identifier: MIT
#include "capture/kernel_reset_watch.hpp"

#include <event-parse.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

#include "capture/error.hpp"
#include "capture/tracefs_shim.h"

namespace tcpinspect::capture {
namespace {

constexpr const char* kInstancePrefix = "tcpinspect-";

core::IpAddress address_from(const uint8_t* bytes, bool v6) {
  core::IpAddress a;
  a.version = v6 ? 6 : 4;
  std::memcpy(a.bytes.data(), bytes, v6 ? 16 : 4);
  return a;
}

}  // namespace

struct KernelResetWatch::Tracefs {
  tracefs_instance* instance = nullptr;
  tep_handle* tep = nullptr;
  tep_event* receive_reset = nullptr;
  std::vector<KernelResetEvent> pending;

  ~Tracefs() {
    if (instance) ti_instance_remove(instance);
    if (tep) tep_free(tep);
  }
};

KernelResetWatch::KernelResetWatch() : tracefs_(std::make_unique<Tracefs>()) {
  // tracefs_tracing_dir() mounts tracefs where it is not mounted yet.
  if (!ti_tracing_dir())
    throw CaptureError("the kernel's tracing file system (tracefs) is not available: " +
                       std::string(std::strerror(errno)));
  ti_remove_orphaned_instances(kInstancePrefix);
  const std::string name = std::string(kInstancePrefix) + std::to_string(getpid());
  tracefs_->instance = ti_instance_create(name.c_str());
  if (!tracefs_->instance)
    throw CaptureError("cannot create the tracefs instance " + name + ": " + std::strerror(errno));
  tracefs_->tep = ti_local_event("tcp", "tcp_receive_reset");
  if (tracefs_->tep)
    tracefs_->receive_reset = tep_find_event_by_name(tracefs_->tep, "tcp", "tcp_receive_reset");
  if (!tracefs_->receive_reset)
    throw CaptureError("this kernel has no tcp:tcp_receive_reset tracepoint");
  if (ti_event_enable(tracefs_->instance, "tcp", "tcp_receive_reset") != 0)
    throw CaptureError("cannot enable tcp:tcp_receive_reset: " + std::string(std::strerror(errno)));
}

KernelResetWatch::~KernelResetWatch() = default;

std::vector<KernelResetEvent> KernelResetWatch::take() {
  auto on_record = [](tep_event* event, tep_record* record, int, void* context) -> int {
    auto* t = static_cast<Tracefs*>(context);
    if (event != t->receive_reset) return 0;
    unsigned long long family = 0, sport = 0, dport = 0;
    if (tep_get_field_val(nullptr, event, "family", record, &family, 0) != 0 ||
        tep_get_field_val(nullptr, event, "sport", record, &sport, 0) != 0 ||
        tep_get_field_val(nullptr, event, "dport", record, &dport, 0) != 0)
      return 0;
    const bool v6 = family == 10;  // AF_INET6
    int len = 0;
    auto* saddr = static_cast<const uint8_t*>(
        tep_get_field_raw(nullptr, event, v6 ? "saddr_v6" : "saddr", record, &len, 0));
    auto* daddr = static_cast<const uint8_t*>(
        tep_get_field_raw(nullptr, event, v6 ? "daddr_v6" : "daddr", record, &len, 0));
    if (!saddr || !daddr || len < (v6 ? 16 : 4)) return 0;
    KernelResetEvent e;
    e.local = address_from(saddr, v6);
    e.remote = address_from(daddr, v6);
    e.local_port = static_cast<uint16_t>(sport);
    e.remote_port = static_cast<uint16_t>(dport);
    t->pending.push_back(e);
    return 0;
  };
  ti_read_events(tracefs_->tep, tracefs_->instance, on_record, tracefs_.get());
  std::vector<KernelResetEvent> out;
  out.swap(tracefs_->pending);
  return out;
}

}  // namespace tcpinspect::capture
