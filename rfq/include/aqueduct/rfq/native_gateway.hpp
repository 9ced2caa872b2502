#pragma once
// The native takers' API over HTTP (institutional clients):
//   GET  /v1/price?listing=&side=&qty=   indicative price for a size
//   GET  /v1/levels?listing=             indicative ladder: cumulative and incremental levels
//   POST /v1/quote  {"listing","side","qty"}   firm quote: id, price, size, expiry, breakdown
//   POST /v1/accept {"quote_id","accept_id"?,"qty"?}   fill a live quote (durable before the
//        reply; the same accept_id again returns the same fill)
//   GET  /health
//   GET  /openapi.yaml                   the OpenAPI document of both HTTP surfaces (ops/api)
// Every /v1 call carries X-API-Key and is admitted under the client's rate limit.
#include <string_view>

#include "aqueduct/net/http_server.hpp"
#include "aqueduct/rfq/quote_desk.hpp"

namespace aq::rfq {

class NativeGateway {
 public:
  explicit NativeGateway(QuoteDesk& desk) : desk_(desk) {}
  // Answers a request under /v1/ or /health; returns false if the path is not its own.
  bool handle(const net::HttpRequest& req, net::HttpServer::Respond& respond);

 private:
  void price_query(const Client& c, std::string_view query, net::HttpServer::Respond respond);
  void levels_query(const Client& c, std::string_view query, net::HttpServer::Respond respond);
  void quote_body(const Client& c, const std::string& body, net::HttpServer::Respond respond);
  net::HttpResponse accept(const Client& c, const std::string& body);

  QuoteDesk& desk_;
};

// ops/api/openapi.yaml, embedded at build time.
const char* openapi_yaml();

// {"error": code, "message": message} with `status`.
net::HttpResponse error_response(boost::beast::http::status status, std::string_view code,
                                 std::string message);
net::HttpResponse refusal_response(const Refusal& r);

}  // namespace aq::rfq
