#pragma once
// The WebSocket side of an aggregator stand-in, on loopback: `route` reads the upgrade request
// (path, authentication headers) and names the endpoint, or returns empty to refuse it with
// 401 as the real services do; accepted sessions go to `on_open`, their frames to `on_frame`.
#include <functional>
#include <memory>
#include <string>

#include "aqueduct/net/http_server.hpp"
#include "aqueduct/net/ws_session.hpp"

namespace aq::standins {

class WsListener {
 public:
  using Route = std::function<std::string(const net::HttpRequest&)>;
  using OnOpen = std::function<void(const std::string& endpoint, std::shared_ptr<net::WsSession>)>;
  using OnFrame = std::function<void(const std::string& endpoint,
                                     const std::shared_ptr<net::WsSession>&, std::string_view)>;
  using OnReject = std::function<void()>;

  // Call on the loop thread of `io`.
  WsListener(boost::asio::io_context& io, Route route, OnOpen on_open, OnFrame on_frame,
             OnReject on_reject);
  uint16_t port() const { return http_.port(); }
  void stop() { http_.stop(); }

 private:
  net::HttpServer http_;
};

}  // namespace aq::standins
