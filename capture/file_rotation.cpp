// SPDX-License-Identifier: MIT
#include "capture/file_rotation.hpp"

#include <climits>
#include <cstdio>
#include <stdexcept>
#include <vector>

namespace tcpinspect::capture {
namespace {

constexpr int64_t kNsPerSecond = 1'000'000'000;

std::time_t whole_seconds(int64_t ns) {
  return static_cast<std::time_t>(ns >= 0 ? ns / kNsPerSecond
                                          : (ns - kNsPerSecond + 1) / kNsPerSecond);
}

}  // namespace

uint64_t parse_file_size_millions(std::string_view text) {
  const auto bad = [&] {
    return std::invalid_argument("-C wants a positive whole number of millions of bytes, not '" +
                                 std::string(text) + "'");
  };
  if (text.empty() || text.size() > 12) throw bad();  // 10^12 MB: more than any disk
  uint64_t millions = 0;
  for (char c : text) {
    if (c < '0' || c > '9') throw bad();
    millions = millions * 10 + static_cast<uint64_t>(c - '0');
  }
  if (millions == 0) throw bad();
  return millions * 1'000'000;
}

int file_number_digits(uint32_t file_count) {
  int digits = 0;
  for (uint32_t x = file_count > 0 ? file_count - 1 : 0; x > 0; x /= 10)
    ++digits;
  return digits;
}

std::string rotated_file_name(const std::string& pattern, bool use_strftime, std::time_t opened,
                              uint32_t number, int digits) {
  std::string name = pattern;
  if (use_strftime) {
    std::tm local{};
    if (!::localtime_r(&opened, &local)) throw std::invalid_argument("-G: no local time");
    std::vector<char> buffer(PATH_MAX + 1);
    // 0 is also what an empty result gives; only a non-empty pattern can overflow.
    const size_t n = std::strftime(buffer.data(), buffer.size(), pattern.c_str(), &local);
    if (n == 0 && !pattern.empty())
      throw std::invalid_argument("-w " + pattern + ": the name is empty or longer than " +
                                  std::to_string(PATH_MAX) + " bytes after strftime");
    name.assign(buffer.data(), n);
  }
  if (number != 0 || digits != 0) {
    char suffix[16];
    std::snprintf(suffix, sizeof suffix, "%0*u", digits, number);
    name += suffix;
  }
  if (name.size() > PATH_MAX)
    throw std::invalid_argument("-w " + pattern + ": file name longer than " +
                                std::to_string(PATH_MAX) + " bytes");
  return name;
}

FileRotation::FileRotation(std::string pattern, RotationOptions options, int64_t start_ns)
    : pattern_(std::move(pattern)), options_(options), opened_ns_(start_ns) {
  name_ = make_name();
}

std::string FileRotation::make_name() const {
  // Numbers only with -C (tcpdump: "We do not need numbering for dumpfiles if Cflag isn't
  // set"), so -G -W alone does not number its files.
  const int digits = options_.max_file_bytes != 0 ? file_number_digits(options_.file_count) : 0;
  return rotated_file_name(pattern_, options_.interval.count() != 0, whole_seconds(opened_ns_),
                           number_, digits);
}

FileRotation::Step FileRotation::before_frame(int64_t now_ns, uint64_t current_file_bytes) {
  bool rotated = false;
  if (options_.interval.count() != 0 && now_ns - opened_ns_ >= options_.interval.count()) {
    opened_ns_ = now_ns;
    ++time_files_;
    if (options_.max_file_bytes == 0 && options_.file_count != 0 &&
        time_files_ >= options_.file_count)
      return Step::Stop;
    number_ = 0;
    current_file_bytes = 0;  // the size check below is about the new, empty file
    rotated = true;
  }
  if (options_.max_file_bytes != 0 && current_file_bytes > options_.max_file_bytes) {
    ++number_;
    if (options_.file_count != 0 && number_ >= options_.file_count) number_ = 0;
    rotated = true;
  }
  if (!rotated) return Step::Same;
  name_ = make_name();
  return Step::NewFile;
}

}  // namespace tcpinspect::capture
