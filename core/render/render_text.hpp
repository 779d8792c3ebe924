// SPDX-License-Identifier: MIT
#pragma once
#include <array>
#include <vector>

#include "core/render/out_buffer.hpp"
#include "core/render/render.hpp"
#include "core/tcp/event_sink.hpp"
#include "core/wire/ip_format.hpp"

namespace tcpinspect::core {

/// The default view: one annotated line per segment (relative time, connection, direction,
/// addresses, flags, seq/ack, window, length, options, the arithmetic from the ISNs with
/// ✓/✗, both endpoints' transitions, what it means), a timer line when TIME_WAIT ends, and
/// each connection's summary when it ends. ANSI colour when RenderOptions::color.
class TextRenderer final : public EventSink {
 public:
  TextRenderer(const RenderOptions& options, WriteFn write);
  void on_segment(const SegmentEvent& ev) override;
  void on_timer(const TimerEvent& ev) override;
  void on_icmp(const IcmpEvent& ev) override;
  void on_problem(const ProblemEvent& ev) override;
  void on_connection_end(const ConnectionSummary& c) override;
  void on_finish(const InspectorStats& stats) override;
  void flush() override { out_.flush(); }

 private:
  void color(std::string_view code);
  void put_frame(uint64_t frame);
  /// "src > dst" of a segment. Formatting addresses is a good part of a line's cost and a
  /// connection's two endpoints never change, so each is formatted once per connection
  /// (a small cache by connection id) and copied afterwards.
  void put_endpoints(uint32_t conn_id, const DecodedPacket& p);

  struct EndpointText {
    uint32_t conn_id = 0;  // 0: empty (ids start at 1)
    IpAddress first_addr;  // the endpoint whose text is text[0]
    uint16_t first_port = 0;
    std::array<uint8_t, 2> len{};
    std::array<std::array<char, kMaxEndpointText>, 2> text{};
  };
  static constexpr size_t kEndpointCache = 4096;

  RenderOptions options_;
  OutBuffer out_;
  std::vector<EndpointText> endpoints_;
  bool bad_checksum_said_ = false;
  bool unconfirmed_said_ = false;  // the '?' legend, printed once before its first use
};

}  // namespace tcpinspect::core
