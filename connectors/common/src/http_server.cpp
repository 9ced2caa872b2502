#include "aqueduct/net/http_server.hpp"

#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/websocket/rfc6455.hpp>
#include <optional>
#include <spdlog/spdlog.h>

namespace aq::net {

namespace beast = boost::beast;
namespace http = beast::http;
using tcp = boost::asio::ip::tcp;

HttpResponse json_response(http::status status, std::string body) {
  HttpResponse res{status, 11};
  res.set(http::field::content_type, "application/json");
  res.set(http::field::server, "aqueduct");
  res.body() = std::move(body);
  res.prepare_payload();
  return res;
}

class HttpServer::Session : public std::enable_shared_from_this<HttpServer::Session> {
 public:
  Session(tcp::socket socket, HttpServer& server, std::shared_ptr<bool> alive)
      : stream_(std::move(socket)), server_(server), alive_(std::move(alive)) {}

  void read() {
    parser_.emplace();
    parser_->body_limit(server_.options_.body_limit);
    parser_->header_limit(8 * 1024);
    stream_.expires_after(server_.options_.read_timeout);
    http::async_read(stream_, buffer_, *parser_,
                     [self = shared_from_this()](beast::error_code ec, size_t) {
                       self->on_read(ec);
                     });
  }

 private:
  void on_read(beast::error_code ec) {
    if (!*alive_) return;
    if (ec == http::error::end_of_stream || ec == beast::error::timeout) return close();
    if (ec == http::error::body_limit) {
      return write(json_response(
          http::status::payload_too_large,
          R"({"error":"body_too_large","message":"request body exceeds )" +
              std::to_string(server_.options_.body_limit) + R"( bytes"})"), false);
    }
    if (ec) {
      if (ec != boost::asio::error::operation_aborted && ec != boost::asio::error::connection_reset)
        write(json_response(http::status::bad_request,
                            R"({"error":"malformed_http","message":"could not parse the HTTP request"})"),
              false);
      return;
    }
    HttpRequest req = parser_->release();
    if (beast::websocket::is_upgrade(req) && server_.upgrade_) {
      stream_.expires_never();
      server_.upgrade_(std::move(stream_), std::move(req));
      return;
    }
    bool keep_alive = req.keep_alive();
    stream_.expires_never();
    auto self = shared_from_this();
    server_.handler_(req, [self, keep_alive](HttpResponse res) {
      if (!*self->alive_) return;
      self->write(std::move(res), keep_alive);
    });
  }

  void write(HttpResponse res, bool keep_alive) {
    res.keep_alive(keep_alive);
    auto msg = std::make_shared<HttpResponse>(std::move(res));
    stream_.expires_after(std::chrono::seconds(10));
    http::async_write(stream_, *msg,
                      [self = shared_from_this(), msg, keep_alive](beast::error_code ec, size_t) {
                        if (ec || !keep_alive || !*self->alive_) return self->close();
                        self->read();
                      });
  }

  void close() {
    beast::error_code ec;
    stream_.socket().shutdown(tcp::socket::shutdown_send, ec);
  }

  beast::tcp_stream stream_;
  beast::flat_buffer buffer_;
  std::optional<http::request_parser<http::string_body>> parser_;
  HttpServer& server_;
  std::shared_ptr<bool> alive_;
};

HttpServer::HttpServer(boost::asio::io_context& io, HttpServerOptions options, Handler handler)
    : io_(io), options_(std::move(options)), handler_(std::move(handler)), acceptor_(io) {
  auto addr = boost::asio::ip::make_address(options_.address);
  tcp::endpoint ep(addr, options_.port);
  acceptor_.open(ep.protocol());
  acceptor_.set_option(boost::asio::socket_base::reuse_address(true));
  acceptor_.bind(ep);
  acceptor_.listen(boost::asio::socket_base::max_listen_connections);
  port_ = acceptor_.local_endpoint().port();
}

HttpServer::~HttpServer() {
  *alive_ = false;
  boost::system::error_code ec;
  acceptor_.close(ec);
}

void HttpServer::start() { accept(); }

void HttpServer::stop() {
  boost::system::error_code ec;
  acceptor_.close(ec);
}

void HttpServer::accept() {
  auto alive = alive_;
  acceptor_.async_accept([this, alive](beast::error_code ec, tcp::socket socket) {
    if (!*alive || !acceptor_.is_open()) return;
    if (!ec) {
      socket.set_option(tcp::no_delay(true), ec);
      std::make_shared<Session>(std::move(socket), *this, alive)->read();
    }
    accept();
  });
}

}  // namespace aq::net
