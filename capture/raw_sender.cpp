// SPDX-License-Identifier: MIT
#include "capture/raw_sender.hpp"

#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <vector>

#include "core/wire/ip_format.hpp"

namespace tcpinspect::capture {
namespace {

std::string self_executable() {
  std::vector<char> buf(4096);
  const ssize_t n = ::readlink("/proc/self/exe", buf.data(), buf.size() - 1);
  if (n <= 0) return "$(command -v tcpinspect)";
  return std::string(buf.data(), static_cast<size_t>(n));
}

}  // namespace

std::string raw_socket_privilege_message(const std::string& what) {
  return what +
         " needs CAP_NET_RAW: run with sudo, or grant it with: sudo setcap "
         "cap_net_raw,cap_net_admin=eip " +
         self_executable();
}

RawSender::RawSender(int ip_version) : version_(ip_version) {
  const int family = ip_version == 6 ? AF_INET6 : AF_INET;
  fd_ = ::socket(family, SOCK_RAW | SOCK_CLOEXEC, IPPROTO_RAW);
  if (fd_ < 0) {
    if (errno == EPERM || errno == EACCES)
      throw PrivilegeError(raw_socket_privilege_message("sending crafted packets"));
    throw CaptureError(std::string("raw socket: ") + std::strerror(errno));
  }
  if (family == AF_INET) {
    const int on = 1;
    if (::setsockopt(fd_, IPPROTO_IP, IP_HDRINCL, &on, sizeof on) != 0) {
      const int err = errno;
      ::close(fd_);
      throw CaptureError(std::string("raw socket IP_HDRINCL: ") + std::strerror(err));
    }
  }
}

void RawSender::set_mark(uint32_t mark) {
  if (::setsockopt(fd_, SOL_SOCKET, SO_MARK, &mark, sizeof mark) != 0)
    throw CaptureError(std::string("marking our packets (SO_MARK, needs CAP_NET_ADMIN): ") +
                       std::strerror(errno));
}

RawSender::~RawSender() {
  if (fd_ >= 0) ::close(fd_);
}

void RawSender::send(std::span<const uint8_t> ip_packet, const core::IpAddress& dst) {
  sockaddr_storage ss{};
  socklen_t len = 0;
  if (version_ == 4) {
    auto* sin = reinterpret_cast<sockaddr_in*>(&ss);
    sin->sin_family = AF_INET;
    std::memcpy(&sin->sin_addr, dst.bytes.data(), 4);
    len = sizeof(sockaddr_in);
  } else {
    auto* sin6 = reinterpret_cast<sockaddr_in6*>(&ss);
    sin6->sin6_family = AF_INET6;
    std::memcpy(&sin6->sin6_addr, dst.bytes.data(), 16);
    len = sizeof(sockaddr_in6);
  }
  const ssize_t n = ::sendto(fd_, ip_packet.data(), ip_packet.size(), 0,
                             reinterpret_cast<const sockaddr*>(&ss), len);
  if (n < 0) {
    if (errno == EPERM || errno == EACCES)
      throw CaptureError("sending to " + core::ip_to_string(dst) + " refused (" +
                         std::strerror(errno) + "): a local firewall rule, or missing CAP_NET_RAW");
    throw CaptureError("sending to " + core::ip_to_string(dst) + ": " + std::strerror(errno));
  }
  if (static_cast<size_t>(n) != ip_packet.size())
    throw CaptureError("sending to " + core::ip_to_string(dst) + ": short write");
}

}  // namespace tcpinspect::capture
