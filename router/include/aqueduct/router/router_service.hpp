#pragma once
// The router component: the OrderDesk (order_desk.hpp) behind the bus. Hedge orders arrive as
// requests whose reply is the execution report; every report is also published for
// observers. Outcomes follow the connectors' order state machine: a transport failure after
// sending is UNKNOWN until reconciled.
//
// Every `account_interval` the router also reads each venue's derivatives account and
// publishes what it read (VenueAccount, topic "account.<venue>"), failures included, so
// hedging plans perp legs against the margin the venue itself reports.
//
// When hedging runs in the same process, the router is built on hedging's loop and hedging
// calls submit_local instead of using the bus: the same desk, the same records and reports.
#include <boost/asio/io_context.hpp>
#include <boost/asio/steady_timer.hpp>
#include <chrono>
#include <map>
#include <memory>
#include <set>
#include <string>
#include <zmq.hpp>

#include "aqueduct/bus/bus.hpp"
#include "aqueduct/router/order_desk.hpp"

namespace aq::router {

class RouterService {
 public:
  RouterService(boost::asio::io_context& io, zmq::context_t& zmq, const bus::Endpoints& endpoints,
                const Universe& universe, std::unique_ptr<RouterStore> store,
                std::map<std::string, VenueAccess> venues, Clock clock = wall_clock(),
                std::chrono::milliseconds account_interval = std::chrono::seconds(5));
  void start();
  // From a caller on the router's own loop: the order goes to the desk directly, and its
  // report comes back to `done` (later, never within this call) as well as on the bus.
  void submit_local(const aqueduct::msg::HedgeOrder& o, std::function<void(bus::Envelope&)> done);
  // A FundingHistoryRequest from a caller on this loop; the answer comes to `done` later.
  void funding_history_local(const aqueduct::msg::FundingHistoryRequest& req,
                             std::function<void(bus::Envelope&)> done) {
    desk_.funding_history(req, std::move(done));
  }
  // The desk's placement path run dry (OrderDesk::warm); on this loop.
  void warm_local() { desk_.warm(); }
  OrderDesk& desk() { return desk_; }
  uint64_t orders_sent() const { return desk_.orders_sent(); }
  uint64_t reconciles() const { return desk_.reconciles(); }
  ~RouterService() { *alive_ = false; }

 private:
  void on_request(const bus::Envelope& req, bus::RpcServer::Reply reply);
  void read_accounts();      // now, then every account_interval
  void read_accounts_now();  // each venue not already being read

  OrderDesk desk_;
  Clock clock_;
  std::chrono::milliseconds account_interval_;
  boost::asio::steady_timer account_timer_;
  std::map<std::string, std::string> account_errors_;  // venue -> the last read's error ("" = read)
  std::set<std::string> account_pending_;              // venues whose read is under way
  std::shared_ptr<bool> alive_ = std::make_shared<bool>(true);
  bus::RpcServer rpc_;
  bus::Publisher pub_;
};

}  // namespace aq::router
