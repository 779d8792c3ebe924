// SPDX-License-Identifier: MIT
// The whole replay path on hostile bytes: a pcap global header (link type chosen by the
// first input byte) followed by the fuzzer's bytes as the capture body, read through
// libpcap, analysed and rendered in every format.
#include <cstdint>
#include <cstdio>
#include <cstring>
#include <vector>

#include "capture/error.hpp"
#include "capture/pcap_file_source.hpp"
#include "core/render/render.hpp"
#include "core/tcp/inspector.hpp"
#include "core/wire/decode.hpp"
#include "core/wire/frame.hpp"
#include "fuzz/fuzz_analysis.hpp"

namespace {

constexpr uint32_t kLinkTypes[] = {0, 1, 101, 108, 113, 228, 229, 276};

void replay(const std::vector<uint8_t>& file, tcpinspect::core::OutputFormat format) {
  using namespace tcpinspect;
  FILE* stream = fmemopen(const_cast<uint8_t*>(file.data()), file.size(), "rb");
  if (!stream) return;
  try {
    capture::PcapFileSource source(stream, "fuzz");
    const auto link = core::link_type_from_dlt(source.datalink());
    if (!link) return;
    fuzz::FuzzAnalysis analysis(format);
    core::Inspector& inspector = analysis.inspector();
    core::Frame frame;
    core::DecodedFrame decoded;
    while (source.next(frame) == capture::PcapFileSource::ReadStatus::Frame) {
      core::decode_frame(*link, frame, decoded);
      inspector.feed({&decoded, 1});
    }
    inspector.finish();
  } catch (const capture::CaptureError&) {
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size < 1) return 0;
  const uint32_t link = kLinkTypes[data[0] % 8];
  const auto format = static_cast<tcpinspect::core::OutputFormat>((data[0] >> 3) % 4);
  // pcap global header, nanosecond magic, little-endian, snaplen 65535.
  std::vector<uint8_t> file = {0x4d, 0x3c, 0xb2, 0xa1, 2, 0, 4,    0,    0, 0,
                               0,    0,    0,    0,    0, 0, 0xff, 0xff, 0, 0};
  for (int i = 0; i < 4; ++i)
    file.push_back(static_cast<uint8_t>(link >> (8 * i)));
  file.insert(file.end(), data + 1, data + size);
  replay(file, format);
  return 0;
}
