#pragma once
// The native takers' API (institutional clients), over HTTP and WebSocket on the rfq port:
//   GET  /v1/price?listing=&side=&qty=   indicative price for a size
//   GET  /v1/levels?listing=             indicative ladder: cumulative and incremental levels
//   POST /v1/quote  {"listing","side","qty"}   firm quote: id, price, size, expiry, breakdown
//   POST /v1/accept {"quote_id","accept_id"?,"qty"?}   fill a live quote (durable before the
//        reply; the same accept_id again returns the same fill)
//   GET  /v1/ws                          WebSocket: level streams, quote and accept (NativeStream)
//   GET  /health
//   GET  /openapi.yaml                   the OpenAPI document of both HTTP surfaces (ops/api)
// Every /v1 call is signed (native_auth.hpp) and admitted under the client's rate limit.
#include <boost/json.hpp>
#include <chrono>
#include <functional>
#include <memory>
#include <string>
#include <string_view>

#include "aqueduct/net/http_server.hpp"
#include "aqueduct/rfq/native_auth.hpp"
#include "aqueduct/rfq/native_options.hpp"
#include "aqueduct/rfq/quote_desk.hpp"

namespace aq::rfq {

// An answer in either transport: HTTP sends `body` with `status`; the WebSocket sends it as a
// frame (errors as {"type":"error",...}).
struct NativeAnswer {
  boost::beast::http::status status = boost::beast::http::status::ok;
  boost::json::object body;
};

class NativeStream;

class NativeGateway {
 public:
  NativeGateway(boost::asio::io_context& io, QuoteDesk& desk, NativeOptions options);
  ~NativeGateway();
  void stop();
  // Answers a request under /v1/, /health or /openapi.yaml; false if the path is not its own.
  bool handle(const net::HttpRequest& req, net::HttpServer::Respond& respond);
  // A WebSocket upgrade: authenticated like any request, then handed to the stream.
  void upgrade(boost::beast::tcp_stream stream, net::HttpRequest req);

  // Authenticates a signed request; the client, or the refusal to answer with.
  const Client* authenticate(const net::HttpRequest& req, std::optional<NativeAnswer>& refused);
  // A firm quote for {"listing","side","qty"} (shared by POST /v1/quote and the WebSocket).
  void quote(const std::string& client_id, const boost::json::object& ask,
             std::function<void(NativeAnswer)> done);
  // Fills {"quote_id","accept_id"?,"qty"?} (POST /v1/accept and the WebSocket).
  NativeAnswer accept(const Client& c, const boost::json::object& ask);
  QuoteDesk& desk() { return desk_; }
  const NativeOptions& options() const { return options_; }

 private:
  void price_query(const Client& c, std::string_view query, net::HttpServer::Respond respond);
  void levels_query(const Client& c, std::string_view query, net::HttpServer::Respond respond);

  QuoteDesk& desk_;
  NativeOptions options_;
  ClientKeys keys_;
  RequestVerifier verifier_;
  std::unique_ptr<NativeStream> stream_;
};

// ops/api/openapi.yaml, embedded at build time.
const char* openapi_yaml();

NativeAnswer error_answer(boost::beast::http::status status, std::string_view code,
                          std::string message);
NativeAnswer refusal_answer(const Refusal& r);
net::HttpResponse to_http(const NativeAnswer& a);
// {"error": code, "message": message} with `status`.
net::HttpResponse error_response(boost::beast::http::status status, std::string_view code,
                                 std::string message);
net::HttpResponse refusal_response(const Refusal& r);
// The indicative ladder as clients read it (REST /v1/levels and the stream's "levels" frames).
boost::json::object levels_json(const aqueduct::msg::IndicativeLevels& lv, int64_t now_ns);

}  // namespace aq::rfq
