// SPDX-License-Identifier: MIT
#pragma once
#include <string>

#include "traffic/fd.hpp"
#include "traffic/socket_address.hpp"

/// Thin, throwing wrappers around the socket calls the traffic sources share.
/// Every error is a std::system_error whose what() reads "<context>: <strerror>".
namespace tcpinspect::traffic {

/// Throws std::system_error(errno) with `context` as the message prefix.
[[noreturn]] void throw_errno(const std::string& context);
/// Same with an explicit error number.
[[noreturn]] void throw_error(int err, const std::string& context);

/// A new non-blocking, close-on-exec socket of `addr`'s family.
Fd open_socket(const SocketAddress& addr, int type);

/// A non-blocking TCP listener with SO_REUSEADDR. An IPv6 wildcard ("::") listener is made
/// dual-stack (IPV6_V6ONLY=0) so it also accepts IPv4 clients.
Fd listen_tcp(const SocketAddress& addr, int backlog = 4096);

/// A non-blocking UDP socket bound to `addr` (dual-stack for "::", like listen_tcp).
Fd bind_udp(const SocketAddress& addr);

/// getsockname / getpeername.
SocketAddress local_address(int fd);
SocketAddress peer_address(int fd);

/// SO_LINGER {on, 0 s}: the next close() sends RST instead of FIN and drops unsent data.
void set_linger_rst(int fd);

/// Pending socket error (SO_ERROR), e.g. the result of a non-blocking connect(); 0 if none.
int socket_error(int fd);

/// Raises the soft RLIMIT_NOFILE to at least `wanted` (capped at the hard limit) and
/// returns the resulting soft limit. Never lowers it.
unsigned long raise_fd_limit(unsigned long wanted);

}  // namespace tcpinspect::traffic
