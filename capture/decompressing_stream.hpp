// SPDX-License-Identifier: MIT
#pragma once
#include <atomic>
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <memory>
#include <span>
#include <string>

namespace tcpinspect::capture {

/// The compressions a capture file may come in, told by their magic bytes (not by the
/// file's name: rotated or piped captures often have none).
enum class Compression { None, Gzip, Xz, Zstd };

/// The compression whose magic number `head` (a file's first bytes) starts with.
Compression compression_of(std::span<const uint8_t> head);
/// "gzip", "xz", "zstd" (or "" for None): how messages name it.
const char* compression_name(Compression c);

/// What a decompressing stream shares with its reader: how far into the compressed input
/// it is (for progress; updated on the reading thread, read from any), and why it stopped
/// if the compressed data was damaged or cut short.
struct DecompressionState {
  std::atomic<uint64_t> compressed_read{0};  // bytes taken from the compressed input
  std::string error;  // set once, before the stream reports a read error; then constant
};

/// Wraps `compressed` (owned from now on, closed with the result) in a stream that gives
/// the decompressed bytes, through zlib, liblzma or libzstd. Concatenated members, streams
/// or frames (as `cat a.gz b.gz` or pzstd write them) are read one after another. Damaged
/// or truncated data ends the stream with a read error (ferror), never a silent end, and
/// `state.error` says which in one line (without the input's name; the caller adds it).
///
/// The first decompressed bytes are decoded at once and copied to `head` (as many as it
/// holds, fewer only for shorter data; `head_len` says how many), so the caller can tell
/// the format inside; the stream still starts at byte 0. Throws CaptureError (without the
/// input's name) if the decoder cannot be set up or the data is damaged from its start;
/// `compressed` is closed then.
FILE* open_decompressing(FILE* compressed, Compression kind,
                         const std::shared_ptr<DecompressionState>& state, std::span<uint8_t> head,
                         size_t& head_len);

}  // namespace tcpinspect::capture
