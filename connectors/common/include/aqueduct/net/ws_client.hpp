#pragma once
// An asynchronous WebSocket client on Boost.Beast: TLS (with SNI and host-name verification)
// to real venues, plain TCP to the simulator. The host is resolved by DNS. Text frames are
// delivered to on_message; protocol pings are answered by Beast; text frames (subscriptions,
// application-level pings) are queued by send() and written in order. Any error or close is
// reported once to on_closed, after which the owner decides when to reconnect.
#include <boost/asio/io_context.hpp>
#include <boost/asio/ssl/context.hpp>
#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace aq::net {

class WsClient {
 public:
  using OnOpen = std::function<void()>;
  using OnMessage = std::function<void(std::string_view text)>;
  using OnClosed = std::function<void(const std::string& why)>;

  // `tls` null: plain TCP.
  static std::shared_ptr<WsClient> create(boost::asio::io_context& io, std::string host,
                                          uint16_t port, std::string target,
                                          std::shared_ptr<boost::asio::ssl::context> tls = nullptr);
  virtual ~WsClient() = default;
  // Extra handshake headers (authentication for makers' APIs); call before start().
  virtual void set_handshake_headers(std::vector<std::pair<std::string, std::string>> headers) = 0;
  virtual void start(OnOpen on_open, OnMessage on_message, OnClosed on_closed) = 0;
  // Queues a text frame; frames sent before the handshake completes go out right after it.
  virtual void send(std::string text) = 0;
  // Queues a binary frame (Bebop wants every frame binary).
  virtual void send_binary(std::string bytes) = 0;
  virtual void close() = 0;
};

}  // namespace aq::net
