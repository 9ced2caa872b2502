#include "aqueduct/testing/temp_dir.hpp"

#include <cstdlib>
#include <iostream>
#include <system_error>

#include "aqueduct/net/hmac.hpp"

namespace aq::testing {

TempDir::TempDir(std::string_view prefix)
    : path_(std::filesystem::temp_directory_path() /
            (std::string(prefix) + "-" + net::random_hex(6))) {
  std::filesystem::create_directory(path_);  // throws if it exists: never share one
  std::filesystem::permissions(path_, std::filesystem::perms::owner_all,
                               std::filesystem::perm_options::replace);
}

TempDir::~TempDir() {
  const char* keep = std::getenv("AQ_KEEP_TEST_DIRS");
  if (keep && std::string_view(keep) == "1") {
    std::cerr << "kept test directory " << path_ << "\n";
    return;
  }
  std::error_code ec;  // a destructor must not throw; what is left is only litter
  std::filesystem::remove_all(path_, ec);
}

}  // namespace aq::testing
