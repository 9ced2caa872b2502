#include "aqueduct/testing/ws_test_client.hpp"

#include <boost/beast/core/buffers_to_string.hpp>

namespace aq::testing {

namespace beast = boost::beast;
namespace websocket = beast::websocket;
using tcp = boost::asio::ip::tcp;

bool WsTestClient::open(uint16_t port, const std::string& target,
                        const std::vector<std::pair<std::string, std::string>>& headers) {
  ws_.emplace(io_);
  beast::error_code ec;
  beast::get_lowest_layer(*ws_).socket().connect(
      tcp::endpoint(boost::asio::ip::make_address("127.0.0.1"), port), ec);
  if (ec) return false;
  ws_->set_option(websocket::stream_base::decorator([headers](websocket::request_type& req) {
    for (const auto& [k, v] : headers) req.set(k, v);
  }));
  websocket::response_type res;
  ws_->handshake(res, "127.0.0.1", target, ec);
  if (ec) {
    refusal_status_ = static_cast<int>(res.result_int());
    refusal_body_ = res.body();
    closed_ = true;
    return false;
  }
  return true;
}

void WsTestClient::send(const std::string& text) {
  beast::error_code ec;
  ws_->text(true);
  ws_->write(boost::asio::buffer(text), ec);
  if (ec) closed_ = true;
}

void WsTestClient::start_read() {
  if (reading_ || closed_) return;
  reading_ = true;
  ws_->async_read(buffer_, [this](beast::error_code ec, size_t) {
    reading_ = false;
    if (ec) {
      closed_ = true;
      return;
    }
    frames_.push_back(beast::buffers_to_string(buffer_.data()));
    buffer_.consume(buffer_.size());
  });
}

std::optional<std::string> WsTestClient::recv(std::chrono::milliseconds timeout) {
  auto deadline = std::chrono::steady_clock::now() + timeout;
  while (frames_.empty() && !closed_) {
    start_read();
    auto left = deadline - std::chrono::steady_clock::now();
    if (left <= std::chrono::steady_clock::duration::zero()) break;
    io_.restart();
    io_.run_one_for(left);
  }
  if (frames_.empty()) return std::nullopt;
  auto f = std::move(frames_.front());
  frames_.pop_front();
  return f;
}

}  // namespace aq::testing
