#pragma once
// One accepted WebSocket connection (simulated venues, stand-ins, the native takers API): a write queue (a subscriber too far
// behind is cut off, as venues do) and a read loop that hands client text frames to a callback.
#include <boost/beast/core.hpp>
#include <boost/beast/websocket.hpp>
#include <deque>
#include <functional>
#include <memory>
#include <string>

#include "aqueduct/net/http_server.hpp"

namespace aq::net {

class WsSession : public std::enable_shared_from_this<WsSession> {
 public:
  using OnFrame = std::function<void(const std::shared_ptr<WsSession>&, std::string_view)>;

  explicit WsSession(boost::beast::tcp_stream stream) : ws_(std::move(stream)) {}
  // Completes the handshake; `done(ok)` runs before any frame is read.
  void accept(HttpRequest req, std::function<void(bool)> done, OnFrame on_frame = {});
  void send(std::shared_ptr<const std::string> text);
  void send(std::string text) { send(std::make_shared<const std::string>(std::move(text))); }
  void close();
  // Closes once the frames already queued have been written (a last error frame is read).
  void close_when_sent();
  // The largest message accepted from the peer (a larger one closes the connection); call before
  // accept.
  void read_limit(size_t bytes) { ws_.read_message_max(bytes); }
  bool open() const { return open_; }
  // Whether the frame being handed to on_frame arrived as binary (Bebop requires binary).
  bool last_frame_binary() const { return last_binary_; }
  uint64_t id() const { return id_; }

 private:
  void write();
  void read();

  boost::beast::websocket::stream<boost::beast::tcp_stream> ws_;
  boost::beast::flat_buffer buffer_;
  std::deque<std::shared_ptr<const std::string>> queue_;
  OnFrame on_frame_;
  bool open_ = true;
  bool closing_ = false;
  bool last_binary_ = false;
  uint64_t id_ = next_id();
  static uint64_t next_id();
};

}  // namespace aq::net
