#include "aqueduct/net/secret_file.hpp"

#include <fcntl.h>
#include <openssl/crypto.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <iterator>

namespace aq::net {

std::string read_owner_only_file(const std::string& path, const std::string& what,
                                 size_t max_bytes) {
  struct stat st {};
  if (::stat(path.c_str(), &st) != 0)
    throw SecretFileError(what + " " + path + ": " + std::strerror(errno));
  if (!S_ISREG(st.st_mode)) throw SecretFileError(what + " " + path + " is not a regular file");
  if (st.st_mode & 077) {
    char mode[8];
    std::snprintf(mode, sizeof mode, "%04o", static_cast<unsigned>(st.st_mode & 07777));
    throw SecretFileError(what + " " + path + " has mode " + mode +
                          ", readable by group or others; allowed: owner only (chmod 600 " + path +
                          ")");
  }
  if (static_cast<size_t>(st.st_size) > max_bytes)
    throw SecretFileError(what + " " + path + " is " + std::to_string(st.st_size) +
                          " bytes; a secret file is at most " + std::to_string(max_bytes));
  std::ifstream in(path, std::ios::binary);
  if (!in) throw SecretFileError(what + " " + path + " cannot be opened");
  return std::string((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
}

bool create_owner_only_file(const std::string& path, const std::string& contents,
                            const std::string& what) {
  int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
  if (fd < 0) {
    if (errno == EEXIST) return false;
    throw SecretFileError("cannot create " + what + " " + path + ": " + std::strerror(errno));
  }
  size_t done = 0;
  while (done < contents.size()) {
    ssize_t n = ::write(fd, contents.data() + done, contents.size() - done);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) {
      int err = errno;
      ::close(fd);
      ::unlink(path.c_str());
      throw SecretFileError("cannot write " + what + " " + path + ": " + std::strerror(err));
    }
    done += static_cast<size_t>(n);
  }
  if (::fsync(fd) != 0 || ::close(fd) != 0)
    throw SecretFileError("cannot write " + what + " " + path + ": " + std::strerror(errno));
  return true;
}

}  // namespace aq::net
