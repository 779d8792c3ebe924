// SPDX-License-Identifier: MIT
#pragma once
#include <atomic>
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <string>

#include "traffic/socket_address.hpp"

/// The echo client's load mode: C concurrent TCP connections, each doing M request/response
/// round trips of B bytes, every echoed byte checked against a known pattern.
namespace tcpinspect::traffic {

struct LoadOptions {
  SocketAddress target;
  size_t connections = 1;
  size_t messages = 1;                        ///< per connection
  size_t size = 64;                           ///< bytes per message (>= 1)
  std::chrono::milliseconds timeout{10000};   ///< abort when nothing at all moves this long
  std::chrono::milliseconds duration{60000};  ///< stop (not an error) after this long
  std::chrono::milliseconds hold{0};          ///< keep every connection open this long at the end
  size_t max_connecting = 256;                ///< connects in flight at once
  std::function<void(const std::string&)> progress;  ///< "connected 1000 ..." lines
  const std::atomic<bool>* stop = nullptr;           ///< set (Ctrl-C): end the run, report so far
};

struct LoadReport {
  size_t connected = 0;
  size_t connect_failures = 0;
  size_t connection_errors = 0;  ///< reset / early EOF / socket errors after connecting
  uint64_t mismatches = 0;       ///< messages whose echo differed from what was sent
  uint64_t messages = 0;         ///< round trips completed and verified
  uint64_t bytes = 0;            ///< verified bytes (each direction)
  double connect_seconds = 0;    ///< until every connect finished
  double elapsed_seconds = 0;    ///< message phase, first send to last verified byte
  bool stopped_by_duration = false;
  bool stopped_by_signal = false;               ///< LoadOptions::stop ended the run (never ok())
  bool stalled = false;                         ///< the inactivity timeout fired
  uint64_t p50_ns = 0, p99_ns = 0, max_ns = 0;  ///< round-trip latency
  std::string first_error;

  double messages_per_second() const;
  double bytes_per_second() const;
  /// True when every connection connected and every message came back intact.
  bool ok(const LoadOptions& options) const;
};

/// Byte `i` of message `m` on connection `c`: (i + 131 m + 7919 c) mod 251. The period 251
/// (prime) keeps the pattern from lining up with buffer sizes, so a lost, repeated or
/// reordered chunk is always detected.
uint8_t load_pattern_byte(size_t c, size_t m, size_t i);

/// Runs the load; throws std::system_error only for local failures (epoll, socket()).
LoadReport run_load(const LoadOptions& options);

/// "connections=1000/1000 messages=100000 bytes=6400000 connect=0.05s elapsed=1.2s
///  msgs/s=83333 bytes/s=5333333 p50=1.1ms p99=3.2ms max=9.0ms errors=0 mismatches=0"
std::string format_load_report(const LoadReport& r, const LoadOptions& options);

}  // namespace tcpinspect::traffic
