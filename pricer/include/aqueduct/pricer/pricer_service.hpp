#pragma once
// The pricer component's shell: keeps every venue book current from the bus, refreshes the
// listings a book feeds, follows fills (flow window, markouts) and hedging's positions
// (inventory skew), and answers rfq gateways over the request/reply socket — firm and
// indicative prices, ladders — one at a time, in order. Operators use the same socket for the
// kill switch and to re-arm a listing whose circuit breaker tripped.
#include <boost/asio/io_context.hpp>
#include <map>
#include <optional>
#include <memory>
#include <string>
#include <vector>
#include <zmq.hpp>

#include "aqueduct/bus/bus.hpp"
#include "aqueduct/pricer/ladder.hpp"
#include "aqueduct/pricer/markout_recorder.hpp"
#include "aqueduct/pricer/markouts.hpp"

namespace aq::pricer {

struct PricerConfig {
  std::map<std::string, PricingParams> params;          // by listing; absent: defaults
  std::map<std::string, std::vector<int64_t>> ladders;  // by listing, listing qty units
  std::vector<Tier> tiers;                              // the first is the default tier
  int64_t ladder_ttl_ns = 1'000'000'000;
};

// Twenty sizes from the listing's minimum to its maximum, spaced geometrically.
std::vector<int64_t> default_ladder(const Listing& l);

class PricerService {
 public:
  PricerService(boost::asio::io_context& io, zmq::context_t& zmq, const bus::Endpoints& endpoints,
                const Universe& universe, PricerConfig config, Clock clock = wall_clock());
  void start();

  // For tests and the demo: the live pricer of a listing (nullptr when unknown).
  ListingPricer* listing(const std::string& name);
  const Markouts& markouts() const { return markouts_; }
  // Where completed markouts are written (PostgreSQL, off the loop); none: kept in memory only.
  void record_markouts(MarkoutRecorder* recorder) { recorder_ = recorder; }

 private:
  void on_market(std::string_view topic, const bus::Envelope& env);
  void on_flow(std::string_view topic, const bus::Envelope& env);
  void on_request(const bus::Envelope& req, bus::RpcServer::Reply reply);
  void quote(const aqueduct::msg::QuoteRequest& q, bus::RpcServer::Reply& reply);
  void levels(const aqueduct::msg::LevelsRequest& q, bus::RpcServer::Reply& reply);
  void control(const aqueduct::msg::PricerControl& c, bus::RpcServer::Reply& reply);
  // Why hedging's risk limits stop `listing` from quoting, if they do.
  std::optional<std::string> risk_refusal(const std::string& listing) const;
  void refresh_for(const std::string& instrument_key, int64_t now);
  // The client's tier; a zero-fee client pays no markup whatever its tier says.
  Tier tier(const std::string& name, bool zero_fee) const;

  const Universe& universe_;
  PricerConfig config_;
  Clock clock_;
  std::map<std::string, VenueBook> books_;
  std::map<std::string, std::unique_ptr<ListingPricer>> pricers_;
  std::map<std::string, std::vector<ListingPricer*>> by_instrument_;
  Markouts markouts_;
  MarkoutRecorder* recorder_ = nullptr;
  bool killed_ = false;
  std::map<std::string, std::string> risk_stops_;  // listing -> why (hedging's stop loss)
  std::string risk_halt_;                           // non-empty: the portfolio is HALTED
  bus::Subscriber market_;
  bus::Subscriber flow_;
  bus::RpcServer rpc_;
};

}  // namespace aq::pricer
