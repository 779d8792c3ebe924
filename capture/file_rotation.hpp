// SPDX-License-Identifier: MIT
#pragma once
#include <chrono>
#include <cstdint>
#include <ctime>
#include <string>
#include <string_view>

/// tcpdump's -C, -G and -W for a -w file, without the files: which name the capture is
/// written to and when the next one starts. Mirrors tcpdump 4.99 (MakeFilename and
/// dump_packet_and_trunc in tcpdump.c) so that scripts written for tcpdump's file names work:
///
///   -C N      before a frame is written, a file already larger than N × 1,000,000 bytes is
///             closed and the next one opened: FILE, FILE1, FILE2, ...
///   -W N -C   a ring of N files: FILE0 ... FILE(N-1), numbers zero-padded to the width of
///             N-1, then FILE0 again (overwritten)
///   -G S      the first frame at least S after the current file was opened starts a new
///             one; FILE goes through strftime(3) with the local time of the opening (a name
///             with no % conversion is overwritten each time)
///   -G -W N   stop (exit 0) instead of opening file N+1
///   -G -C     both; each -G file is numbered for -C from 0 (with -W the ring wraps, but -W
///             stops nothing)
namespace tcpinspect::capture {

struct RotationOptions {
  uint64_t max_file_bytes = 0;          ///< -C N: N × 1,000,000 (0: no size limit)
  std::chrono::nanoseconds interval{};  ///< -G (0: no time limit)
  uint32_t file_count = 0;              ///< -W (0: none)
  bool active() const { return max_file_bytes != 0 || interval.count() != 0; }
};

/// -C's argument as tcpdump 4.99 takes it: a positive whole number of millions of bytes.
/// Returns bytes; throws std::invalid_argument ("-C wants a positive whole number of
/// millions of bytes, not 'x'").
uint64_t parse_file_size_millions(std::string_view text);

/// How many digits -W N pads file numbers to (tcpdump's getWflagChars: those of N-1).
int file_number_digits(uint32_t file_count);

/// tcpdump's MakeFilename: `pattern`, through strftime with the local time `opened` when
/// `use_strftime`, then `number` zero-padded to `digits` unless both are 0. Throws
/// std::invalid_argument when the name would be longer than PATH_MAX.
std::string rotated_file_name(const std::string& pattern, bool use_strftime, std::time_t opened,
                              uint32_t number, int digits);

class FileRotation {
 public:
  enum class Step {
    Same,     ///< write the frame to the current file
    NewFile,  ///< close the current file, open file_name(), then write the frame to it
    Stop,     ///< -G with -W: the limit is reached; write nothing more
  };

  /// The first file is opened at `start_ns` (wall clock, ns since the epoch).
  FileRotation(std::string pattern, RotationOptions options, int64_t start_ns);

  /// The file to write to now.
  const std::string& file_name() const { return name_; }

  /// Called before each frame with its time and how many bytes the current file holds
  /// (header included, buffered bytes too).
  Step before_frame(int64_t now_ns, uint64_t current_file_bytes);

 private:
  std::string make_name() const;

  std::string pattern_;
  RotationOptions options_;
  int64_t opened_ns_;        // when the current -G period started
  uint32_t number_ = 0;      // tcpdump's Cflag_count
  uint32_t time_files_ = 0;  // tcpdump's Gflag_count: -G rotations so far
  std::string name_;
};

}  // namespace tcpinspect::capture
