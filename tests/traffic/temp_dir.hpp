// SPDX-License-Identifier: MIT
#pragma once
#include <stdlib.h>

#include <filesystem>
#include <string>
#include <system_error>

namespace tcpinspect::traffic::test {

/// A fresh directory under $TMPDIR, removed with everything in it when the test ends.
class TempDir {
 public:
  explicit TempDir(const std::string& prefix = "ti-test") {
    std::string tmpl = (std::filesystem::temp_directory_path() / (prefix + "-XXXXXX")).string();
    path_ = ::mkdtemp(tmpl.data());
  }
  ~TempDir() {
    std::error_code ec;
    std::filesystem::remove_all(path_, ec);
  }
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;
  const std::filesystem::path& path() const { return path_; }

 private:
  std::filesystem::path path_;
};

}  // namespace tcpinspect::traffic::test
