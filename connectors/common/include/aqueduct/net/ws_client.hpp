#pragma once
// An asynchronous WebSocket client (plain TCP to the simulator; TLS comes with real venues).
// Text frames are delivered to on_message; protocol pings are answered by Beast; text frames
// (subscriptions, application-level pings) are queued by send() and written in order. Any
// error or close is reported once to on_closed, after which the owner decides when to reconnect.
#include <boost/asio/io_context.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/websocket.hpp>
#include <deque>
#include <functional>
#include <memory>
#include <string>
#include <string_view>

namespace aq::net {

class WsClient : public std::enable_shared_from_this<WsClient> {
 public:
  using OnOpen = std::function<void()>;
  using OnMessage = std::function<void(std::string_view text)>;
  using OnClosed = std::function<void(const std::string& why)>;

  WsClient(boost::asio::io_context& io, std::string host, uint16_t port, std::string target);
  void start(OnOpen on_open, OnMessage on_message, OnClosed on_closed);
  // Queues a text frame; frames sent before the handshake completes go out right after it.
  void send(std::string text);
  void close();

 private:
  void read();
  void write();
  void fail(const std::string& why);

  boost::beast::websocket::stream<boost::beast::tcp_stream> ws_;
  std::string host_;
  uint16_t port_;
  std::string target_;
  boost::beast::flat_buffer buffer_;
  OnOpen on_open_;
  OnMessage on_message_;
  OnClosed on_closed_;
  std::deque<std::string> outbox_;
  bool open_ = false;
  bool writing_ = false;
  bool closed_ = false;
};

}  // namespace aq::net
