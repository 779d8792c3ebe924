// SPDX-License-Identifier: MIT
#include "traffic/socket_ops.hpp"

#include <netinet/in.h>
#include <sys/resource.h>
#include <sys/socket.h>

#include <cerrno>
#include <system_error>

namespace tcpinspect::traffic {

void throw_error(int err, const std::string& context) {
  throw std::system_error(err, std::generic_category(), context);
}

void throw_errno(const std::string& context) {
  throw_error(errno, context);
}

Fd open_socket(const SocketAddress& addr, int type) {
  Fd fd(::socket(addr.family(), type | SOCK_NONBLOCK | SOCK_CLOEXEC, 0));
  if (!fd) throw_errno("socket");
  return fd;
}

namespace {

void set_int_option(int fd, int level, int name, int value, const char* what) {
  if (::setsockopt(fd, level, name, &value, sizeof value) != 0) throw_errno(what);
}

void make_dual_stack_if_any(int fd, const SocketAddress& addr) {
  if (addr.family() == AF_INET6 && addr.is_any())
    set_int_option(fd, IPPROTO_IPV6, IPV6_V6ONLY, 0, "setsockopt(IPV6_V6ONLY)");
}

}  // namespace

Fd listen_tcp(const SocketAddress& addr, int backlog) {
  Fd fd = open_socket(addr, SOCK_STREAM);
  // Lets a restarted server bind while connections of the previous run sit in TIME_WAIT.
  set_int_option(fd.get(), SOL_SOCKET, SO_REUSEADDR, 1, "setsockopt(SO_REUSEADDR)");
  make_dual_stack_if_any(fd.get(), addr);
  if (::bind(fd.get(), addr.data(), addr.size()) != 0) throw_errno("bind " + addr.to_string());
  if (::listen(fd.get(), backlog) != 0) throw_errno("listen " + addr.to_string());
  return fd;
}

Fd bind_udp(const SocketAddress& addr) {
  Fd fd = open_socket(addr, SOCK_DGRAM);
  make_dual_stack_if_any(fd.get(), addr);
  if (::bind(fd.get(), addr.data(), addr.size()) != 0) throw_errno("bind udp " + addr.to_string());
  return fd;
}

SocketAddress local_address(int fd) {
  sockaddr_storage ss{};
  socklen_t len = sizeof ss;
  if (::getsockname(fd, reinterpret_cast<sockaddr*>(&ss), &len) != 0) throw_errno("getsockname");
  return SocketAddress(reinterpret_cast<const sockaddr*>(&ss), len);
}

SocketAddress peer_address(int fd) {
  sockaddr_storage ss{};
  socklen_t len = sizeof ss;
  if (::getpeername(fd, reinterpret_cast<sockaddr*>(&ss), &len) != 0) throw_errno("getpeername");
  return SocketAddress(reinterpret_cast<const sockaddr*>(&ss), len);
}

void set_linger_rst(int fd) {
  const linger lg{1, 0};
  if (::setsockopt(fd, SOL_SOCKET, SO_LINGER, &lg, sizeof lg) != 0)
    throw_errno("setsockopt(SO_LINGER)");
}

int socket_error(int fd) {
  int err = 0;
  socklen_t len = sizeof err;
  if (::getsockopt(fd, SOL_SOCKET, SO_ERROR, &err, &len) != 0) return errno;
  return err;
}

unsigned long raise_fd_limit(unsigned long wanted) {
  rlimit rl{};
  if (::getrlimit(RLIMIT_NOFILE, &rl) != 0) return 0;
  if (rl.rlim_cur >= wanted) return rl.rlim_cur;
  rl.rlim_cur = wanted < rl.rlim_max ? wanted : rl.rlim_max;
  ::setrlimit(RLIMIT_NOFILE, &rl);
  ::getrlimit(RLIMIT_NOFILE, &rl);
  return rl.rlim_cur;
}

}  // namespace tcpinspect::traffic
