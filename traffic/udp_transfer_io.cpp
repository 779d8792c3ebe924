// SPDX-License-Identifier: MIT
#include "traffic/udp_transfer_io.hpp"

#include <sys/socket.h>

#include <array>
#include <cerrno>
#include <cstdarg>
#include <ctime>

namespace tcpinspect::traffic::udp {

Nanos monotonic_now() {
  timespec ts{};
  ::clock_gettime(CLOCK_MONOTONIC, &ts);
  return Nanos{int64_t{ts.tv_sec} * 1'000'000'000 + ts.tv_nsec};
}

int tune_socket_buffers(int fd, int bytes) {
  for (auto [force, plain] : {std::pair{SO_RCVBUFFORCE, SO_RCVBUF}, {SO_SNDBUFFORCE, SO_SNDBUF}}) {
    if (::setsockopt(fd, SOL_SOCKET, force, &bytes, sizeof bytes) != 0) {
      ::setsockopt(fd, SOL_SOCKET, plain, &bytes, sizeof bytes);  // best effort, capped
    }
  }
  int actual = 0;
  socklen_t len = sizeof actual;
  ::getsockopt(fd, SOL_SOCKET, SO_RCVBUF, &actual, &len);
  return actual;
}

bool send_control(int fd, const Message& msg, const SocketAddress* to, int* err) {
  std::array<uint8_t, kMaxControlSize> buf;
  const size_t n = encode(msg, buf);
  const ssize_t r =
      to ? ::sendto(fd, buf.data(), n, 0, to->data(), to->size()) : ::send(fd, buf.data(), n, 0);
  if (r >= 0 || errno == EAGAIN || errno == EWOULDBLOCK) return true;
  if (err) *err = errno;
  return false;
}

std::string format_sack(std::span<const SackRange> ranges) {
  std::string s = "[";
  for (size_t i = 0; i < ranges.size(); ++i) {
    if (i) s += ',';
    s += std::to_string(ranges[i].start);
    if (ranges[i].end - ranges[i].start > 1) s += '-' + std::to_string(ranges[i].end - 1);
  }
  return s + ']';
}

std::string format_duration(Nanos d) {
  char buf[32];
  const double us = static_cast<double>(d.count()) / 1e3;
  if (us >= 1000) {
    std::snprintf(buf, sizeof buf, "%gms", us / 1e3);
  } else {
    std::snprintf(buf, sizeof buf, "%gus", us);
  }
  return buf;
}

void Trace::operator()(const char* fmt, ...) const {
  if (!enabled_) return;
  const double t = static_cast<double>((monotonic_now() - start_).count()) / 1e9;
  std::fprintf(out_, "%.6f ", t);
  va_list ap;
  va_start(ap, fmt);
  std::vfprintf(out_, fmt, ap);
  va_end(ap);
  std::fputc('\n', out_);
}

}  // namespace tcpinspect::traffic::udp
