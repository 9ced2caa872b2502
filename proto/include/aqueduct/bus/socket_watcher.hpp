#pragma once
// Runs a ZeroMQ socket on a Boost.Asio io_context so that one thread serves the socket
// alongside the component's timers, HTTP and WebSocket I/O.
//
// ZeroMQ exposes readiness through ZMQ_FD, an edge-style signal that is consumed whenever the
// socket processes commands (including on send). Asio registers descriptors edge-triggered and
// never completes async_wait speculatively, so an edge arriving while no wait is queued is
// lost. The watcher therefore always queues the wait first and then re-checks ZMQ_EVENTS.
#include <boost/asio/io_context.hpp>
#include <boost/asio/posix/stream_descriptor.hpp>
#include <functional>
#include <memory>
#include <vector>
#include <zmq.hpp>

namespace aq::bus {

class SocketWatcher {
 public:
  using OnMessage = std::function<void(std::vector<zmq::message_t>& frames)>;

  SocketWatcher(boost::asio::io_context& io, zmq::socket_t& socket, OnMessage on_message);
  ~SocketWatcher();
  SocketWatcher(const SocketWatcher&) = delete;
  SocketWatcher& operator=(const SocketWatcher&) = delete;

  void start();
  // Call after sending on the watched socket: a send may consume the readiness signal.
  void after_send();
  // Handles what is waiting now, when called from another handler on the same loop: lets an
  // urgent socket (fills) go ahead of a long run on a busy one (market data). Called from
  // within this socket's own handler, it does nothing.
  void poll();

 private:
  void arm();
  void drain();
  bool readable();

  boost::asio::io_context& io_;
  zmq::socket_t& socket_;
  boost::asio::posix::stream_descriptor fd_;
  OnMessage on_message_;
  bool armed_ = false;
  bool drain_posted_ = false;
  bool draining_ = false;
  std::shared_ptr<bool> alive_ = std::make_shared<bool>(true);
};

}  // namespace aq::bus
