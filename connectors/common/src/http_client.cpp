#include "aqueduct/net/http_client.hpp"

#include <boost/asio/post.hpp>
#include <boost/asio/ssl/host_name_verification.hpp>
#include <boost/asio/write.hpp>

#include <openssl/err.h>
#include "aqueduct/net/tls.hpp"

namespace aq::net {

namespace beast = boost::beast;
namespace http = beast::http;
using tcp = boost::asio::ip::tcp;

HttpClient::HttpClient(boost::asio::io_context& io, std::string host, uint16_t port,
                       std::chrono::milliseconds timeout,
                       std::shared_ptr<boost::asio::ssl::context> tls)
    : io_(io),
      host_(std::move(host)),
      port_(port),
      timeout_(timeout),
      tls_(std::move(tls)),
      resolver_(io) {}

HttpClient::~HttpClient() {
  *alive_ = false;
  close_stream();
}

void HttpClient::close_stream() {
  beast::error_code ec;
  if (!conn_) return;
  if (conn_->plain) conn_->plain->socket().close(ec);
  if (conn_->tls) beast::get_lowest_layer(*conn_->tls).socket().close(ec);
}

bool HttpClient::stream_open() const {
  if (!conn_) return false;
  if (tls_) return conn_->tls && beast::get_lowest_layer(*conn_->tls).socket().is_open();
  return conn_->plain && conn_->plain->socket().is_open();
}

namespace {
// A header or request line must not carry a line break: it would end the header early and
// let the rest be read as another header or request.
bool one_line(std::string_view s) {
  return s.find_first_of("\r\n") == std::string_view::npos;
}
}  // namespace

void HttpClient::request(http::verb verb, std::string target, std::string body,
                         std::vector<std::pair<std::string, std::string>> headers, Callback cb) {
  // Serialized here, once, into the exact bytes to write: the hot path (a hedge order) then
  // costs one buffer and one send, not a serializer walking a field container.
  bool valid = one_line(target) && !target.empty();
  for (const auto& [k, v] : headers) valid = valid && one_line(k) && one_line(v) && !k.empty();
  if (!valid) {
    auto alive = alive_;
    boost::asio::post(io_, [alive, cb = std::move(cb)] {
      if (*alive) cb({boost::asio::error::invalid_argument, false, 0, {}, std::nullopt});
    });
    return;
  }
  Pending p;
  auto method = http::to_string(verb);
  auto port = std::to_string(port_);
  p.wire.reserve(96 + target.size() + host_.size() + body.size() + headers.size() * 48);
  p.wire.append(method.data(), method.size())
      .append(" ")
      .append(target)
      .append(" HTTP/1.1\r\nHost: ");
  p.wire.append(host_).append(":").append(port).append("\r\nUser-Agent: aqueduct\r\n");
  for (const auto& [k, v] : headers) p.wire.append(k).append(": ").append(v).append("\r\n");
  if (!body.empty() || verb == http::verb::post || verb == http::verb::put ||
      verb == http::verb::patch)
    p.wire.append("Content-Length: ").append(std::to_string(body.size())).append("\r\n");
  p.wire.append("\r\n").append(body);
  p.cb = std::move(cb);
  queue_.push_back(std::move(p));
  pump();
}

void HttpClient::pump() {
  if (busy_ || queue_.empty()) return;
  busy_ = true;
  written_ = false;
  if (stream_open()) return send();
  connect_then_send();
}

void HttpClient::connect_then_send() {
  auto alive = alive_;
  auto conn = std::make_shared<Conn>();
  if (tls_)
    conn->tls.emplace(io_, *tls_);
  else
    conn->plain.emplace(io_);
  conn_ = conn;
  resolver_.async_resolve(
      host_, std::to_string(port_),
      [this, alive, conn](beast::error_code ec, tcp::resolver::results_type r) {
        if (!*alive) return;
        if (ec) return finish({ec, false, 0, {}, std::nullopt});
        auto& lowest = tls_ ? beast::get_lowest_layer(*conn->tls) : *conn->plain;
        lowest.expires_after(timeout_);
        lowest.async_connect(r, [this, alive, conn](beast::error_code e, const tcp::endpoint&) {
          if (!*alive) return;
          if (e) return finish({e, false, 0, {}, std::nullopt});
          auto& low = tls_ ? beast::get_lowest_layer(*conn->tls) : *conn->plain;
          low.socket().set_option(tcp::no_delay(true), e);
          if (!tls_) return send();
          // SNI, and the certificate must name the host we asked for.
          if (!set_server_name(conn->tls->native_handle(), host_))
            return finish({beast::error_code(static_cast<int>(::ERR_get_error()),
                                             boost::asio::error::get_ssl_category()),
                           false,
                           0,
                           {},
                           std::nullopt});
          conn->tls->set_verify_callback(boost::asio::ssl::host_name_verification(host_));
          conn->tls->async_handshake(boost::asio::ssl::stream_base::client,
                                     [this, alive, conn](beast::error_code he) {
                                       if (!*alive) return;
                                       if (he) return finish({he, false, 0, {}, std::nullopt});
                                       send();
                                     });
        });
      });
}

void HttpClient::send() {
  auto conn = conn_;
  conn->wire = std::move(queue_.front().wire);  // the write reads it: it lives with the connection
  if (tls_) return write_then_read(conn, *conn->tls);
  // Plain: written now, in one non-blocking send, before the timeout's timer is armed (arming
  // it is a system call of its own, and a hedge order should be on the wire first). Whatever
  // the socket does not take at once is written by the asynchronous path.
  auto& socket = conn->plain->socket();
  beast::error_code ec;
  size_t n = 0;
  if (!socket.non_blocking()) socket.non_blocking(true, ec);
  if (!ec) n = socket.write_some(boost::asio::buffer(conn->wire), ec);
  if (ec == boost::asio::error::would_block || ec == boost::asio::error::try_again) ec = {};
  if (ec) {
    // Reported on a later turn, as an asynchronous failure would be: the caller is never
    // called back before request() returns. Bytes may have left: the outcome is unknown.
    auto alive = alive_;
    boost::asio::post(io_, [this, alive, ec] {
      if (*alive) finish({ec, true, 0, {}, std::nullopt});
    });
    return;
  }
  if (n == conn->wire.size()) {
    written_ = true;
    // The read (and its timer) is set up on the next turn, as after an asynchronous write:
    // the caller's own work after the write comes first.
    boost::asio::post(io_, [this, alive = alive_, conn] {
      if (*alive) read_response(conn, *conn->plain);
    });
    return;
  }
  conn->wire.erase(0, n);
  write_then_read(conn, *conn->plain);
}

template <typename Stream>
void HttpClient::write_then_read(std::shared_ptr<Conn> conn, Stream& stream) {
  auto alive = alive_;
  beast::get_lowest_layer(stream).expires_after(timeout_);
  boost::asio::async_write(stream, boost::asio::buffer(conn->wire),
                           [this, alive, conn, &stream](beast::error_code ec, size_t) {
                             if (!*alive) return;
                             if (ec) return finish({ec, true, 0, {}, std::nullopt});
                             written_ = true;
                             read_response(conn, stream);
                           });
}

template <typename Stream>
void HttpClient::read_response(std::shared_ptr<Conn> conn, Stream& stream) {
  auto alive = alive_;
  beast::get_lowest_layer(stream).expires_after(timeout_);
  conn->res = {};
  http::async_read(stream, conn->buffer, conn->res,
                   [this, alive, conn](beast::error_code e, size_t) {
                     if (!*alive) return;
                     if (e) return finish({e, true, 0, {}, std::nullopt});
                     auto& res_ = conn->res;
                     HttpResult r;
                     r.status = static_cast<int>(res_.result_int());
                     if (auto ra = res_.find(http::field::retry_after); ra != res_.end()) {
                       int64_t v = 0;
                       bool digits = !ra->value().empty() && ra->value().size() < 10;
                       for (char ch : ra->value()) {
                         if (ch < '0' || ch > '9')
                           digits = false;
                         else
                           v = v * 10 + (ch - '0');
                       }
                       if (digits) r.retry_after_s = v;
                     }
                     r.body = std::move(res_.body());
                     if (!res_.keep_alive()) close_stream();
                     finish(std::move(r));
                   });
}

void HttpClient::finish(HttpResult r) {
  if (r.error) {
    close_stream();
    if (conn_) conn_->buffer.clear();
  }
  auto cb = std::move(queue_.front().cb);
  queue_.pop_front();
  busy_ = false;
  // Continue with the next request after the callback, which may enqueue more.
  cb(std::move(r));
  auto alive = alive_;
  boost::asio::post(io_, [this, alive] {
    if (*alive) pump();
  });
}

}  // namespace aq::net
