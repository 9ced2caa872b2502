#pragma once
// The hedging component's shell. It keeps the books, marks and funding of every hedge
// instrument (from the connectors' market data), the PositionBook (inventory from takers'
// fills, positions per venue instrument), and per asset what is in flight. On each fill or
// execution it asks the pure cores what to do:
//   decide_intent  how much to hedge now, and why (hedge_intent.hpp)
//   plan_hedge     on which venues and instruments, at what expected cost (hedge_planner.hpp)
//   RiskGovernor   whether each leg may go out (risk_governor.hpp)
// records each hedge order before it is sent to the router (as a request whose reply is the
// execution report), and folds the venue trades back into the positions. One loop, no locks.
#include <boost/asio/io_context.hpp>
#include <boost/asio/steady_timer.hpp>
#include <deque>
#include <map>
#include <memory>
#include <set>
#include <string>
#include <zmq.hpp>

#include "aqueduct/bus/bus.hpp"
#include "aqueduct/hedging/hedge_intent.hpp"
#include "aqueduct/hedging/hedge_planner.hpp"
#include "aqueduct/hedging/hedge_store.hpp"
#include "aqueduct/hedging/position_book.hpp"
#include "aqueduct/hedging/risk_governor.hpp"
#include "aqueduct/router/venue_health.hpp"
#include "aqueduct/types/venue_book.hpp"

namespace aq::hedging {

struct HedgingOptions {
  std::chrono::milliseconds retry_after_empty{250};  // after an IOC that filled nothing
  // How often committed fills that never arrived over the bus are picked up from the record.
  std::chrono::milliseconds fill_sweep_interval{500};
  // A hedge order with no report after this long is sent again (the router deduplicates).
  std::chrono::milliseconds resend_after{2000};
  // How often open exposure with nothing in flight is looked at again (a market that was
  // missing may be back).
  std::chrono::milliseconds pulse{200};
  // Threshold and min_hedge come from each listing and its instruments. max_work_ns 0: every
  // hedge crosses (the router sends IOCs only).
  IntentParams intent{1, 1, 0, 5'000'000'000, 0, 1.0};
  PlanParams plan;
  RiskLimits risk;
  router::HealthParams health;
};

class HedgingService {
 public:
  HedgingService(boost::asio::io_context& io, zmq::context_t& zmq, const bus::Endpoints& endpoints,
                 const Universe& universe, std::unique_ptr<HedgeStore> store,
                 HedgingOptions options, Clock clock = wall_clock());
  void start();
  void stop();
  const PositionBook& positions() const { return positions_; }
  const RiskGovernor& risk() const { return risk_; }
  // Fills that reached hedging through the record rather than the bus.
  uint64_t swept_fills() const { return swept_; }
  // Risk trips since start (each is also in audit_log, the error log and on the bus).
  uint64_t risk_trips() const { return risk_trips_; }

 private:
  struct InFlight {
    std::string asset;
    const Instrument* inst = nullptr;
    Side side = Side::Buy;
    int64_t signed_base = 0;  // kAssetScale, as planned
    bus::Envelope order;
    int64_t sent_ns = 0;
    int64_t first_sent_ns = 0;
    int64_t unknown_since_ns = 0;  // the router reported the outcome unknown
  };
  struct AssetFlow {
    int64_t pending = 0;  // Σ in-flight signed base
    int64_t open_since_ns = 0;
    int64_t retry_after_ns = 0;
    std::string last_why;  // the last reason for no hedge (logged once per change)
  };

  void on_message(std::string_view topic, const bus::Envelope& env);
  void on_market(const bus::Envelope& env);
  void on_fill(const aqueduct::msg::Fill& f);
  void on_execution(const aqueduct::msg::ExecutionReport& r);
  void evaluate(const std::string& asset);
  void pulse();
  Marks marks(int64_t now) const;
  std::vector<HedgeCandidate> candidates(const std::string& asset, Side side, const Marks& m,
                                         int64_t now) const;
  std::map<std::string, std::string> exposure_texts(const std::vector<std::string>& assets) const;
  void publish_position(const std::string& asset, const std::string& cause);
  void check_risk(int64_t now);
  void sweep_untaken_fills();
  void resend_unanswered();
  void restore();

  boost::asio::io_context& io_;
  const Universe& universe_;
  std::unique_ptr<HedgeStore> store_;
  HedgingOptions options_;
  Clock clock_;
  bus::Subscriber sub_;
  bus::Subscriber market_;
  bus::Publisher pub_;
  bus::RpcClient router_;
  PositionBook positions_;
  RiskGovernor risk_;
  std::map<std::string, VenueBook> books_;             // hedge instruments, by key
  std::map<std::string, int64_t> funding_ppb_;         // by instrument key
  std::map<std::string, int64_t> mark_units_;          // venue marks, by instrument key
  std::map<std::string, router::VenueHealth> health_;  // by venue
  std::map<std::string, std::vector<const Instrument*>> hedge_instruments_;  // by asset
  std::map<std::string, const Listing*> listing_of_;  // asset -> the listing whose terms apply
  std::map<std::string, AssetFlow> flows_;
  std::map<std::string, InFlight> in_flight_;
  // venue:trade_id of the trades applied, newest last; bounded (a venue repeats a trade only
  // within one order's reports, long before 100,000 more trades).
  std::set<std::string> seen_trades_;
  std::deque<std::string> seen_order_;
  boost::asio::steady_timer sweep_timer_;
  boost::asio::steady_timer resend_timer_;
  boost::asio::steady_timer pulse_timer_;
  uint64_t swept_ = 0;
  uint64_t risk_trips_ = 0;
  std::shared_ptr<bool> alive_ = std::make_shared<bool>(true);
};

}  // namespace aq::hedging
