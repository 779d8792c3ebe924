// SPDX-License-Identifier: MIT
// The background hasher: right digests for several files hashed at once, as their bytes
// become available in turns, and one thread for all of them (issue 12: no thread per
// transfer).
#include "traffic/udp_transfer_hasher.hpp"

#include <fcntl.h>
#include <unistd.h>

#include <cstdint>
#include <filesystem>
#include <fstream>
#include <memory>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "tests/traffic/temp_dir.hpp"
#include "traffic/fd.hpp"

namespace tcpinspect::traffic::udp {
namespace {

size_t thread_count() {
  size_t n = 0;
  for ([[maybe_unused]] const auto& e : std::filesystem::directory_iterator("/proc/self/task"))
    ++n;
  return n;
}

std::vector<uint8_t> pattern(size_t size, uint8_t seed) {
  std::vector<uint8_t> bytes(size);
  for (size_t i = 0; i < size; ++i)
    bytes[i] = static_cast<uint8_t>(seed + i * 131 + (i >> 9));
  return bytes;
}

TEST(UdpTransferHasher, OneThreadHashesManyFilesInTurns) {
  test::TempDir dir("ti-hasher");
  // Empty, one byte, just over one turn (1 MiB), and several turns.
  const std::vector<size_t> sizes = {0, 1, (1u << 20) + 3, 3u << 20, 4096, 777, 65536, 12345};
  std::vector<std::vector<uint8_t>> contents;
  std::vector<Fd> fds;
  for (size_t i = 0; i < sizes.size(); ++i) {
    contents.push_back(pattern(sizes[i], static_cast<uint8_t>(i)));
    const auto path = dir.path() / ("f" + std::to_string(i));
    std::ofstream(path, std::ios::binary)
        .write(reinterpret_cast<const char*>(contents.back().data()),
               static_cast<std::streamsize>(contents.back().size()));
    fds.emplace_back(::open(path.c_str(), O_RDONLY | O_CLOEXEC));
    ASSERT_TRUE(fds.back());
  }
  start_hashing_thread();
  const size_t threads_before = thread_count();

  std::vector<std::unique_ptr<BackgroundHasher>> hashers;
  for (size_t i = 0; i < sizes.size(); ++i)
    hashers.push_back(std::make_unique<BackgroundHasher>(fds[i].get(), sizes[i], 0));
  EXPECT_EQ(thread_count(), threads_before) << "a thread per hasher";
  // Make the bytes available in uneven steps, all files interleaved.
  for (size_t step = 1; step <= 7; ++step)
    for (size_t i = 0; i < sizes.size(); ++i)
      hashers[i]->advance(sizes[i] * step / 7);
  for (size_t i = 0; i < sizes.size(); ++i)
    EXPECT_EQ(hashers[i]->finish(), Sha256::hash(contents[i]))
        << "file of " << sizes[i] << " bytes";
  EXPECT_EQ(thread_count(), threads_before);
}

TEST(UdpTransferHasher, WithdrawnBeforeTheEndLeavesTheOthersRunning) {
  test::TempDir dir("ti-hasher");
  const auto bytes = pattern(2u << 20, 7);
  const auto path = dir.path() / "f";
  std::ofstream(path, std::ios::binary)
      .write(reinterpret_cast<const char*>(bytes.data()),
             static_cast<std::streamsize>(bytes.size()));
  Fd fd(::open(path.c_str(), O_RDONLY | O_CLOEXEC));
  ASSERT_TRUE(fd);
  auto abandoned = std::make_unique<BackgroundHasher>(fd.get(), bytes.size(), bytes.size() / 2);
  BackgroundHasher kept(fd.get(), bytes.size(), 0);
  abandoned.reset();  // a transfer that failed half-way
  kept.advance(bytes.size());
  EXPECT_EQ(kept.finish(), Sha256::hash(bytes));
}

TEST(UdpTransferHasher, ReadErrorIsReported) {
  test::TempDir dir("ti-hasher");
  const auto path = dir.path() / "short";
  std::ofstream(path, std::ios::binary) << "abc";
  Fd fd(::open(path.c_str(), O_RDONLY | O_CLOEXEC));
  ASSERT_TRUE(fd);
  BackgroundHasher h(fd.get(), 10, 10);  // the file has 3 of the 10 bytes promised
  EXPECT_THROW(h.finish(), std::system_error);
}

}  // namespace
}  // namespace tcpinspect::traffic::udp
