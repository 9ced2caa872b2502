#pragma once
// The takers' HTTP gateway (native API, v1):
//   GET  /v1/price?listing=&side=&qty=   indicative price for a size
//   GET  /v1/levels?listing=             indicative ladder: cumulative and incremental levels
//   POST /v1/quote  {"listing","side","qty"}   firm quote: id, price, size, expiry
//   POST /v1/accept {"quote_id"}               fill a live quote (durable before the reply)
//   GET  /health
// Every /v1 call carries X-API-Key. Prices come from the pricer over the bus; fills go to
// hedging over the bus after they are committed.
#include <boost/asio/io_context.hpp>
#include <boost/asio/steady_timer.hpp>
#include <map>
#include <memory>
#include <string>
#include <zmq.hpp>

#include "aqueduct/bus/bus.hpp"
#include "aqueduct/net/http_server.hpp"
#include "aqueduct/rfq/quote_book.hpp"
#include "aqueduct/rfq/rfq_store.hpp"

namespace aq::rfq {

struct RfqOptions {
  net::HttpServerOptions http;
  std::chrono::milliseconds pricer_timeout{250};
};

class RfqService {
 public:
  RfqService(boost::asio::io_context& io, zmq::context_t& zmq, const bus::Endpoints& endpoints,
             const Universe& universe, std::unique_ptr<RfqStore> store, RfqOptions options,
             Clock clock = wall_clock());
  ~RfqService();
  void start();
  void stop();
  uint16_t port() const { return http_.port(); }
  // Re-reads clients from the record (after an operator adds one).
  void reload_clients();

 private:
  struct Pending;
  void handle(const net::HttpRequest& req, net::HttpServer::Respond respond);
  const Client* authenticate(const net::HttpRequest& req);
  void request_price(const Client& client, const Listing& listing, Side side, int64_t qty,
                     bool firm, net::HttpServer::Respond respond);
  void on_pricer_reply(const bus::Envelope& env);
  void finish_quote(Pending& p, const aqueduct::msg::FirmQuote& fq);
  void handle_quote_body(const Client& c, const std::string& body, net::HttpServer::Respond respond);
  void handle_price_query(const Client& c, std::string_view query, net::HttpServer::Respond respond);
  void handle_levels_query(const Client& c, std::string_view query, net::HttpServer::Respond respond);
  // Registers a request awaiting the pricer (with its timeout) and sends it.
  void send_to_pricer(uint64_t id, std::unique_ptr<Pending> p, bus::Envelope& env);
  net::HttpResponse handle_accept(const Client& c, const std::string& body);
  void sweep();

  boost::asio::io_context& io_;
  const Universe& universe_;
  std::unique_ptr<RfqStore> store_;
  RfqOptions options_;
  Clock clock_;
  net::HttpServer http_;
  bus::RpcClient pricer_;
  bus::Publisher pub_;
  QuoteBook quotes_;
  std::map<std::string, Client> clients_by_key_hash_;
  std::map<uint64_t, std::unique_ptr<Pending>> pending_;
  uint64_t next_request_id_ = 1;
  boost::asio::steady_timer sweep_timer_;
  std::shared_ptr<bool> alive_ = std::make_shared<bool>(true);
};

}  // namespace aq::rfq
