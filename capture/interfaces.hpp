// SPDX-License-Identifier: MIT
#pragma once
#include <cstdint>
#include <string>
#include <vector>

namespace tcpinspect::capture {

/// One capture interface as libpcap reports it (pcap_findalldevs).
struct InterfaceInfo {
  std::string name;
  std::string description;             // may be empty
  std::vector<std::string> addresses;  // "10.0.0.1/24", "fe80::1/64", "link 02:00:00:00:00:01"
  bool up = false;
  bool running = false;
  bool loopback = false;
  bool wireless = false;
  uint32_t pcap_flags = 0;  // pcap_if_t::flags as given (PCAP_IF_*), for tcpdump_list_line
};

/// Every interface libpcap can capture on, in libpcap's order (includes "any" on Linux).
/// Needs no privilege. Throws CaptureError if libpcap cannot enumerate them.
std::vector<InterfaceInfo> list_interfaces();

/// Line `number` (1-based) of `tcpdump -D`, exactly as tcpdump 4.99 prints it:
/// "3.lo [Up, Running, Loopback]", "2.any (Pseudo-device that captures on all interfaces)
/// [Up, Running]", "4.ifb0 [none]" (no newline).
std::string tcpdump_list_line(size_t number, const InterfaceInfo& interface);

/// "lo, eth0, any": the names, for error messages.
std::string interface_names(const std::vector<InterfaceInfo>& interfaces);

/// Whether `name` is an interface this host has ("any" included).
bool interface_exists(const std::string& name);

/// The one-line message for an interface that does not exist, listing those that do.
std::string unknown_interface_message(const std::string& name);

}  // namespace tcpinspect::capture
