#pragma once
#include <filesystem>
#include <string>
#include <string_view>

namespace aq::testing {

// A fresh directory under the system's temporary directory, this user's alone (mode 0700), and
// removed with everything in it when the test leaves its scope, failed REQUIREs included: test
// runs must not pile up ipc sockets, logs and keys on a shared disk. AQ_KEEP_TEST_DIRS=1 keeps
// them for a post-mortem (the path is then logged to stderr).
class TempDir {
 public:
  explicit TempDir(std::string_view prefix);
  ~TempDir();
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;

  const std::filesystem::path& path() const { return path_; }
  std::string str() const { return path_.string(); }
  // The path of `name` inside the directory.
  std::string file(std::string_view name) const { return (path_ / name).string(); }

 private:
  std::filesystem::path path_;
};

}  // namespace aq::testing
