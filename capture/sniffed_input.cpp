// SPDX-License-Identifier: MIT
#include "capture/sniffed_input.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>

#include "capture/error.hpp"

namespace tcpinspect::capture {
namespace {

std::string describe(const std::string& path) {
  return path == "-" ? "standard input" : path;
}

// read(2) until `want` bytes or end of input; -1 on error.
ssize_t read_fully(int fd, uint8_t* buf, size_t want) {
  size_t got = 0;
  while (got < want) {
    const ssize_t n = ::read(fd, buf + got, want - got);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) return -1;
    if (n == 0) break;
    got += static_cast<size_t>(n);
  }
  return static_cast<ssize_t>(got);
}

// A stream over a descriptor that first gives back the bytes already read from it.
struct Replayed {
  int fd;
  std::array<uint8_t, 4> head;
  size_t len;
  size_t pos = 0;
};

ssize_t replayed_read(void* cookie, char* buf, size_t size) {
  auto* r = static_cast<Replayed*>(cookie);
  if (r->pos < r->len) {
    const size_t n = std::min(size, r->len - r->pos);
    std::memcpy(buf, r->head.data() + r->pos, n);
    r->pos += n;
    return static_cast<ssize_t>(n);
  }
  // EINTR is handed on, not retried: the kernel restarts a read for handlers that ask it to
  // (SA_RESTART), so an EINTR here means a handler that wants the blocked read to stop
  // (replay's Ctrl-C). The stream then reports an error, and the caller knows why.
  return ::read(r->fd, buf, size);
}

int replayed_close(void* cookie) {
  auto* r = static_cast<Replayed*>(cookie);
  const int rc = ::close(r->fd);
  delete r;
  return rc;
}

}  // namespace

bool SniffedInput::classic_pcap() const {
  if (magic_len < 4) return false;
  const uint32_t le =
      magic[0] | magic[1] << 8 | magic[2] << 16 | static_cast<uint32_t>(magic[3]) << 24;
  const uint32_t be =
      magic[3] | magic[2] << 8 | magic[1] << 16 | static_cast<uint32_t>(magic[0]) << 24;
  return le == 0xa1b2c3d4 || le == 0xa1b23c4d || be == 0xa1b2c3d4 || be == 0xa1b23c4d;
}

SniffedInput open_sniffed(const std::string& path) {
  const std::string name = describe(path);
  // Standard input is duplicated so that closing the stream leaves descriptor 0 alone.
  const int fd = path == "-" ? ::fcntl(STDIN_FILENO, F_DUPFD_CLOEXEC, 0)
                             : ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) throw CaptureError(name + ": " + std::strerror(errno));
  auto fail = [&](const std::string& why) {
    ::close(fd);
    throw CaptureError(name + ": " + why);
  };
  struct stat st {};
  if (::fstat(fd, &st) != 0) fail(std::strerror(errno));
  if (S_ISDIR(st.st_mode)) fail("is a directory, not a capture file");

  SniffedInput in;
  in.regular = S_ISREG(st.st_mode);
  // Standard input may be a regular file already partly read (`{ head -c 0; ...; } <f`):
  // it is rewound to where it stood, and mapped only when that is the file's start.
  const off_t start = in.regular ? ::lseek(fd, 0, SEEK_CUR) : -1;
  if (start < 0) in.regular = false;
  if (in.regular && st.st_size > start) in.size = static_cast<uint64_t>(st.st_size - start);
  const ssize_t got = read_fully(fd, in.magic.data(), in.magic.size());
  if (got < 0) fail(std::strerror(errno));
  if (got == 0) fail(in.regular ? "empty file, not a capture file" : "no data, not a capture file");
  in.magic_len = static_cast<size_t>(got);

  if (in.regular && ::lseek(fd, start, SEEK_SET) == start) {
    in.regular = start == 0;
    in.stream = ::fdopen(fd, "rb");
  } else {
    in.regular = false;  // could not rewind: read it as a stream
    auto* cookie = new Replayed{fd, in.magic, in.magic_len};
    in.stream = ::fopencookie(
        cookie, "rb", cookie_io_functions_t{replayed_read, nullptr, nullptr, replayed_close});
    if (!in.stream) {
      delete cookie;
      fail(std::strerror(errno));
    }
    return in;
  }
  if (!in.stream) fail(std::strerror(errno));
  return in;
}

}  // namespace tcpinspect::capture
