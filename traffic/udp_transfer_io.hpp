// SPDX-License-Identifier: MIT
#pragma once
#include <cstdio>
#include <span>
#include <string>

#include "traffic/socket_address.hpp"
#include "traffic/udp_transfer_rtt.hpp"
#include "traffic/udp_transfer_wire.hpp"

/// Small pieces the sender and receiver loops share: clock, socket tuning, control
/// datagrams and the annotated --verbose trace.
namespace tcpinspect::traffic::udp {

/// Monotonic time since an arbitrary epoch.
Nanos monotonic_now();

/// Sets SO_RCVBUF/SO_SNDBUF to `bytes`, beyond net.core.[rw]mem_max when privileged
/// (SO_*BUFFORCE); returns the size the kernel reports for the receive buffer.
int tune_socket_buffers(int fd, int bytes);

/// Encodes `msg` and sends it (to `to`, or the connected peer when `to` is null).
/// Returns false on a send error other than a full buffer (the caller decides).
bool send_control(int fd, const Message& msg, const SocketAddress* to, int* err = nullptr);

/// "[20-22,25]" (inclusive chunk indices), "[]" when empty.
std::string format_sack(std::span<const SackRange> ranges);
/// "250ms", "1.5ms", "120us".
std::string format_duration(Nanos d);

/// Writes "0.001234 <text>\n" lines (seconds since construction) when enabled.
class Trace {
 public:
  Trace(std::FILE* out, bool enabled) : out_(out), enabled_(enabled), start_(monotonic_now()) {}
  bool enabled() const { return enabled_; }
  void operator()(const char* fmt, ...) const __attribute__((format(printf, 2, 3)));

 private:
  std::FILE* out_;
  bool enabled_;
  Nanos start_;
};

}  // namespace tcpinspect::traffic::udp
