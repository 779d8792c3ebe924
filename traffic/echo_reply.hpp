// SPDX-License-Identifier: MIT
#pragma once
#include <cstdint>
#include <ctime>
#include <optional>
#include <string>
#include <string_view>

/// What the echo server sends back for the bytes it reads (the --mode option). Pure logic,
/// no sockets: the server calls it once per successful read() / recvfrom().
namespace tcpinspect::traffic {

enum class EchoMode {
  Echo,   ///< the bytes themselves
  Count,  ///< "N bytes altogether\n", N = all bytes received on this connection so far
  Time,   ///< "[Www Mmm dd hh:mm:ss yyyy] " + the bytes (ctime(3) format, local time)
};

/// "echo", "count", "time"; parse returns nullopt for anything else.
const char* to_string(EchoMode mode);
std::optional<EchoMode> parse_echo_mode(std::string_view text);

/// The reply state of one TCP connection (Count needs the running total).
class ReplyBuilder {
 public:
  explicit ReplyBuilder(EchoMode mode) : mode_(mode) {}

  /// Appends the reply for one received chunk to `out`. `now` is only used by Time mode.
  void on_chunk(std::string_view chunk, std::time_t now, std::string& out);

  uint64_t received() const { return received_; }

 private:
  EchoMode mode_;
  uint64_t received_ = 0;
};

/// The reply for one UDP datagram: Count reports the datagram's own size (there is no
/// connection to accumulate over).
void udp_reply(EchoMode mode, std::string_view datagram, std::time_t now, std::string& out);

}  // namespace tcpinspect::traffic
