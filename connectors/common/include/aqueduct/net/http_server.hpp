#pragma once
// A small asynchronous HTTP/1.1 server on Boost.Beast for one io_context (one thread).
// Handlers may answer later (after a bus round trip): they get a Respond callback that must be
// called exactly once on the loop thread. WebSocket upgrades are handed to an upgrade handler.
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/beast/core/tcp_stream.hpp>
#include <boost/beast/http.hpp>
#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>

namespace aq::net {

using HttpRequest = boost::beast::http::request<boost::beast::http::string_body>;
using HttpResponse = boost::beast::http::response<boost::beast::http::string_body>;

// A JSON response with the given status (keep-alive decided by the server).
HttpResponse json_response(boost::beast::http::status status, std::string body);

struct HttpServerOptions {
  std::string address = "127.0.0.1";  // loopback unless configured otherwise
  uint16_t port = 0;                  // 0 = pick a free port
  size_t body_limit = 64 * 1024;
  std::chrono::milliseconds read_timeout{10'000};
};

class HttpServer {
 public:
  using Respond = std::function<void(HttpResponse)>;
  using Handler = std::function<void(const HttpRequest&, Respond)>;
  using UpgradeHandler =
      std::function<void(boost::beast::tcp_stream stream, HttpRequest request)>;

  HttpServer(boost::asio::io_context& io, HttpServerOptions options, Handler handler);
  ~HttpServer();
  void on_upgrade(UpgradeHandler h) { upgrade_ = std::move(h); }
  void start();
  void stop();
  uint16_t port() const { return port_; }
  const std::string& address() const { return options_.address; }

 private:
  class Session;
  void accept();

  boost::asio::io_context& io_;
  HttpServerOptions options_;
  Handler handler_;
  UpgradeHandler upgrade_;
  boost::asio::ip::tcp::acceptor acceptor_;
  uint16_t port_ = 0;
  std::shared_ptr<bool> alive_ = std::make_shared<bool>(true);
};

}  // namespace aq::net
