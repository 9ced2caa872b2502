#pragma once
// A blocking WebSocket client for tests, over a real loopback socket. recv() waits up to a
// timeout for the next text frame; a read that times out stays pending, so no frame is lost.
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/core/tcp_stream.hpp>
#include <boost/beast/websocket.hpp>
#include <chrono>
#include <cstdint>
#include <deque>
#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace aq::testing {

class WsTestClient {
 public:
  // Opens ws://127.0.0.1:port/target with `headers` on the upgrade request. When the server
  // refuses the upgrade, open() is false and refusal_status()/refusal_body() say how.
  bool open(uint16_t port, const std::string& target,
            const std::vector<std::pair<std::string, std::string>>& headers = {});
  int refusal_status() const { return refusal_status_; }
  const std::string& refusal_body() const { return refusal_body_; }
  void send(const std::string& text);
  // The next text frame, or nothing after `timeout` (or when the connection closed).
  std::optional<std::string> recv(std::chrono::milliseconds timeout = std::chrono::seconds(5));
  bool closed() const { return closed_; }

 private:
  void start_read();

  boost::asio::io_context io_;
  std::optional<boost::beast::websocket::stream<boost::beast::tcp_stream>> ws_;
  boost::beast::flat_buffer buffer_;
  std::deque<std::string> frames_;
  bool reading_ = false;
  bool closed_ = false;
  int refusal_status_ = 0;
  std::string refusal_body_;
};

}  // namespace aq::testing
