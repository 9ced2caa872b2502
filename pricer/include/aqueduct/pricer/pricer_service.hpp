#pragma once
// The pricer component's shell: keeps every venue book current from the bus and answers
// quote requests from rfq gateways over the request/reply socket, one at a time, in order.
#include <boost/asio/io_context.hpp>
#include <map>
#include <string>
#include <zmq.hpp>

#include "aqueduct/bus/bus.hpp"
#include "aqueduct/pricer/firm_pricer.hpp"

namespace aq::pricer {

class PricerService : public BookLookup {
 public:
  PricerService(boost::asio::io_context& io, zmq::context_t& zmq, const bus::Endpoints& endpoints,
                const Universe& universe, PricingLimits limits, Clock clock = wall_clock());
  void start();

  const VenueBook* find(const std::string& instrument_key) const override;

 private:
  void on_market(std::string_view topic, const bus::Envelope& env);
  void on_request(const bus::Envelope& req, bus::RpcServer::Reply reply);
  VenueBook* book_for(const std::string& venue, const std::string& symbol);

  const Universe& universe_;
  PricingLimits limits_;
  Clock clock_;
  std::map<std::string, VenueBook> books_;
  bus::Subscriber market_;
  bus::RpcServer rpc_;
};

}  // namespace aq::pricer
