// SPDX-License-Identifier: MIT
#include "capture/decompressing_stream.hpp"

#include <lzma.h>
#include <zlib.h>
#include <zstd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <vector>

#include "capture/error.hpp"

namespace tcpinspect::capture {
namespace {

// The stream behind the FILE*: compressed bytes in, decompressed bytes out, one decoder.
class Decompressor {
 public:
  Decompressor(FILE* in, Compression kind, std::shared_ptr<DecompressionState> state)
      : in_(in), kind_(kind), state_(std::move(state)), input_(kInputBytes) {
    switch (kind_) {
      case Compression::Gzip:
        // 16 + 15: a gzip wrapper around a deflate stream with a window of up to 32 KiB.
        if (inflateInit2(&zlib_, 16 + MAX_WBITS) != Z_OK) throw CaptureError("zlib: cannot start");
        zlib_ready_ = true;
        break;
      case Compression::Xz:
        // Concatenated .xz streams are one input, as xz -dc reads them.
        // The memory limit bounds what a hostile header can make the decoder allocate
        // (xz -9 needs 65 MiB; a dictionary of up to 1.5 GiB is legal).
        if (lzma_stream_decoder(&xz_, kXzMemoryLimit, LZMA_CONCATENATED) != LZMA_OK)
          throw CaptureError("liblzma: cannot start");
        xz_ready_ = true;
        in_member_ = true;  // until LZMA_STREAM_END, which comes only after the input ends
        break;
      case Compression::Zstd:
        zstd_ = ZSTD_createDCtx();
        if (!zstd_) throw CaptureError("libzstd: cannot start");
        break;
      case Compression::None:
        throw CaptureError("no compression to decode");
    }
  }
  ~Decompressor() {
    if (zlib_ready_) inflateEnd(&zlib_);
    if (xz_ready_) lzma_end(&xz_);
    if (zstd_) ZSTD_freeDCtx(zstd_);
    if (in_) std::fclose(in_);
  }
  Decompressor(const Decompressor&) = delete;
  Decompressor& operator=(const Decompressor&) = delete;

  /// Up to `size` decompressed bytes; 0 at the end of the data; -1 (and state_->error) when
  /// it is damaged, cut short or unreadable.
  ssize_t read(uint8_t* out, size_t size) {
    if (failed_) return -1;
    if (size == 0) return 0;
    if (head_pos_ < head_.size()) {
      const size_t n = std::min(size, head_.size() - head_pos_);
      std::memcpy(out, head_.data() + head_pos_, n);
      head_pos_ += n;
      return static_cast<ssize_t>(n);
    }
    // Each round either produces bytes, consumes input, reads more input or ends: the
    // decoders always progress when given input and room, and a round that does nothing
    // at the end of the input is the truncation it reports.
    for (;;) {
      if (in_pos_ == in_len_ && !in_eof_ && !refill()) return -1;
      const bool at_end = in_pos_ == in_len_ && in_eof_;
      if (at_end && !in_member_) return 0;
      size_t consumed = 0, produced = 0;
      if (!step(out, size, at_end, consumed, produced)) {
        // What was decoded before the damage is handed over first (the caller analyses it);
        // the next read reports the damage.
        return produced > 0 ? static_cast<ssize_t>(produced) : -1;
      }
      in_pos_ += consumed;
      if (produced > 0) return static_cast<ssize_t>(produced);
      if (consumed > 0 || !in_member_) continue;
      if (at_end)
        return fail(std::string("truncated ") + compression_name(kind_) +
                    " data: the file ends inside a compressed stream");
      if (in_pos_ < in_len_) return fail(std::string(compression_name(kind_)) + " decoder stalled");
    }
  }

  /// Decodes the first bytes ahead into the replay buffer (see open_decompressing).
  void prefetch_head(size_t want) {
    std::vector<uint8_t> head(want);
    size_t got = 0;
    while (got < want) {
      const ssize_t n = read(head.data() + got, want - got);
      if (n < 0) throw CaptureError(state_->error);
      if (n == 0) break;
      got += static_cast<size_t>(n);
    }
    head.resize(got);
    head_ = std::move(head);
    head_pos_ = 0;
  }
  const std::vector<uint8_t>& head() const { return head_; }

 private:
  static constexpr size_t kInputBytes = 256 << 10;
  static constexpr uint64_t kXzMemoryLimit = 1ull << 30;

  bool refill() {
    const size_t n = std::fread(input_.data(), 1, input_.size(), in_);
    in_pos_ = 0;
    in_len_ = n;
    state_->compressed_read.fetch_add(n, std::memory_order_relaxed);
    if (n == 0) {
      if (std::ferror(in_)) return fail(std::string("read error: ") + std::strerror(errno)) >= 0;
      in_eof_ = true;
    }
    return true;
  }

  ssize_t fail(const std::string& why) {
    failed_ = true;
    state_->error = why;
    errno = EIO;
    return -1;
  }

