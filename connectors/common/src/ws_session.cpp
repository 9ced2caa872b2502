#include "aqueduct/net/ws_session.hpp"

#include <atomic>

namespace aq::net {

namespace beast = boost::beast;
namespace websocket = beast::websocket;

uint64_t WsSession::next_id() {
  static std::atomic<uint64_t> n{1};
  return n++;
}

void WsSession::accept(HttpRequest req, std::function<void(bool)> done, OnFrame on_frame) {
  on_frame_ = std::move(on_frame);
  ws_.set_option(websocket::stream_base::timeout::suggested(beast::role_type::server));
  ws_.async_accept(req, [self = shared_from_this(), done](beast::error_code ec) {
    if (ec) self->open_ = false;
    done(!ec);
    if (!ec && self->open_) self->read();
  });
}

void WsSession::send(std::shared_ptr<const std::string> text) {
  if (!open_) return;
  if (queue_.size() > 10'000) {  // a subscriber this far behind is cut off, as venues do
    close();
    return;
  }
  queue_.push_back(std::move(text));
  if (queue_.size() == 1) write();
}

void WsSession::close() {
  if (!open_) return;
  open_ = false;
  beast::error_code ec;
  beast::get_lowest_layer(ws_).socket().close(ec);
}

void WsSession::close_when_sent() {
  if (queue_.empty()) return close();
  closing_ = true;
}

void WsSession::write() {
  ws_.text(true);
  ws_.async_write(boost::asio::buffer(*queue_.front()),
                  [self = shared_from_this()](beast::error_code ec, size_t) {
                    if (ec) return self->close();
                    self->queue_.pop_front();
                    if (!self->queue_.empty() && self->open_) return self->write();
                    if (self->closing_) self->close();
                  });
}

void WsSession::read() {
  // Reading also processes control frames (ping, close).
  ws_.async_read(buffer_, [self = shared_from_this()](beast::error_code ec, size_t) {
    if (ec) return self->close();
    if (self->on_frame_ && self->open_) {
      self->last_binary_ = self->ws_.got_binary();
      auto data = self->buffer_.data();
      self->on_frame_(self, std::string_view(static_cast<const char*>(data.data()), data.size()));
    }
    self->buffer_.consume(self->buffer_.size());
    if (self->open_) self->read();
  });
}

}  // namespace aq::net
