// SPDX-License-Identifier: MIT
#include "capture/route_lookup.hpp"

#include <ifaddrs.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

#include "capture/error.hpp"
#include "core/wire/ip_format.hpp"

namespace tcpinspect::capture {

Route route_to(const core::IpAddress& dst) {
  const bool v6 = dst.version == 6;
  const int fd = ::socket(v6 ? AF_INET6 : AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
  if (fd < 0) throw CaptureError(std::string("route lookup: ") + std::strerror(errno));
  sockaddr_storage ss{};
  socklen_t len = 0;
  if (v6) {
    auto* s6 = reinterpret_cast<sockaddr_in6*>(&ss);
    s6->sin6_family = AF_INET6;
    s6->sin6_port = htons(9);
    std::memcpy(&s6->sin6_addr, dst.bytes.data(), 16);
    len = sizeof(sockaddr_in6);
  } else {
    auto* s4 = reinterpret_cast<sockaddr_in*>(&ss);
    s4->sin_family = AF_INET;
    s4->sin_port = htons(9);
    std::memcpy(&s4->sin_addr, dst.bytes.data(), 4);
    len = sizeof(sockaddr_in);
  }
  // connect() on UDP only chooses the route and the source address.
  if (::connect(fd, reinterpret_cast<sockaddr*>(&ss), len) != 0) {
    const int err = errno;
    ::close(fd);
    throw CaptureError("no route to " + core::ip_to_string(dst) + ": " + std::strerror(err));
  }
  sockaddr_storage local{};
  socklen_t local_len = sizeof local;
  const int rc = ::getsockname(fd, reinterpret_cast<sockaddr*>(&local), &local_len);
  const int err = errno;
  ::close(fd);
  if (rc != 0) throw CaptureError(std::string("route lookup: ") + std::strerror(err));

  Route route;
  route.source.version = v6 ? 6 : 4;
  if (v6)
    std::memcpy(route.source.bytes.data(), &reinterpret_cast<sockaddr_in6*>(&local)->sin6_addr, 16);
  else
    std::memcpy(route.source.bytes.data(), &reinterpret_cast<sockaddr_in*>(&local)->sin_addr, 4);

  ifaddrs* list = nullptr;
  if (::getifaddrs(&list) != 0)
    throw CaptureError(std::string("getifaddrs: ") + std::strerror(errno));
  for (ifaddrs* it = list; it; it = it->ifa_next) {
    if (!it->ifa_addr) continue;
    if (v6 && it->ifa_addr->sa_family == AF_INET6 &&
        std::memcmp(&reinterpret_cast<sockaddr_in6*>(it->ifa_addr)->sin6_addr,
                    route.source.bytes.data(), 16) == 0) {
      route.interface = it->ifa_name;
      break;
    }
    if (!v6 && it->ifa_addr->sa_family == AF_INET &&
        std::memcmp(&reinterpret_cast<sockaddr_in*>(it->ifa_addr)->sin_addr,
                    route.source.bytes.data(), 4) == 0) {
      route.interface = it->ifa_name;
      break;
    }
  }
  ::freeifaddrs(list);
  // A destination that is one of our own addresses is delivered over loopback.
  bool local_dst = dst == route.source;
  if (local_dst || route.interface.empty()) route.interface = "lo";
  return route;
}

}  // namespace tcpinspect::capture
