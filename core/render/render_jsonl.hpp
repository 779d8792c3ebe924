// SPDX-License-Identifier: MIT
#pragma once
#include <array>
#include <cstdint>
#include <unordered_map>
#include <vector>

#include "core/render/out_buffer.hpp"
#include "core/render/render.hpp"
#include "core/tcp/event_sink.hpp"
#include "core/wire/community_id.hpp"
#include "core/wire/ip_format.hpp"

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

  /// `,"community_id":…,"dir":…,"src":…,"dst":…,"client_ip":…,"server_port":N` of a
  /// segment. These fields are a third of a line and never change within a connection and
  /// direction, so they are formatted once per connection (a small cache by connection id,
  /// like the text view's) and copied afterwards.
  void put_endpoint_fields(const SegmentEvent& ev);

  // `,"dir":"c2s","src":"…","dst":"…"` with the longest endpoints.
  static constexpr size_t kDirFieldsMax = 12 + 9 + kMaxEndpointText + 9 + kMaxEndpointText + 1;
  // `,"client_ip":"…","client_port":65535,"server_ip":"…","server_port":65535`.
  static constexpr size_t kSplitFieldsMax = 2 * (15 + kMaxEndpointText + 16 + 5);
  struct EndpointFields {
    uint32_t conn_id = 0;  // 0: empty (ids start at 1)
    IpAddress client_addr;
    uint16_t client_port = 0;
    std::array<uint8_t, 2> dir_len{};  // [0]: client to server
    uint8_t split_len = 0;
    std::array<char, kCommunityIdLength> community_id{};
    std::array<std::array<char, kDirFieldsMax>, 2> dir{};
    std::array<char, kSplitFieldsMax> split{};
  };
  static constexpr size_t kEndpointCache = 4096;

  RenderOptions options_;
  OutBuffer out_;
  std::unordered_map<uint32_t, std::array<char, kCommunityIdLength>> community_ids_;
  std::vector<EndpointFields> endpoint_fields_;
};

}  // namespace tcpinspect::core
