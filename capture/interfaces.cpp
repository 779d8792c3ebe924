// SPDX-License-Identifier: MIT
#include "capture/interfaces.hpp"

#include <arpa/inet.h>
#include <net/if.h>
#include <netinet/in.h>
#include <netpacket/packet.h>
#include <sys/socket.h>

#include <bit>
#include <cstdio>
#include <cstring>

#include <pcap/pcap.h>

#include "capture/error.hpp"

namespace tcpinspect::capture {
namespace {

int prefix_length(const sockaddr* mask) {
  if (!mask) return -1;
  int bits = 0;
  if (mask->sa_family == AF_INET) {
    const auto* in = reinterpret_cast<const sockaddr_in*>(mask);
    bits = std::popcount(static_cast<uint32_t>(in->sin_addr.s_addr));
  } else if (mask->sa_family == AF_INET6) {
    const auto* in6 = reinterpret_cast<const sockaddr_in6*>(mask);
    for (uint8_t byte : in6->sin6_addr.s6_addr)
      bits += std::popcount(byte);
  } else {
    return -1;
  }
  return bits;
}

std::string format_address(const pcap_addr& a) {
  if (!a.addr) return {};
  char text[INET6_ADDRSTRLEN] = {};
  switch (a.addr->sa_family) {
    case AF_INET: {
      const auto* in = reinterpret_cast<const sockaddr_in*>(a.addr);
      inet_ntop(AF_INET, &in->sin_addr, text, sizeof text);
      break;
    }
    case AF_INET6: {
      const auto* in6 = reinterpret_cast<const sockaddr_in6*>(a.addr);
      inet_ntop(AF_INET6, &in6->sin6_addr, text, sizeof text);
      break;
    }
    case AF_PACKET: {
      const auto* ll = reinterpret_cast<const sockaddr_ll*>(a.addr);
      if (ll->sll_halen == 0) return {};
      std::string mac = "link ";
      for (int i = 0; i < ll->sll_halen && i < 8; ++i) {
        char byte[4];
        std::snprintf(byte, sizeof byte, i ? ":%02x" : "%02x", ll->sll_addr[i]);
        mac += byte;
      }
      return mac;
    }
    default:
      return {};
  }
  std::string out = text;
  const int prefix = prefix_length(a.netmask);
  if (prefix >= 0) out += "/" + std::to_string(prefix);
  return out;
}

}  // namespace

std::vector<InterfaceInfo> list_interfaces() {
  char errbuf[PCAP_ERRBUF_SIZE] = {};
  pcap_if_t* all = nullptr;
  if (pcap_findalldevs(&all, errbuf) != 0)
    throw CaptureError(std::string("cannot list interfaces: ") + errbuf);
  std::vector<InterfaceInfo> out;
  for (const pcap_if_t* d = all; d; d = d->next) {
    InterfaceInfo info;
    info.name = d->name;
    if (d->description) info.description = d->description;
    info.up = (d->flags & PCAP_IF_UP) != 0;
    info.running = (d->flags & PCAP_IF_RUNNING) != 0;
    info.loopback = (d->flags & PCAP_IF_LOOPBACK) != 0;
    info.wireless = (d->flags & PCAP_IF_WIRELESS) != 0;
    info.pcap_flags = d->flags;
    for (const pcap_addr* a = d->addresses; a; a = a->next) {
      std::string text = format_address(*a);
      if (!text.empty()) info.addresses.push_back(std::move(text));
    }
    out.push_back(std::move(info));
  }
  pcap_freealldevs(all);
  return out;
}

std::string tcpdump_list_line(size_t number, const InterfaceInfo& interface) {
  std::string out = std::to_string(number) + "." + interface.name;
  if (!interface.description.empty()) out += " (" + interface.description + ")";
  const uint32_t flags = interface.pcap_flags;
  if (flags == 0) return out;  // tcpdump prints no brackets at all then
  // tcpdump's bittok2str(status_flags, "none", flags), then the connection status.
  std::string named;
  for (const auto& [bit, name] :
       {std::pair{PCAP_IF_UP, "Up"}, std::pair{PCAP_IF_RUNNING, "Running"},
        std::pair{PCAP_IF_LOOPBACK, "Loopback"}, std::pair{PCAP_IF_WIRELESS, "Wireless"}}) {
    if (flags & bit) named += (named.empty() ? "" : ", ") + std::string(name);
  }
  out += " [" + (named.empty() ? std::string("none") : named);
  const uint32_t status = flags & PCAP_IF_CONNECTION_STATUS;
  if (flags & PCAP_IF_WIRELESS) {
    if (status == PCAP_IF_CONNECTION_STATUS_UNKNOWN) out += ", Association status unknown";
    if (status == PCAP_IF_CONNECTION_STATUS_CONNECTED) out += ", Associated";
    if (status == PCAP_IF_CONNECTION_STATUS_DISCONNECTED) out += ", Not associated";
  } else {
    if (status == PCAP_IF_CONNECTION_STATUS_UNKNOWN) out += ", Connection status unknown";
    if (status == PCAP_IF_CONNECTION_STATUS_CONNECTED) out += ", Connected";
    if (status == PCAP_IF_CONNECTION_STATUS_DISCONNECTED) out += ", Disconnected";
  }
  return out + "]";
}

std::string interface_names(const std::vector<InterfaceInfo>& interfaces) {
  std::string out;
  for (const auto& i : interfaces) {
    if (!out.empty()) out += ", ";
    out += i.name;
  }
  return out;
}

bool interface_exists(const std::string& name) {
  if (name == "any") return true;
  if (name.empty() || name.size() >= IF_NAMESIZE) return false;
  return if_nametoindex(name.c_str()) != 0;
}

std::string unknown_interface_message(const std::string& name) {
  std::string known;
  try {
    known = interface_names(list_interfaces());
  } catch (const CaptureError&) {
    known = "(cannot list them)";
  }
  return "no interface named '" + name + "'; available: " + known + " (see: tcpinspect interfaces)";
}

}  // namespace tcpinspect::capture
