// SPDX-License-Identifier: MIT
#pragma once
#include <cstddef>
#include <memory>
#include <string_view>

#include "core/render/render.hpp"
#include "core/tcp/inspector.hpp"

namespace tcpinspect::fuzz {

/// The analysis every replay fuzzer feeds: a table of 8 connections (so eviction runs too),
/// a 1 ms MSL (so TIME_WAIT expiry runs too), and a renderer whose output is only counted.
class FuzzAnalysis {
 public:
  explicit FuzzAnalysis(core::OutputFormat format = core::OutputFormat::Text)
      : renderer_(core::make_renderer(render_options(format),
                                      [this](std::string_view s) { written_ += s.size(); })),
        inspector_(inspector_config(), *renderer_) {}

  core::Inspector& inspector() { return inspector_; }

 private:
  static core::InspectorConfig inspector_config() {
    core::InspectorConfig config;
    config.max_connections = 8;
    config.msl_ns = 1'000'000;
    return config;
  }
  static core::RenderOptions render_options(core::OutputFormat format) {
    core::RenderOptions options;
    options.format = format;
    return options;
  }

  size_t written_ = 0;
  std::unique_ptr<core::EventSink> renderer_;
  core::Inspector inspector_;
};

}  // namespace tcpinspect::fuzz
