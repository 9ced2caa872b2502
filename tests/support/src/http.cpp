#include "aqueduct/testing/http.hpp"

#include <boost/asio/connect.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <memory>

namespace aq::testing {

namespace beast = boost::beast;
namespace http = beast::http;

namespace {

void connect(beast::tcp_stream& stream, uint16_t port) {
  stream.expires_after(std::chrono::seconds(10));
  stream.connect(boost::asio::ip::tcp::endpoint(boost::asio::ip::make_address("127.0.0.1"), port));
}

void write(beast::tcp_stream& stream, const Call& c) {
  http::request<http::string_body> req{http::string_to_verb(c.method), c.target, 11};
  req.set(http::field::host, "127.0.0.1");
  for (const auto& [k, v] : c.headers) req.set(k, v);
  req.body() = c.body;
  req.prepare_payload();
  http::write(stream, req);
}

Reply read(beast::tcp_stream& stream) {
  beast::flat_buffer buf;
  http::response<http::string_body> res;
  http::read(stream, buf, res);
  beast::error_code ec;
  stream.socket().shutdown(boost::asio::ip::tcp::socket::shutdown_both, ec);
  Reply out{static_cast<int>(res.result_int()), res.body(), {}};
  for (const auto& f : res)
    out.headers.emplace_back(std::string(f.name_string()), std::string(f.value()));
  return out;
}

}  // namespace

Reply http_call(uint16_t port, const std::string& method, const std::string& target,
                const std::string& body,
                const std::vector<std::pair<std::string, std::string>>& headers) {
  boost::asio::io_context io;
  beast::tcp_stream stream(io);
  connect(stream, port);
  write(stream, {method, target, body, headers});
  return read(stream);
}

std::vector<Reply> http_calls_at_once(uint16_t port, const std::vector<Call>& calls) {
  boost::asio::io_context io;
  std::vector<std::unique_ptr<beast::tcp_stream>> streams;
  for (size_t i = 0; i < calls.size(); ++i) {
    streams.push_back(std::make_unique<beast::tcp_stream>(io));
    connect(*streams.back(), port);
  }
  for (size_t i = 0; i < calls.size(); ++i) write(*streams[i], calls[i]);
  std::vector<Reply> out;
  for (auto& s : streams) out.push_back(read(*s));
  return out;
}

}  // namespace aq::testing
