// SPDX-License-Identifier: MIT
// The path `tcpinspect replay FILE` takes on a real file, on hostile bytes: each input is
// written to a temporary file and opened by name, so the sniffing open, the chunked
// classic-pcap reader, libpcap's pcapng reader and (every other input) the two-thread
// DecodingReader all run, as they do on a user's file. fuzz_replay reaches none of them
// (it reads an in-memory stream through libpcap).
//
// Input: one mode byte, then the file. Mode bit 0: two threads; bit 1: the bytes are the
// whole file as is (pcapng, pcap with its own header, or either compressed with gzip, xz or
// zstd: the decompressing stream is sniffed from the magic bytes as for a user's file);
// otherwise a classic pcap header with link type kLinkTypes[(mode >> 2) % 8] goes in front.
// Bit 5: the file is read twice over, merged in time order (MergedCapture's merge).
#include <unistd.h>

#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <span>
#include <string>
#include <vector>

#include "capture/decoding_reader.hpp"
#include "capture/error.hpp"
#include "capture/merged_capture.hpp"
#include "capture/pcap_file_source.hpp"
#include "core/render/render.hpp"
#include "core/tcp/inspector.hpp"
#include "core/wire/decode.hpp"
#include "core/wire/frame.hpp"
#include "fuzz/fuzz_analysis.hpp"

namespace {

constexpr uint32_t kLinkTypes[] = {0, 1, 101, 108, 113, 228, 229, 276};

// As cmd/replay.cpp: two threads through DecodingReader, or one in held batches.
void replay_file(const std::string& path, bool two_threads, bool merged) {
  using namespace tcpinspect;
  try {
    std::vector<std::string> inputs{path};
    if (merged) inputs.push_back(path);
    capture::MergedCapture source(inputs);
    fuzz::FuzzAnalysis analysis;
    core::Inspector& inspector = analysis.inspector();
    if (two_threads) {
      capture::DecodingReader reader(source, true);
      for (auto block = reader.next_block(); !block.empty(); block = reader.next_block())
        inspector.feed(block);
    } else {
      const size_t batch_size = source.hold_frames() ? 16 : 1;
      std::vector<core::DecodedFrame> batch(batch_size);
      size_t count = 0;
      core::Frame frame;
      while (source.next(frame) == capture::FrameSource::ReadStatus::Frame) {
        core::decode_frame(source.link(), frame, batch[count++]);
        if (count == batch_size) {
          inspector.feed(std::span<const core::DecodedFrame>(batch.data(), count));
          count = 0;
          source.release_held();
        }
      }
      inspector.feed(std::span<const core::DecodedFrame>(batch.data(), count));
    }
    inspector.finish();
  } catch (const capture::CaptureError&) {
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size < 1) return 0;
  const uint8_t mode = data[0];
  std::vector<uint8_t> file;
  if ((mode & 2) == 0) {
    // pcap global header, microseconds, little-endian, snaplen 65535.
    file = {0xd4, 0xc3, 0xb2, 0xa1, 2, 0, 4, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff, 0, 0};
    const uint32_t link = kLinkTypes[(mode >> 2) % 8];
    for (int i = 0; i < 4; ++i)
      file.push_back(static_cast<uint8_t>(link >> (8 * i)));
  }
  file.insert(file.end(), data + 1, data + size);
  char path[] = "/tmp/fuzz_replay_file-XXXXXX";
  const int fd = ::mkstemp(path);
  if (fd < 0) std::abort();  // the harness itself is broken: say so loudly
  size_t done = 0;
  while (done < file.size()) {
    const ssize_t n = ::write(fd, file.data() + done, file.size() - done);
    if (n <= 0) std::abort();
    done += static_cast<size_t>(n);
  }
  ::close(fd);
  replay_file(path, mode & 1, mode & 0x20);
  ::unlink(path);
  return 0;
}
