#include "aqueduct/rfq/maker_socket.hpp"

#include <spdlog/spdlog.h>

#include <cstdlib>
#include <stdexcept>

#include "aqueduct/net/tls.hpp"

namespace aq::rfq {

std::string secret_from_env(const std::string& variable, const std::string& who) {
  const char* v = std::getenv(variable.c_str());
  if (!v || !*v)
    throw std::runtime_error(who + ": environment variable " + variable +
                             " (the maker API key) is not set");
  return v;
}

MakerSocket::MakerSocket(boost::asio::io_context& io, MakerSocketOptions options,
                         OnMessage on_message)
    : io_(io),
      options_(std::move(options)),
      on_message_(std::move(on_message)),
      backoff_ms_(options_.reconnect_min_ms),
      reconnect_timer_(io) {}

MakerSocket::~MakerSocket() {
  *alive_ = false;
}

void MakerSocket::start() {
  connect();
}

void MakerSocket::stop() {
  stopped_ = true;
  *alive_ = false;
  reconnect_timer_.cancel();
  if (ws_) ws_->close();
}

void MakerSocket::send(std::string frame) {
  if (!open_) return;
  if (options_.binary)
    ws_->send_binary(std::move(frame));
  else
    ws_->send(std::move(frame));
}

void MakerSocket::reconnect(const std::string& why) {
  if (!ws_ || stopped_) return;
  ws_->close();  // reports nothing: closing is ours
  schedule_reconnect(why);
}

void MakerSocket::connect() {
  ws_ = net::WsClient::create(io_, options_.host, options_.port, options_.target,
                              net::make_client_tls(net::TlsOptions{options_.tls, {}, {}}));
  ws_->set_handshake_headers(options_.headers);
  auto alive = alive_;
  ws_->start(
      [this, alive] {
        if (!*alive) return;
        open_ = true;
        backoff_ms_ = options_.reconnect_min_ms;
        ++connects_;
        spdlog::info("{}: connected to {}:{}{}", options_.name, options_.host, options_.port,
                     options_.target);
        if (on_open_) on_open_();
      },
      [this, alive](std::string_view frame) {
        if (*alive) on_message_(frame);
      },
      [this, alive](const std::string& why) {
        if (*alive) schedule_reconnect(why);
      });
}

void MakerSocket::schedule_reconnect(const std::string& why) {
  open_ = false;
  if (stopped_) return;
  std::uniform_int_distribution<int64_t> jitter(backoff_ms_ / 2, backoff_ms_);
  int64_t wait = jitter(rng_);
  spdlog::warn("{}: connection lost ({}); reconnecting in {} ms", options_.name, why, wait);
  backoff_ms_ = std::min(backoff_ms_ * 2, options_.reconnect_max_ms);
  reconnect_timer_.expires_after(std::chrono::milliseconds(wait));
  reconnect_timer_.async_wait([this, alive = alive_](boost::system::error_code ec) {
    if (!ec && *alive && !stopped_) connect();
  });
}

}  // namespace aq::rfq
