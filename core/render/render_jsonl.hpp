// SPDX-License-Identifier: MIT
#pragma once
#include <array>
#include <cstdint>
#include <unordered_map>

#include "core/render/out_buffer.hpp"
#include "core/render/render.hpp"
#include "core/tcp/event_sink.hpp"
#include "core/wire/community_id.hpp"

namespace tcpinspect::core {

/// One JSON object per line: "segment", "timer", "icmp", "problem" and "connection"
/// records, then "stats". The format is public and stable: docs/json.md.
class JsonlRenderer final : public EventSink {
 public:
  JsonlRenderer(const RenderOptions& options, WriteFn write);
  void on_segment(const SegmentEvent& ev) override;
  void on_timer(const TimerEvent& ev) override;
  void on_icmp(const IcmpEvent& ev) override;
  void on_problem(const ProblemEvent& ev) override;
  void on_connection_end(const ConnectionSummary& c) override;
  void on_finish(const InspectorStats& stats) override;
  void flush() override { out_.flush(); }

 private:
  /// Connection `conn_id`'s Community ID, hashed once per connection (a SHA-1 per segment
  /// costs about a microsecond with OpenSSL 3) and forgotten when its record is written.
  std::string_view community_id(uint32_t conn_id, const IpAddress& client_addr,
                                uint16_t client_port, const IpAddress& server_addr,
                                uint16_t server_port);

  RenderOptions options_;
  OutBuffer out_;
  std::unordered_map<uint32_t, std::array<char, kCommunityIdLength>> community_ids_;
};

}  // namespace tcpinspect::core
