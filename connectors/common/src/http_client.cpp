#include "aqueduct/net/http_client.hpp"

#include <boost/asio/post.hpp>

namespace aq::net {

namespace beast = boost::beast;
namespace http = beast::http;
using tcp = boost::asio::ip::tcp;

HttpClient::HttpClient(boost::asio::io_context& io, std::string host, uint16_t port,
                       std::chrono::milliseconds timeout)
    : io_(io), host_(std::move(host)), port_(port), timeout_(timeout) {}

HttpClient::~HttpClient() {
  *alive_ = false;
  if (stream_) {
    beast::error_code ec;
    stream_->socket().close(ec);
  }
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
  if (stream_ && stream_->socket().is_open()) return send();
  connect_then_send();
}

void HttpClient::connect_then_send() {
  stream_.emplace(io_);
  beast::error_code ec;
  auto addr = boost::asio::ip::make_address(host_, ec);
  if (ec) return finish({ec, false, 0, {}, std::nullopt});
  stream_->expires_after(timeout_);
  auto alive = alive_;
  stream_->async_connect(tcp::endpoint(addr, port_), [this, alive](beast::error_code e) {
    if (!*alive) return;
    if (e) return finish({e, false, 0, {}, std::nullopt});
    stream_->socket().set_option(tcp::no_delay(true), e);
    send();
  });
}

void HttpClient::send() {
  auto alive = alive_;
  stream_->expires_after(timeout_);
  http::async_write(*stream_, queue_.front().req, [this, alive](beast::error_code ec, size_t) {
    if (!*alive) return;
    if (ec) return finish({ec, true, 0, {}, std::nullopt});
    written_ = true;
    res_ = {};
    http::async_read(*stream_, buffer_, res_, [this, alive](beast::error_code e, size_t) {
      if (!*alive) return;
      if (e) return finish({e, true, 0, {}, std::nullopt});
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
      if (!res_.keep_alive()) {
        beast::error_code ignore;
        stream_->socket().close(ignore);
      }
      finish(std::move(r));
    });
  });
}

void HttpClient::finish(HttpResult r) {
  if (r.error && stream_) {
    beast::error_code ignore;
    stream_->socket().close(ignore);
    buffer_.clear();
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
