#pragma once
// The router component: takes hedge orders as requests from hedging, sends each as a limit IOC
// to its venue (any venue with an OrderProtocol: Binance spot and USD-M, OKX, Bybit, BitMEX), records the execution, and answers with the execution report (also published
// for observers). Outcomes follow the connectors' order state machine: a transport failure
// after sending is UNKNOWN until reconciled. A hedge order is placed at most once: a request
// marked reconcile_only (every retry, every hedge rebuilt after a restart) only looks the
// order up at its venue by client id, and one seen again has its final report replayed.
#include <boost/asio/io_context.hpp>
#include <deque>
#include <map>
#include <set>
#include <memory>
#include <string>
#include <zmq.hpp>

#include "aqueduct/bus/bus.hpp"
#include "aqueduct/connectors/rest_order_entry.hpp"
#include "aqueduct/router/router_store.hpp"

namespace aq::router {

struct VenueAccess {
  std::string host;
  uint16_t port = 0;
  std::unique_ptr<connectors::OrderProtocol> protocol;  // the venue's requests, signed with its credentials
  std::shared_ptr<connectors::RateLimiter> limiter;  // the account's limits; none = unlimited
  std::shared_ptr<boost::asio::ssl::context> tls;    // HTTPS to a real venue; none = plain HTTP
};

class RouterService {
 public:
  RouterService(boost::asio::io_context& io, zmq::context_t& zmq, const bus::Endpoints& endpoints,
                const Universe& universe, std::unique_ptr<RouterStore> store,
                std::map<std::string, VenueAccess> venues, Clock clock = wall_clock());
  void start();
  uint64_t orders_sent() const { return orders_sent_; }
  // Hedge orders looked up at their venue by client id instead of placed (retries, recovery).
  uint64_t reconciles() const { return reconciles_; }

 private:
  void on_request(const bus::Envelope& req, bus::RpcServer::Reply reply);
  void report(const aqueduct::msg::HedgeOrder& o, const Instrument* inst,
              const connectors::OrderOutcome& out, bus::RpcServer::Reply reply);

  const Universe& universe_;
  std::unique_ptr<RouterStore> store_;
  Clock clock_;
  bus::RpcServer rpc_;
  bus::Publisher pub_;
  std::map<std::string, bus::Envelope> done_;  // hedge id -> final report (replayed on repeats)
  std::deque<std::string> done_order_;         // oldest first; bounded, as hedges repeat briefly
  std::set<std::string> in_progress_;
  std::map<std::string, std::unique_ptr<connectors::RestOrderEntry>> entries_;  // by venue
  uint64_t orders_sent_ = 0;
  uint64_t reconciles_ = 0;
  std::shared_ptr<bool> alive_ = std::make_shared<bool>(true);
};

}  // namespace aq::router
