#pragma once
// An asynchronous keep-alive HTTP/1.1 client to one host, for one io_context (one thread):
// HTTPS with SNI and host-name verification to real venues, plain HTTP to the simulator; the
// host is resolved by DNS.
// Requests are sent one at a time in order; each has a deadline. A request whose target or
// headers contain a line break is refused (invalid_argument) and not sent. A request whose
// connection fails after it was written reports `maybe_sent`, so order entry can treat the outcome
// as unknown rather than rejected.
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <boost/beast/ssl.hpp>
#include <chrono>
#include <deque>
#include <functional>
#include <memory>
#include <optional>
#include <string>

namespace aq::net {

struct HttpResult {
  boost::system::error_code error;  // transport error; the response is empty then
  bool maybe_sent = false;          // with an error: the request may have reached the server
  int status = 0;
  std::string body;
  std::optional<int64_t> retry_after_s;  // the Retry-After header, when the server sent seconds
  bool ok() const { return !error && status >= 200 && status < 300; }
};

class HttpClient {
 public:
  using Callback = std::function<void(HttpResult)>;

  // `tls` null: plain HTTP.
  HttpClient(boost::asio::io_context& io, std::string host, uint16_t port,
             std::chrono::milliseconds timeout = std::chrono::milliseconds(5000),
             std::shared_ptr<boost::asio::ssl::context> tls = nullptr);
  ~HttpClient();
  void request(boost::beast::http::verb verb, std::string target, std::string body,
               std::vector<std::pair<std::string, std::string>> headers, Callback cb);
  const std::string& host() const { return host_; }
  uint16_t port() const { return port_; }

 private:
  struct Conn;
  struct Pending {
    std::string wire;  // the request as written: request line, headers, body
    Callback cb;
  };
  void pump();
  void connect_then_send();
  void send();
  template <typename Stream>
  void write_then_read(std::shared_ptr<Conn> conn, Stream& s);
  template <typename Stream>
  void read_response(std::shared_ptr<Conn> conn, Stream& s);
  void finish(HttpResult r);
  void close_stream();
  bool stream_open() const;

  boost::asio::io_context& io_;
  std::string host_;
  uint16_t port_;
  std::chrono::milliseconds timeout_;
  std::shared_ptr<boost::asio::ssl::context> tls_;
  boost::asio::ip::tcp::resolver resolver_;
  // Everything a pending read or write touches, owned jointly by the client and by the
  // operations in flight, so that destroying the client mid-request frees nothing they use.
  struct Conn {
    std::optional<boost::beast::tcp_stream> plain;
    std::optional<boost::beast::ssl_stream<boost::beast::tcp_stream>> tls;
    boost::beast::flat_buffer buffer;
    std::string wire;
    boost::beast::http::response<boost::beast::http::string_body> res;
  };
  std::shared_ptr<Conn> conn_;
  std::deque<Pending> queue_;
  bool busy_ = false;
  bool written_ = false;
  std::shared_ptr<bool> alive_ = std::make_shared<bool>(true);
};

}  // namespace aq::net
