#include "aqueduct/net/http_client.hpp"

#include <boost/asio/post.hpp>
#include <boost/asio/ssl/host_name_verification.hpp>

#include "aqueduct/net/tls.hpp"
#include <openssl/err.h>

namespace aq::net {

namespace beast = boost::beast;
namespace http = beast::http;
using tcp = boost::asio::ip::tcp;

HttpClient::HttpClient(boost::asio::io_context& io, std::string host, uint16_t port,
                       std::chrono::milliseconds timeout, std::shared_ptr<boost::asio::ssl::context> tls)
    : io_(io), host_(std::move(host)), port_(port), timeout_(timeout), tls_(std::move(tls)), resolver_(io) {}

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

void HttpClient::request(http::verb verb, std::string target, std::string body,
                         std::vector<std::pair<std::string, std::string>> headers, Callback cb) {
  Pending p;
  p.req = http::request<http::string_body>{verb, target, 11};
  p.req.set(http::field::host, host_ + ":" + std::to_string(port_));
  p.req.set(http::field::user_agent, "aqueduct");
  for (auto& [k, v] : headers) p.req.set(k, v);
  p.req.body() = std::move(body);
  p.req.keep_alive(true);
  p.req.prepare_payload();
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
  if (tls_) conn->tls.emplace(io_, *tls_);
  else conn->plain.emplace(io_);
  conn_ = conn;
  resolver_.async_resolve(host_, std::to_string(port_), [this, alive, conn](beast::error_code ec, tcp::resolver::results_type r) {
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
        return finish({beast::error_code(static_cast<int>(::ERR_get_error()), boost::asio::error::get_ssl_category()),
                       false, 0, {}, std::nullopt});
      conn->tls->set_verify_callback(boost::asio::ssl::host_name_verification(host_));
      conn->tls->async_handshake(boost::asio::ssl::stream_base::client, [this, alive, conn](beast::error_code he) {
        if (!*alive) return;
        if (he) return finish({he, false, 0, {}, std::nullopt});
        send();
      });
    });
  });
}

void HttpClient::send() {
  auto conn = conn_;
  conn->req = queue_.front().req;  // the write reads it: it must live as long as the write
  if (tls_) exchange(conn, *conn->tls);
  else exchange(conn, *conn->plain);
}

template <typename Stream>
void HttpClient::exchange(std::shared_ptr<Conn> conn, Stream& stream) {
  auto alive = alive_;
  beast::get_lowest_layer(stream).expires_after(timeout_);
  http::async_write(stream, conn->req, [this, alive, conn, &stream](beast::error_code ec, size_t) {
    if (!*alive) return;
    if (ec) return finish({ec, true, 0, {}, std::nullopt});
    written_ = true;
    conn->res = {};
    http::async_read(stream, conn->buffer, conn->res, [this, alive, conn](beast::error_code e, size_t) {
      if (!*alive) return;
      if (e) return finish({e, true, 0, {}, std::nullopt});
      auto& res_ = conn->res;
      HttpResult r;
      r.status = static_cast<int>(res_.result_int());
      if (auto ra = res_.find(http::field::retry_after); ra != res_.end()) {
        int64_t v = 0;
        bool digits = !ra->value().empty() && ra->value().size() < 10;
        for (char ch : ra->value()) {
          if (ch < '0' || ch > '9') digits = false;
          else v = v * 10 + (ch - '0');
        }
        if (digits) r.retry_after_s = v;
      }
      r.body = std::move(res_.body());
      if (!res_.keep_alive()) close_stream();
      finish(std::move(r));
    });
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