  // One decoder call: input from in_pos_, output to out; false (after fail) on damage.
  bool step(uint8_t* out, size_t size, bool at_end, size_t& consumed, size_t& produced) {
    const uint8_t* in = input_.data() + in_pos_;
    const size_t avail = in_len_ - in_pos_;
    switch (kind_) {
      case Compression::Gzip: {
        if (!in_member_) {
          // The next member of a concatenation (cat a.gz b.gz), or the first.
          if (started_ && inflateReset(&zlib_) != Z_OK) return fail("zlib: cannot reset") >= 0;
          started_ = in_member_ = true;
        }
        zlib_.next_in = const_cast<Bytef*>(in);
        zlib_.avail_in = static_cast<uInt>(std::min<size_t>(avail, UINT32_MAX));
        zlib_.next_out = out;
        zlib_.avail_out = static_cast<uInt>(std::min<size_t>(size, UINT32_MAX));
        const int rc = inflate(&zlib_, Z_NO_FLUSH);
        consumed = static_cast<size_t>(zlib_.next_in - in);
        produced = static_cast<size_t>(zlib_.next_out - out);
        if (rc == Z_STREAM_END) {
          in_member_ = false;
          return true;
        }
        if (rc == Z_OK || rc == Z_BUF_ERROR) return true;  // Z_BUF_ERROR: needs more input
        return fail(std::string("corrupt gzip data (zlib: ") + (zlib_.msg ? zlib_.msg : "error") +
                    ")") >= 0;
      }
      case Compression::Xz: {
        xz_.next_in = in;
        xz_.avail_in = avail;
        xz_.next_out = out;
        xz_.avail_out = size;
        const lzma_ret rc = lzma_code(&xz_, at_end ? LZMA_FINISH : LZMA_RUN);
        consumed = static_cast<size_t>(xz_.next_in - in);
        produced = static_cast<size_t>(xz_.next_out - out);
        if (rc == LZMA_STREAM_END) {
          in_member_ = false;
          return true;
        }
        if (rc == LZMA_OK) return true;
        if (rc == LZMA_BUF_ERROR) return true;  // no progress: truncated, if at the end
        return fail(std::string("corrupt xz data (liblzma: ") + xz_error(rc) + ")") >= 0;
      }
      case Compression::Zstd: {
        ZSTD_inBuffer zin{in, avail, 0};
        ZSTD_outBuffer zout{out, size, 0};
        const size_t rc = ZSTD_decompressStream(zstd_, &zout, &zin);
        consumed = zin.pos;
        produced = zout.pos;
        if (ZSTD_isError(rc))
          return fail(std::string("corrupt zstd data (libzstd: ") + ZSTD_getErrorName(rc) + ")") >=
                 0;
        // 0: a frame has ended and is flushed; the next bytes (if any) start another.
        in_member_ = rc != 0;
        return true;
      }
      case Compression::None:
        break;
    }
    return fail("no decoder") >= 0;
  }

  static const char* xz_error(lzma_ret rc) {
    switch (rc) {
      case LZMA_FORMAT_ERROR:
        return "not in the .xz format";
      case LZMA_OPTIONS_ERROR:
        return "unsupported options";
      case LZMA_DATA_ERROR:
        return "data is corrupt";
      case LZMA_MEM_ERROR:
        return "out of memory";
      case LZMA_MEMLIMIT_ERROR:
        return "decoding would need more than 1 GiB of memory";
      default:
        return "error";
    }
  }

  FILE* in_;
  Compression kind_;
  std::shared_ptr<DecompressionState> state_;
  std::vector<uint8_t> input_;
  size_t in_pos_ = 0, in_len_ = 0;
  bool in_eof_ = false;
  bool in_member_ = false;  // inside a gzip member, an xz stream or a zstd frame
  bool started_ = false;
  bool failed_ = false;
  std::vector<uint8_t> head_;  // decoded ahead by prefetch_head, given out first
  size_t head_pos_ = 0;
  z_stream zlib_{};
  bool zlib_ready_ = false;
  lzma_stream xz_ = LZMA_STREAM_INIT;
  bool xz_ready_ = false;
  ZSTD_DCtx* zstd_ = nullptr;
};

ssize_t cookie_read(void* cookie, char* buf, size_t size) {
  return static_cast<Decompressor*>(cookie)->read(reinterpret_cast<uint8_t*>(buf), size);
}

int cookie_close(void* cookie) {
  delete static_cast<Decompressor*>(cookie);
  return 0;
}

}  // namespace

Compression compression_of(std::span<const uint8_t> head) {
  auto starts = [&](std::initializer_list<uint8_t> magic) {
    return head.size() >= magic.size() && std::equal(magic.begin(), magic.end(), head.begin());
  };
  if (starts({0x1f, 0x8b})) return Compression::Gzip;
  if (starts({0xfd, '7', 'z', 'X'})) return Compression::Xz;  // FD 37 7A 58 5A 00
  if (starts({0x28, 0xb5, 0x2f, 0xfd})) return Compression::Zstd;
  return Compression::None;
}

const char* compression_name(Compression c) {
  switch (c) {
    case Compression::Gzip:
      return "gzip";
    case Compression::Xz:
      return "xz";
    case Compression::Zstd:
      return "zstd";
    case Compression::None:
      break;
  }
  return "";
}

FILE* open_decompressing(FILE* compressed, Compression kind,
                         const std::shared_ptr<DecompressionState>& state, std::span<uint8_t> head,
                         size_t& head_len) {
  std::unique_ptr<Decompressor> d;
  try {
    d = std::make_unique<Decompressor>(compressed, kind, state);
  } catch (...) {
    std::fclose(compressed);
    throw;
  }
  d->prefetch_head(head.size());  // throws on damage; d closes `compressed`
  head_len = d->head().size();
  std::copy(d->head().begin(), d->head().end(), head.begin());
  FILE* stream = ::fopencookie(d.get(), "rb",
                               cookie_io_functions_t{cookie_read, nullptr, nullptr, cookie_close});
  if (!stream) throw CaptureError(std::string("cannot open a stream: ") + std::strerror(errno));
  d.release();
  // libpcap reads record by record; a large buffer keeps the decoder's calls few.
  std::setvbuf(stream, nullptr, _IOFBF, 256 << 10);
  return stream;
}

}  // namespace tcpinspect::capture
