#pragma once
// The router component: the OrderDesk (order_desk.hpp) behind the bus. Hedge orders arrive as
// requests whose reply is the execution report; every report is also published for
// observers. Outcomes follow the connectors' order state machine: a transport failure after
// sending is UNKNOWN until reconciled.
//
// When hedging runs in the same process, the router is built on hedging's loop and hedging
// calls submit_local instead of using the bus: the same desk, the same records and reports.
#include <boost/asio/io_context.hpp>
#include <map>
#include <memory>
#include <string>
#include <zmq.hpp>

#include "aqueduct/bus/bus.hpp"
#include "aqueduct/router/order_desk.hpp"

namespace aq::router {

class RouterService {
 public:
  RouterService(boost::asio::io_context& io, zmq::context_t& zmq, const bus::Endpoints& endpoints,
                const Universe& universe, std::unique_ptr<RouterStore> store,
                std::map<std::string, VenueAccess> venues, Clock clock = wall_clock());
  void start();
  // From a caller on the router's own loop: the order goes to the desk directly, and its
  // report comes back to `done` (later, never within this call) as well as on the bus.
  void submit_local(const aqueduct::msg::HedgeOrder& o, std::function<void(bus::Envelope&)> done);
  // The desk's placement path run dry (OrderDesk::warm); on this loop.
  void warm_local() { desk_.warm(); }
  OrderDesk& desk() { return desk_; }
  uint64_t orders_sent() const { return desk_.orders_sent(); }
  uint64_t reconciles() const { return desk_.reconciles(); }

 private:
  void on_request(const bus::Envelope& req, bus::RpcServer::Reply reply);

  OrderDesk desk_;
  bus::RpcServer rpc_;
  bus::Publisher pub_;
};

}  // namespace aq::router
