#include "aqueduct/net/send_path_warmer.hpp"

#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <array>

namespace aq::net {

namespace {
bool nonblocking(int fd) {
  int flags = ::fcntl(fd, F_GETFL, 0);
  return flags >= 0 && ::fcntl(fd, F_SETFL, flags | O_NONBLOCK) == 0;
}
}  // namespace

SendPathWarmer::SendPathWarmer() {
  int listener = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  if (listener < 0) return;
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  socklen_t len = sizeof addr;
  int tx = -1, rx = -1;
  if (::bind(listener, reinterpret_cast<sockaddr*>(&addr), sizeof addr) == 0 &&
      ::getsockname(listener, reinterpret_cast<sockaddr*>(&addr), &len) == 0 &&
      ::listen(listener, 1) == 0 && (tx = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0)) >= 0 &&
      ::connect(tx, reinterpret_cast<sockaddr*>(&addr), sizeof addr) == 0 &&
      (rx = ::accept4(listener, nullptr, nullptr, SOCK_CLOEXEC)) >= 0) {
    int one = 1;
    ::setsockopt(tx, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
    if (nonblocking(tx) && nonblocking(rx)) {
      tx_ = tx;
      rx_ = rx;
    }
  }
  ::close(listener);
  if (tx_ < 0) {
    if (tx >= 0) ::close(tx);
    if (rx >= 0) ::close(rx);
  }
}

SendPathWarmer::~SendPathWarmer() {
  if (tx_ >= 0) ::close(tx_);
  if (rx_ >= 0) ::close(rx_);
}

void SendPathWarmer::warm(size_t bytes) {
  if (!ready()) return;
  std::array<char, 1024> buf{};
  bytes = std::min(bytes, buf.size());
  ssize_t n = ::send(tx_, buf.data(), bytes, MSG_DONTWAIT | MSG_NOSIGNAL);
  if (n > 0) written_ += static_cast<uint64_t>(n);
  // Drained at once: loopback delivers within the send, so the bytes are there already.
  while ((n = ::recv(rx_, buf.data(), buf.size(), MSG_DONTWAIT)) > 0)
    drained_ += static_cast<uint64_t>(n);
}

}  // namespace aq::net
