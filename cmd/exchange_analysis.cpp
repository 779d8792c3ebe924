// SPDX-License-Identifier: MIT
#include "cmd/exchange_analysis.hpp"

#include <cstdio>
#include <string_view>

#include "core/render/render.hpp"
#include "core/tcp/inspector.hpp"
#include "core/wire/decode.hpp"

namespace tcpinspect::cmd {

// The exchange as `replay` would annotate it: both endpoints' states, seq/ack checks.
void print_analysis(core::LinkType link, const std::vector<ExchangeFrame>& frames) {
  if (frames.empty()) return;
  std::printf("annotated (as tcpinspect replay shows this exchange):\n");
  std::fflush(stdout);
  auto write = [](std::string_view text) { std::fwrite(text.data(), 1, text.size(), stdout); };
  auto renderer = core::make_renderer(core::RenderOptions{}, write);
  core::Inspector inspector(core::InspectorConfig{}, *renderer);
  uint64_t index = 0;
  core::DecodedFrame d;
  for (const ExchangeFrame& f : frames) {
    core::decode_frame(link, {++index, f.ts_ns, f.bytes, static_cast<uint32_t>(f.bytes.size())}, d);
    inspector.feed({&d, 1});
  }
  inspector.finish();
  std::fflush(stdout);
}

}  // namespace tcpinspect::cmd
