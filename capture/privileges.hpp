// SPDX-License-Identifier: MIT
#pragma once
#include <sys/types.h>

#include <cstdint>
#include <string>

namespace tcpinspect::capture {

/// The one-line message for a capture refused for lack of privilege: what is missing
/// (CAP_NET_RAW) and the two ways to grant it. `executable` is the path setcap should name
/// (empty: the running executable, from /proc/self/exe).
std::string capture_privilege_message(const std::string& interface,
                                      const std::string& executable = {});

/// The one-line message for promiscuous mode refused (PCAP_ERROR_PROMISC_PERM_DENIED).
std::string promiscuous_privilege_message(const std::string& interface);

/// The effective capability set of this process (CapEff in /proc/self/status), 0 if unknown.
uint64_t effective_capabilities();

/// Whether this process may open packet sockets: root or CAP_NET_RAW in effect.
bool can_capture();

/// A user to become after the capture is open (tcpdump's -Z).
struct TargetUser {
  std::string name;
  uid_t uid = 0;
  gid_t gid = 0;
};

/// Looks the user up in the password database. Throws CaptureError
/// ("no user named 'x'") for an unknown name.
TargetUser lookup_user(const std::string& name);

/// Becomes `user` for good: supplementary groups (initgroups), real/effective/saved gid,
/// then uid, sets no-new-privileges (PR_SET_NO_NEW_PRIVS: nothing exec'd later gains
/// privileges), and verifies that it worked (ids match; regaining root fails; no capability
/// left in effect). Throws CaptureError naming the step that failed. Call after every
/// privileged resource (capture handle, output file) is open.
void drop_privileges(const TargetUser& user);

}  // namespace tcpinspect::capture
