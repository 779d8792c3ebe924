// SPDX-License-Identifier: MIT
#pragma once
#include <chrono>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

/// The scripted loopback conversations of `tcpinspect demo`: an echo server and a client on
/// 127.0.0.1, each on its own thread with blocking sockets, ending the way the variant asks.
namespace tcpinspect::traffic {

/// How the demo conversation ends.
enum class DemoVariant : uint8_t {
  ClientCloses,  ///< "client": client close(), server read() returns 0, server close()
  ServerCloses,  ///< "server": server close() after two echoes, client sees EOF, closes
  Reset,         ///< "rst": client closes with SO_LINGER {1,0}: RST, server gets ECONNRESET
  ServerReset,   ///< "server-rst": the server aborts after two echoes, client gets ECONNRESET
  HalfClose,     ///< "half-close": client shutdown(SHUT_WR), server replies after EOF
  Refused,       ///< "refused": connect() to a bound port with no listener: ECONNREFUSED
};

/// "client", "server", "rst", "server-rst", "half-close", "refused".
const char* to_string(DemoVariant variant);

/// One socket call as the application saw it.
struct DemoStep {
  std::chrono::nanoseconds at{0};  ///< since run() began
  std::string side;                ///< "client" or "server"
  std::string text;                ///< e.g. "read() returned 0 (EOF: the peer sent FIN)"
};

struct DemoOutcome {
  std::vector<DemoStep> steps;  ///< in time order
  /// Empty when every call returned what the variant expects; otherwise what went wrong
  /// ("server: read() returned 6 bytes, expected ECONNRESET").
  std::string error;
};

/// One conversation. The constructor reserves the port: a listener on 127.0.0.1:0, or for
/// Refused a socket bound there that never listens (so nobody else takes the port while
/// the demo connects to it). Nothing is sent before run().
class DemoScenario {
 public:
  /// `pause`: how long an application waits before its close() when it reacts to the
  /// peer's FIN. Longer than Linux's largest delayed-ACK timeout (200 ms), so the ACK of
  /// the FIN leaves on its own and the close shows as the textbook four segments.
  /// Throws std::system_error if the socket cannot be bound.
  explicit DemoScenario(DemoVariant variant,
                        std::chrono::milliseconds pause = std::chrono::milliseconds(250));
  ~DemoScenario();
  DemoScenario(const DemoScenario&) = delete;
  DemoScenario& operator=(const DemoScenario&) = delete;

  DemoVariant variant() const { return variant_; }
  uint16_t port() const { return port_; }

  /// Runs the conversation (the server on a second thread) and returns once both sides
  /// have closed their sockets. Every socket call is bounded by `timeout`. Never throws:
  /// failures end up in DemoOutcome::error.
  DemoOutcome run(std::chrono::milliseconds timeout = std::chrono::milliseconds(3000));

 private:
  DemoVariant variant_;
  std::chrono::milliseconds pause_;
  int listen_fd_ = -1;
  uint16_t port_ = 0;
};

}  // namespace tcpinspect::traffic
