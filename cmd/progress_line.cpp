// SPDX-License-Identifier: MIT
#include "cmd/progress_line.hpp"

#include <unistd.h>

#include <cmath>
#include <cstdio>

namespace tcpinspect::cmd {
namespace {

std::string with_commas(uint64_t n) {
  std::string digits = std::to_string(n);
  for (int i = static_cast<int>(digits.size()) - 3; i > 0; i -= 3)
    digits.insert(static_cast<size_t>(i), ",");
  return digits;
}

// Decimal units, as dd and curl report rates.
std::string bytes_text(double bytes) {
  static const char* const kUnits[] = {"B", "kB", "MB", "GB", "TB"};
  size_t unit = 0;
  while (bytes >= 1000 && unit + 1 < std::size(kUnits)) {
    bytes /= 1000;
    ++unit;
  }
  char buf[32];
  std::snprintf(buf, sizeof buf, unit == 0 ? "%.0f %s" : "%.1f %s", bytes, kUnits[unit]);
  return buf;
}

std::string duration_text(double s) {
  const auto total = static_cast<uint64_t>(std::ceil(s));
  char buf[32];
  if (total < 60)
    std::snprintf(buf, sizeof buf, "%llus", static_cast<unsigned long long>(total));
  else if (total < 3600)
    std::snprintf(buf, sizeof buf, "%llum%02llus", static_cast<unsigned long long>(total / 60),
                  static_cast<unsigned long long>(total % 60));
  else
    std::snprintf(buf, sizeof buf, "%lluh%02llum", static_cast<unsigned long long>(total / 3600),
                  static_cast<unsigned long long>(total / 60 % 60));
  return buf;
}

}  // namespace

ProgressLine::ProgressLine(bool enabled)
    : enabled_(enabled), start_(std::chrono::steady_clock::now()), next_(start_ + kFirstDelay) {}

void ProgressLine::draw(const std::string& text) {
  // Carriage return, the line, then erase whatever a longer line left to its right.
  std::fprintf(stderr, "\r%s\033[K", text.c_str());
  std::fflush(stderr);
  shown_ = true;
}

void ProgressLine::clear() {
  if (!shown_) return;
  std::fputs("\r\033[K", stderr);
  std::fflush(stderr);
  shown_ = false;
}

bool progress_wanted(bool quiet) {
  return !quiet && ::isatty(STDERR_FILENO) == 1 && ::isatty(STDOUT_FILENO) != 1;
}

std::string format_replay_progress(uint64_t frames, uint64_t position, uint64_t size,
                                   double elapsed_s) {
  std::string line = "tcpinspect: " + with_commas(frames) + " frames, " +
                     bytes_text(static_cast<double>(position));
  if (size != 0 && position <= size) {
    line += " of " + bytes_text(static_cast<double>(size)) + " (" +
            std::to_string(position * 100 / size) + "%)";
  }
  if (elapsed_s > 0) {
    const double rate = static_cast<double>(position) / elapsed_s;
    line += ", " + bytes_text(rate) + "/s";
    if (size != 0 && position <= size && rate > 0)
      line += ", ETA " + duration_text(static_cast<double>(size - position) / rate);
  }
  return line;
}

}  // namespace tcpinspect::cmd
