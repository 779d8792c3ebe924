// SPDX-License-Identifier: MIT
#pragma once
#include <array>
#include <cstdint>
#include <string>
#include <unordered_map>

#include "core/render/out_buffer.hpp"
#include "core/render/render.hpp"
#include "core/tcp/event_sink.hpp"

namespace tcpinspect::core {

/// `--format zeek`: a conn.log in Zeek's TSV log format (the #separator ... #types header,
/// one line per connection when it ends, #close), so zeek-cut and every tool that reads
/// Zeek logs reads it. conn_state and history are core/zeek's; tcpinspect's own columns
/// follow Zeek's. docs/interop.md describes each column and what is left unset.
class ZeekRenderer final : public EventSink {
 public:
  ZeekRenderer(const RenderOptions& options, WriteFn write);
  void on_segment(const SegmentEvent& ev) override;
  void on_connection_end(const ConnectionSummary& c) override;
  void on_finish(const InspectorStats& stats) override;
  void flush() override { out_.flush(); }

  /// The uid column: "C" + base62 of 96 bits of SHA-1 over the Community ID (seed 0), the
  /// connection's first timestamp in ns and its number. Deterministic: the same capture
  /// gives the same uids on every run and machine; distinct connections differ.
  static std::string uid(const ConnectionSummary& c);

 private:
  void put_header(int64_t open_ts_ns);

  RenderOptions options_;
  OutBuffer out_;
  bool header_written_ = false;
  int64_t last_ts_ns_ = 0;
  /// IP bytes (header included) each way, per tracked connection number: conn.log's
  /// orig_ip_bytes and resp_ip_bytes; forgotten when the connection's line is written.
  std::unordered_map<uint32_t, std::array<uint64_t, 2>> ip_bytes_;
};

}  // namespace tcpinspect::core
