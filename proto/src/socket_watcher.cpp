#include "aqueduct/bus/socket_watcher.hpp"

#include <spdlog/spdlog.h>
#include <boost/asio/post.hpp>

namespace aq::bus {

namespace {
int zmq_fd_of(zmq::socket_t& s) {
  return s.get(zmq::sockopt::fd);
}
}  // namespace

SocketWatcher::SocketWatcher(boost::asio::io_context& io, zmq::socket_t& socket,
                             OnMessage on_message)
    : io_(io), socket_(socket), fd_(io, zmq_fd_of(socket)), on_message_(std::move(on_message)) {}

SocketWatcher::~SocketWatcher() {
  *alive_ = false;
  boost::system::error_code ec;
  fd_.cancel(ec);
  // ZeroMQ owns the descriptor: give it back instead of closing it.
  (void)fd_.release();
}

void SocketWatcher::start() {
  arm();
  drain();
}

bool SocketWatcher::readable() {
  return (socket_.get(zmq::sockopt::events) & ZMQ_POLLIN) != 0;
}

void SocketWatcher::arm() {
  if (armed_) return;
  armed_ = true;
  auto alive = alive_;
  fd_.async_wait(boost::asio::posix::stream_descriptor::wait_read,
                 [this, alive](const boost::system::error_code& ec) {
                   if (!*alive) return;
                   armed_ = false;
                   if (ec) return;
                   drain();
                   arm();
                 });
  // The wait is queued: any later signal will fire it. Messages that arrived before it was
  // queued are picked up here.
  if (readable()) after_send();
}

void SocketWatcher::after_send() {
  if (drain_posted_) return;
  drain_posted_ = true;
  auto alive = alive_;
  boost::asio::post(io_, [this, alive] {
    if (!*alive) return;
    drain_posted_ = false;
    drain();
  });
}

void SocketWatcher::poll() {
  if (!draining_ && readable()) drain();
}

void SocketWatcher::drain() {
  if (draining_) return;
  draining_ = true;
  struct Done {
    bool& flag;
    ~Done() { flag = false; }
  } done{draining_};
  std::vector<zmq::message_t> frames;
  while (readable()) {
    frames.clear();
    while (true) {
      zmq::message_t part;
      auto got = socket_.recv(part, zmq::recv_flags::dontwait);
      if (!got) break;
      bool more = part.more();
      frames.push_back(std::move(part));
      if (!more) break;
    }
    if (frames.empty()) break;
    try {
      on_message_(frames);
    } catch (const std::exception& e) {
      // A bad message must not take the component's loop down; it is logged and dropped.
      spdlog::error("bus: handler failed on a message: {}", e.what());
    }
  }
}

}  // namespace aq::bus
