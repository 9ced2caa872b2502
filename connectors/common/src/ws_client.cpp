#include "aqueduct/net/ws_client.hpp"

#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/ssl/host_name_verification.hpp>

#include <boost/beast/core.hpp>
#include <boost/beast/ssl.hpp>
#include <boost/beast/websocket.hpp>
#include <boost/beast/websocket/ssl.hpp>
#include <deque>
#include "aqueduct/net/tls.hpp"

namespace aq::net {

namespace beast = boost::beast;
namespace websocket = beast::websocket;
namespace ssl = boost::asio::ssl;
using tcp = boost::asio::ip::tcp;

namespace {

template <typename Next>
class BasicWsClient : public WsClient, public std::enable_shared_from_this<BasicWsClient<Next>> {
 public:
  static constexpr bool kTls = !std::is_same_v<Next, beast::tcp_stream>;

  template <typename... Args>
  BasicWsClient(boost::asio::io_context& io, std::string host, uint16_t port, std::string target,
                Args&&... args)
      : ws_(io, std::forward<Args>(args)...),
        resolver_(io),
        host_(std::move(host)),
        port_(port),
        target_(std::move(target)) {}

  void start(OnOpen on_open, OnMessage on_message, OnClosed on_closed) override {
    on_open_ = std::move(on_open);
    on_message_ = std::move(on_message);
    on_closed_ = std::move(on_closed);
    resolver_.async_resolve(
        host_, std::to_string(port_),
        [self = this->shared_from_this()](beast::error_code ec, tcp::resolver::results_type r) {
          if (ec) return self->fail("resolve '" + self->host_ + "': " + ec.message());
          self->connect(r);
        });
  }

  void set_handshake_headers(std::vector<std::pair<std::string, std::string>> headers) override {
    headers_ = std::move(headers);
  }

  void send(std::string text) override {
    if (closed_) return;
    outbox_.push_back({std::move(text), false});
    write();
  }

  void send_binary(std::string bytes) override {
    if (closed_) return;
    outbox_.push_back({std::move(bytes), true});
    write();
  }

  void close() override {
    if (closed_) return;
    closed_ = true;
    beast::error_code ec;
    beast::get_lowest_layer(ws_).socket().close(ec);
  }

 private:
  void connect(const tcp::resolver::results_type& r) {
    beast::get_lowest_layer(ws_).expires_after(std::chrono::seconds(5));
    beast::get_lowest_layer(ws_).async_connect(
        r, [self = this->shared_from_this()](beast::error_code e, const tcp::endpoint&) {
          if (e) return self->fail("connect: " + e.message());
          if constexpr (kTls)
            self->tls_handshake();
          else
            self->ws_handshake();
        });
  }

  void tls_handshake() {
    if constexpr (kTls) {
      auto& tls = ws_.next_layer();
      // SNI, and the certificate must name the host we asked for.
      if (!set_server_name(tls.native_handle(), host_))
        return fail("TLS: cannot set the server name");
      tls.set_verify_callback(ssl::host_name_verification(host_));
      tls.async_handshake(ssl::stream_base::client,
                          [self = this->shared_from_this()](beast::error_code e) {
                            if (e) return self->fail("TLS handshake: " + e.message());
                            self->ws_handshake();
                          });
    }
  }

  void ws_handshake() {
    beast::get_lowest_layer(ws_).expires_never();
    ws_.set_option(websocket::stream_base::timeout::suggested(beast::role_type::client));
    if (!headers_.empty())
      ws_.set_option(
          websocket::stream_base::decorator([h = headers_](websocket::request_type& req) {
            for (const auto& [k, v] : h) req.set(k, v);
          }));
    std::string host = host_ + ":" + std::to_string(port_);
    ws_.async_handshake(host, target_, [self = this->shared_from_this()](beast::error_code e) {
      if (e) return self->fail("handshake: " + e.message());
      self->open_ = true;
      if (self->on_open_) self->on_open_();
      self->read();
      self->write();
    });
  }

  void read() {
    ws_.async_read(buffer_, [self = this->shared_from_this()](beast::error_code ec, size_t) {
      if (ec) return self->fail(ec == websocket::error::closed ? "closed by server" : ec.message());
      if (self->closed_) return;
      auto data = self->buffer_.data();
      self->on_message_(std::string_view(static_cast<const char*>(data.data()), data.size()));
      self->buffer_.consume(self->buffer_.size());
      self->read();
    });
  }

  void write() {
    if (!open_ || writing_ || closed_ || outbox_.empty()) return;
    writing_ = true;
    ws_.text(!outbox_.front().binary);
    ws_.async_write(boost::asio::buffer(outbox_.front().data),
                    [self = this->shared_from_this()](beast::error_code ec, size_t) {
                      self->writing_ = false;
                      if (ec) return self->fail("write: " + ec.message());
                      self->outbox_.pop_front();
                      self->write();
                    });
  }

  // Reports the loss once, then lets go of the owner's callbacks, so that a callback holding
  // this client cannot keep it alive after the connection is gone.
  void fail(const std::string& why) {
    auto on_closed = std::move(on_closed_);
    on_open_ = nullptr;
    on_message_ = nullptr;
    on_closed_ = nullptr;
    if (closed_) return;
    closed_ = true;
    if (on_closed) on_closed(why);
  }

  websocket::stream<Next> ws_;
  tcp::resolver resolver_;
  std::string host_;
  uint16_t port_;
  std::string target_;
  beast::flat_buffer buffer_;
  struct Frame {
    std::string data;
    bool binary;
  };
  std::deque<Frame> outbox_;
  std::vector<std::pair<std::string, std::string>> headers_;
  OnOpen on_open_;
  OnMessage on_message_;
  OnClosed on_closed_;
  bool open_ = false;
  bool writing_ = false;
  bool closed_ = false;
};

}  // namespace

std::shared_ptr<WsClient> WsClient::create(boost::asio::io_context& io, std::string host,
                                           uint16_t port, std::string target,
                                           std::shared_ptr<ssl::context> tls) {
  if (!tls)
    return std::make_shared<BasicWsClient<beast::tcp_stream>>(io, std::move(host), port,
                                                              std::move(target));
  // The context must outlive the stream: keep it with the client.
  struct TlsClient : BasicWsClient<beast::ssl_stream<beast::tcp_stream>> {
    TlsClient(boost::asio::io_context& io, std::string h, uint16_t p, std::string t,
              std::shared_ptr<ssl::context> c)
        : BasicWsClient(io, std::move(h), p, std::move(t), *c), ctx(std::move(c)) {}
    std::shared_ptr<ssl::context> ctx;
  };
  return std::make_shared<TlsClient>(io, std::move(host), port, std::move(target), std::move(tls));
}

}  // namespace aq::net
