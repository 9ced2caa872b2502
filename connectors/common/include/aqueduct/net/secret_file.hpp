#pragma once
// Files that hold secrets (a maker's signing key, the client-key master secret): readable by
// their owner only, or refused with the mode found and the chmod that fixes it.
#include <stdexcept>
#include <string>

namespace aq::net {

struct SecretFileError : std::runtime_error {
  using std::runtime_error::runtime_error;
};

// The file's contents. `what` names the secret in errors ("maker key file"); the contents never
// appear in them. Refuses a non-regular file, a group- or world-readable one, and one larger
// than `max_bytes`.
std::string read_owner_only_file(const std::string& path, const std::string& what,
                                 size_t max_bytes = 4096);

// Creates `path` with mode 0600 holding `contents`; false if it already exists (it is left as it
// is). Throws SecretFileError when it cannot be created.
bool create_owner_only_file(const std::string& path, const std::string& contents,
                            const std::string& what);

}  // namespace aq::net
