// SPDX-License-Identifier: MIT
#include "cmd/packet_out.hpp"

#include <cstdio>
#include <random>

#include "capture/privileges.hpp"
#include "capture/segment_sniffer.hpp"
#include "cmd/command.hpp"
#include "core/lab/segment_line.hpp"
#include "core/wire/decode.hpp"

namespace tcpinspect::cmd {

void require_raw_privilege(std::string_view command) {
  if (!capture::can_capture())
    throw RunError(capture::raw_socket_privilege_message(std::string(command)));
}

PacketOut::PacketOut(bool send, bool dry_run, const std::string& write_path, bool append,
                     int ip_version, std::string_view command)
    : dry_run_(dry_run), write_path_(write_path) {
  if (send && !dry_run) {
    require_raw_privilege(command);
    try {
      sender_ = std::make_unique<capture::RawSender>(ip_version);
    } catch (const capture::PrivilegeError&) {
      throw RunError(capture::raw_socket_privilege_message(std::string(command)));
    }
  }
  if (!write_path.empty())
    writer_ = std::make_unique<capture::PcapAppendWriter>(write_path, core::LinkType::Raw, append);
}

int64_t PacketOut::emit(std::span<const uint8_t> ip_packet, const core::IpAddress& dst,
                        bool print) {
  if (print) {
    core::DecodedPacket p;
    core::decode_packet(core::LinkType::Raw, ip_packet, static_cast<uint32_t>(ip_packet.size()), p);
    const char* label = sender_ ? "sent     " : (dry_run_ ? "dry-run  " : "crafted  ");
    std::printf("%s%s\n", label, core::format_segment_line(p).c_str());
    std::fflush(stdout);
  }
  const int64_t t = capture::wall_clock_ns();
  if (sender_) sender_->send(ip_packet, dst);
  if (writer_) writer_->write(ip_packet, t);
  return t;
}

uint32_t random_u32() {
  static std::mt19937 gen{std::random_device{}()};
  return static_cast<uint32_t>(gen());
}

uint16_t random_source_port() {
  return static_cast<uint16_t>(32768 + random_u32() % (60999 - 32768 + 1));
}

std::vector<uint8_t> parse_hex(std::string_view text, std::string_view what) {
  std::vector<uint8_t> out;
  int hi = -1;
  auto nibble = [](char c) {
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
  };
  if (text.size() >= 2 && text[0] == '0' && (text[1] == 'x' || text[1] == 'X'))
    text.remove_prefix(2);
  for (char c : text) {
    if (c == ':' || c == ' ' || c == '-') {
      if (hi >= 0) throw UsageError(std::string(what) + ": odd number of hex digits");
      continue;
    }
    const int v = nibble(c);
    if (v < 0)
      throw UsageError(std::string(what) + ": '" + std::string(1, c) + "' is not a hex digit");
    if (hi < 0) {
      hi = v;
    } else {
      out.push_back(static_cast<uint8_t>(hi << 4 | v));
      hi = -1;
    }
  }
  if (hi >= 0) throw UsageError(std::string(what) + ": odd number of hex digits");
  return out;
}

uint32_t parse_u32(std::string_view text, std::string_view what) {
  const std::string s(text);
  const std::string bad = std::string(what) + ": '" + s + "' is not a number 0-4294967295";
  if (s.empty() || s[0] == '-' || s[0] == '+' || s[0] == ' ') throw UsageError(bad);
  size_t used = 0;
  unsigned long long v = 0;
  try {
    v = std::stoull(s, &used, 0);
  } catch (const std::exception&) {
    throw UsageError(bad);
  }
  if (used != s.size() || v > 0xFFFFFFFFull) throw UsageError(bad);
  return static_cast<uint32_t>(v);
}

std::string format_ms(int64_t ns) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.3f ms", static_cast<double>(ns) / 1e6);
  return buf;
}

}  // namespace tcpinspect::cmd
