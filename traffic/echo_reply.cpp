// SPDX-License-Identifier: MIT
#include "traffic/echo_reply.hpp"

#include <cstdio>

namespace tcpinspect::traffic {

namespace {

void append_count(uint64_t n, std::string& out) {
  char buf[48];
  const int len =
      std::snprintf(buf, sizeof buf, "%llu bytes altogether\n", static_cast<unsigned long long>(n));
  out.append(buf, static_cast<size_t>(len));
}

void append_time(std::string_view chunk, std::time_t now, std::string& out) {
  // ctime_r needs 26 bytes; it ends with '\n', which the reply format drops.
  char buf[64] = {};
  std::tm tm{};
  if (localtime_r(&now, &tm) == nullptr || asctime_r(&tm, buf) == nullptr) {
    out += "[?] ";
  } else {
    std::string_view stamp(buf);
    if (!stamp.empty() && stamp.back() == '\n') stamp.remove_suffix(1);
    out += '[';
    out += stamp;
    out += "] ";
  }
  out += chunk;
}

}  // namespace

const char* to_string(EchoMode mode) {
  switch (mode) {
    case EchoMode::Echo:
      return "echo";
    case EchoMode::Count:
      return "count";
    case EchoMode::Time:
      return "time";
  }
  return "?";
}

std::optional<EchoMode> parse_echo_mode(std::string_view text) {
  if (text == "echo") return EchoMode::Echo;
  if (text == "count") return EchoMode::Count;
  if (text == "time") return EchoMode::Time;
  return std::nullopt;
}

void ReplyBuilder::on_chunk(std::string_view chunk, std::time_t now, std::string& out) {
  received_ += chunk.size();
  switch (mode_) {
    case EchoMode::Echo:
      out += chunk;
      break;
    case EchoMode::Count:
      append_count(received_, out);
      break;
    case EchoMode::Time:
      append_time(chunk, now, out);
      break;
  }
}

void udp_reply(EchoMode mode, std::string_view datagram, std::time_t now, std::string& out) {
  switch (mode) {
    case EchoMode::Echo:
      out += datagram;
      break;
    case EchoMode::Count:
      append_count(datagram.size(), out);
      break;
    case EchoMode::Time:
      append_time(datagram, now, out);
      break;
  }
}

}  // namespace tcpinspect::traffic
