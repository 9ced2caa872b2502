#include "aqueduct/net/ws_client.hpp"

#include <boost/asio/ip/tcp.hpp>

namespace aq::net {

namespace beast = boost::beast;
namespace websocket = beast::websocket;
using tcp = boost::asio::ip::tcp;

WsClient::WsClient(boost::asio::io_context& io, std::string host, uint16_t port,
                   std::string target)
    : ws_(io), host_(std::move(host)), port_(port), target_(std::move(target)) {}

void WsClient::start(OnOpen on_open, OnMessage on_message, OnClosed on_closed) {
  on_open_ = std::move(on_open);
  on_message_ = std::move(on_message);
  on_closed_ = std::move(on_closed);
  beast::error_code ec;
  auto addr = boost::asio::ip::make_address(host_, ec);
  if (ec) return fail("bad host '" + host_ + "': " + ec.message());
  beast::get_lowest_layer(ws_).expires_after(std::chrono::seconds(5));
  beast::get_lowest_layer(ws_).async_connect(
      tcp::endpoint(addr, port_), [self = shared_from_this()](beast::error_code e) {
        if (e) return self->fail("connect: " + e.message());
        beast::get_lowest_layer(self->ws_).expires_never();
        self->ws_.set_option(websocket::stream_base::timeout::suggested(beast::role_type::client));
        self->ws_.async_handshake(
            self->host_ + ":" + std::to_string(self->port_), self->target_,
            [self](beast::error_code e2) {
              if (e2) return self->fail("handshake: " + e2.message());
              self->open_ = true;
              if (self->on_open_) self->on_open_();
              self->read();
              self->write();
            });
      });
}

void WsClient::read() {
  ws_.async_read(buffer_, [self = shared_from_this()](beast::error_code ec, size_t) {
    if (ec) return self->fail(ec == websocket::error::closed ? "closed by server" : ec.message());
    if (self->closed_) return;
    auto data = self->buffer_.data();
    self->on_message_(std::string_view(static_cast<const char*>(data.data()), data.size()));
    self->buffer_.consume(self->buffer_.size());
    self->read();
  });
}

void WsClient::send(std::string text) {
  if (closed_) return;
  outbox_.push_back(std::move(text));
  write();
}

void WsClient::write() {
  if (!open_ || writing_ || closed_ || outbox_.empty()) return;
  writing_ = true;
  ws_.text(true);
  ws_.async_write(boost::asio::buffer(outbox_.front()),
                  [self = shared_from_this()](beast::error_code ec, size_t) {
                    self->writing_ = false;
                    if (ec) return self->fail("write: " + ec.message());
                    self->outbox_.pop_front();
                    self->write();
                  });
}

void WsClient::fail(const std::string& why) {
  if (closed_) return;
  closed_ = true;
  if (on_closed_) on_closed_(why);
}

void WsClient::close() {
  if (closed_) return;
  closed_ = true;
  beast::error_code ec;
  beast::get_lowest_layer(ws_).socket().close(ec);
}

}  // namespace aq::net
