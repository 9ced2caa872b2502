#pragma once
// The hedging component's shell. It keeps the books, marks and funding of every hedge
// instrument (from the connectors' market data), the PositionBook (inventory from takers'
// fills, positions per venue instrument), and per asset what is in flight. On each fill or
// execution it asks the pure cores what to do:
//   decide_intent  how much to hedge now, and why (hedge_intent.hpp)
//   plan_hedge     on which venues and instruments, at what expected cost (hedge_planner.hpp)
//   RiskGovernor   whether each leg may go out (risk_governor.hpp)
// sends each hedge order to the router (as a request whose reply is the execution report;
// or, with the router on this loop, by a direct call: route_locally), and folds the venue
// trades back into the positions. One loop, no locks.
//
// What is recorded when, so that a crash at any point loses and doubles nothing:
// - A fresh fill from the bus is hedged at once: its orders carry ids derived from the fill
//   (hedge_ids.hpp) and go out before anything is written; the fill's claim, the inventory it
//   moves and those orders are then recorded in one transaction.
// - Every other hedge order (after an execution, on a pulse, for a fill found in the record)
//   is recorded before it is sent.
// - A retry never places an order again: it asks the router to look the order up at its
//   venue by id (reconcile_only).
// - At start, before anything is hedged: every recorded order without a final status is
//   looked up at its venue, and for the newest unclaimed fills (the one a crash may have
//   caught between sending and recording) every id the fill could have produced is looked up;
//   what is found is adopted, its trades applied once. Then the unclaimed fills are taken and
//   the exposure that remains is hedged.
//
// For the recovery tests, HedgingOptions::crash_at makes the process exit at a named point
// (see crash_point in the source) as a crash would: nothing after it reaches the record.
#include <boost/asio/io_context.hpp>
#include <boost/asio/steady_timer.hpp>
#include <optional>
#include <deque>
#include <map>
#include <memory>
#include <set>
#include <string>
#include <zmq.hpp>

#include "aqueduct/bus/bus.hpp"
#include "aqueduct/hedging/alert_webhook.hpp"
#include "aqueduct/hedging/fill_attribution.hpp"
#include "aqueduct/hedging/funding_catch_up.hpp"
#include "aqueduct/hedging/hedge_intent.hpp"
#include "aqueduct/hedging/hedge_planner.hpp"
#include "aqueduct/hedging/hedge_store.hpp"
#include "aqueduct/hedging/hedging_metrics.hpp"
#include "aqueduct/hedging/position_book.hpp"
#include "aqueduct/hedging/risk_governor.hpp"
#include "aqueduct/hedging/venue_margin.hpp"
#include "aqueduct/net/http_server.hpp"
#include "aqueduct/pricer/volatility.hpp"
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
  // How often the fill-to-order path is run dry to keep it warm (0: never). A fill's hedge
  // after an idle spell otherwise finds its code, data and the kernel's send path cold; the
  // dry run values the exposure, plans a minimum hedge per asset, signs a dummy order per
  // venue and writes over a private loopback connection. Nothing is sent, recorded or
  // changed. Costs one short turn of the loop per interval.
  std::chrono::microseconds warm_interval{0};
  // Threshold and min_hedge come from each listing and its instruments. max_work_ns 0: every
  // hedge crosses (the router sends IOCs only); above 0, a hedge whose waiting risk is below
  // the half spread is worked: a post-only order joins the best price on its side until
  // the deadline, and what it does not fill is crossed.
  IntentParams intent{1, 1, 0, 5'000'000'000, 0, 1.0};
  // The volatility the urgency model prices in: the pricer's estimator over the asset's USD
  // price, sampled on each pulse (statistics).
  std::chrono::seconds vol_half_life{60};
  double vol_prior_bps_per_sqrt_s = 2.0;
  PlanParams plan;
  RiskLimits risk;
  router::HealthParams health;
  // Risk trips and re-arms are also POSTed here (alert_webhook.hpp); none: not sent.
  std::optional<WebhookTarget> alert_webhook;
  // GET /metrics (Prometheus text) on this address and port; none: no metrics server.
  std::optional<net::HttpServerOptions> metrics;
  // Test only: exit the process at the n-th pass of this crash point ("" = never).
  std::string crash_at;
  int crash_after = 1;
};

class HedgingService {
 public:
  HedgingService(boost::asio::io_context& io, zmq::context_t& zmq, const bus::Endpoints& endpoints,
                 const Universe& universe, std::unique_ptr<HedgeStore> store,
                 HedgingOptions options, Clock clock = wall_clock());
  // The router runs on this service's loop (same process, same thread): hedge orders go to it
  // by a call instead of a bus round trip, and its reports come back to `route`'s callback
  // (never within the call). Set before start().
  using LocalRoute =
      std::function<void(const aqueduct::msg::HedgeOrder&, std::function<void(bus::Envelope&)>)>;
  // `warm`: runs the router's placement path dry (see HedgingOptions::warm_interval).
  void route_locally(LocalRoute route, std::function<void()> warm = {}) {
    local_route_ = std::move(route);
    local_warm_ = std::move(warm);
  }
  // With a local route: how funding history requests reach the router (its answer comes to
  // the callback later, never within the call). Set before start().
  using LocalFundingHistory = std::function<void(const aqueduct::msg::FundingHistoryRequest&,
                                                 std::function<void(bus::Envelope&)>)>;
  void funding_history_locally(LocalFundingHistory ask) { local_funding_ = std::move(ask); }
  // Told, for each hedge order of a fresh fill, when the fill reached this service and when
  // the order was handed on (to the router, or to the venue connection with a local route);
  // monotonic ns. For latency measurement.
  using FastPathObserver =
      std::function<void(const std::string& fill_id, int64_t fill_in_ns, int64_t order_out_ns)>;
  void set_fast_path_observer(FastPathObserver f) { fast_observer_ = std::move(f); }
  void start();
  void stop();
  const PositionBook& positions() const { return positions_; }
  const RiskGovernor& risk() const { return risk_; }
  // Fills that reached hedging through the record rather than the bus.
  uint64_t swept_fills() const { return swept_; }
  // Risk trips since start (each is also in audit_log, the error log and on the bus).
  uint64_t risk_trips() const { return risk_trips_; }
  // Alerts the webhook took, and those it did not (0 without a webhook).
  uint64_t alerts_sent() const { return webhook_ ? webhook_->sent() : 0; }
  uint64_t alerts_failed() const { return webhook_ ? webhook_->failed() : 0; }
  // True until every order that may be at a venue from before the start has been looked up.
  bool recovering() const { return recovering_ > 0; }
  // Orders found at their venues at start that the record did not have (sent, then a crash).
  uint64_t adopted() const { return adopted_; }
  // The metrics server's port once started (0: none).
  uint16_t metrics_port() const { return metrics_server_ ? metrics_server_->port() : 0; }
  // The Prometheus text of hedging's counters and gauges now (on the loop thread).
  std::string metrics_text() const;

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
    bool probe = false;            // a lookup of an id a fill may have produced; not in the record
    bool recovery = false;         // looked up at start: hedging waits for the answer
    std::string for_fill;          // the fill a probe's id derives from
    std::string pnl_fill;          // the fill its PnL is attributed to ("" none)
    bool worked = false;           // a post-only order resting until work_until_ns
    int64_t work_until_ns = 0;
    bool cancel_requested = false;  // worked, and no longer wanted: cancelled, report awaited
  };
  struct AssetFlow {
    int64_t pending = 0;  // Σ in-flight signed base
    int64_t open_since_ns = 0;
    int64_t retry_after_ns = 0;
    bool cross_remainder = false;  // a worked order left some unfilled: it is crossed next
    std::string last_why;  // the last reason for no hedge (logged once per change)
  };

  void on_message(std::string_view topic, const bus::Envelope& env);
  void on_market(const bus::Envelope& env);
  // `live`: straight from the bus (may be hedged before it is recorded).
  void on_fill(const aqueduct::msg::Fill& f, bool live);
  void on_execution(const aqueduct::msg::ExecutionReport& r);
  // The router's read of a venue's account (margin from the venue, RiskLimits::Margin).
  void on_venue_account(const aqueduct::msg::VenueAccount& a);
  // The maker's on-chain wallet (inventory beside the venues'): kept for status and metrics;
  // a token falling below its floor raises an alert.
  void on_wallet(const aqueduct::msg::WalletHoldings& w);
  // A trade of ours at a venue: into the positions, and into the margin its account read has
  // not seen yet.
  void venue_fill(const Instrument& inst, Side side, int64_t qty, int64_t price);
  // A final report: adopts a found probe, applies the trades once, records the outcome.
  void settle(const InFlight& done, const aqueduct::msg::ExecutionReport& r, int64_t now);
  // With `fast`: the orders take ids derived from that fill, are sent unrecorded and are
  // appended to `sent` (the caller records them with the fill).
  void evaluate(const std::string& asset, const aqueduct::msg::Fill* fast = nullptr,
                std::vector<aqueduct::msg::HedgeOrder>* sent = nullptr);
  void record_fill(const aqueduct::msg::Fill& f,
                   const std::vector<aqueduct::msg::HedgeOrder>& sent);
  void remember_claim(const std::string& fill_id);
  // To the router: over the bus, or by a call when it runs on this loop.
  void send_to_router(const bus::Envelope& order);
  void recovery_answered();
  // Attributes, records and publishes the PnL of every fill whose hedges are final.
  void publish_final_pnl();
  // A perp's funding settled at `at_ns` at `rate`: paid or received on its position, booked
  // into the asset's cash, recorded, and attributed to the asset's open fill.
  void settle_funding(const Instrument& inst, const Decimal& rate, int64_t at_ns);
  enum class FundingBooked { Booked, BookedBefore, NoPrice, Failed };
  // Books a settlement on a position of `qty` (the instrument's units); `attribute`: to the
  // asset's open fill, if any. Valued at the marks now.
  FundingBooked book_funding(const Instrument& inst, int64_t qty, const Decimal& rate,
                             int64_t at_ns, bool attribute);
  // Funding that settled while hedging was not running (funding_catch_up.hpp): the windows
  // opened at the restart, asked of the router, and what they found booked once priced.
  void open_funding_windows();
  void catch_up_funding();
  void on_funding_history(const aqueduct::msg::FundingHistory& h);
  // True when the process is to exit here (test only); the caller stops at once.
  bool crash_point(const char* name);
  void pulse();
  // The fill-to-order path run dry on a timer (HedgingOptions::warm_interval).
  void warm_path();
  Marks marks(int64_t now) const;
  // A venue's free derivatives margin now (kUsdScale, at least 0); nullopt when a mark it
  // needs is missing.
  std::optional<int64_t> free_margin_usd(const RiskLimits::Margin& margin, const std::string& venue,
                                         const Marks& m) const;
  // Venue -> its latest account read; and what was last said of a venue's margin, so that a
  // change (a read failing, going stale, coming back) is logged once.
  std::map<std::string, VenueMarginRead> margin_reads_;
  struct WalletRead {
    aqueduct::msg::WalletHolding holding;
    std::string chain;
    int64_t read_ns = 0;
  };
  std::map<std::string, WalletRead> wallet_;  // chain/holder/token
  std::map<std::string, MarginTradeLog> margin_trades_;  // by venue, since the reads asked
  mutable std::map<std::string, std::string> margin_said_;
  std::vector<HedgeCandidate> candidates(const std::string& asset, Side side, const Marks& m,
                                         int64_t now) const;
  std::map<std::string, std::string> exposure_texts(const std::vector<std::string>& assets) const;
  void publish_position(const std::string& asset, const std::string& cause);
  void check_risk(int64_t now);
  RiskInputs risk_inputs(int64_t now) const;
  void on_control(const bus::Envelope& req, bus::RpcServer::Reply reply);
  void publish_risk_state(const std::string& scope, TradingState state, const std::string& why,
                          int64_t at_ns);
  void sweep_untaken_fills();
  void resend_unanswered();
  void restore();
  void plan_recovery();
  static aqueduct::msg::Fill fill_of(const UntakenFill& u, const Listing& l);

  boost::asio::io_context& io_;
  const Universe& universe_;
  std::unique_ptr<HedgeStore> store_;
  HedgingOptions options_;
  Clock clock_;
  bus::Subscriber sub_;
  bus::Subscriber market_;
  bus::Publisher pub_;
  zmq::context_t& zmq_;
  std::string router_endpoint_;
  std::optional<bus::RpcClient> router_;  // opened at start() unless the route is local
  LocalRoute local_route_;
  std::function<void()> local_warm_;
  FastPathObserver fast_observer_;
  int64_t fill_in_ns_ = 0;
  uint64_t warm_turn_ = 0;  // when the fill being hedged on the fast path arrived (monotonic)
  HedgingMetrics metrics_;
  std::unique_ptr<net::HttpServer> metrics_server_;
  bus::RpcServer control_;  // operators: risk status and re-arm
  std::unique_ptr<AlertWebhook> webhook_;
  PositionBook positions_;
  RiskGovernor risk_;
  FillAttribution attribution_;
  std::map<std::string, VenueBook> books_;      // hedge instruments, by key
  std::map<std::string, int64_t> funding_ppb_;  // by instrument key
  struct FundingClock {
    int64_t next_ns = 0;  // the settlement the venue announced
    Decimal rate;         // the rate it will settle at
  };
  std::map<std::string, FundingClock> funding_clock_;  // by instrument key
  FundingCatchUp funding_catch_up_;
  bool funding_windows_opened_ = false;
  std::set<std::string> funding_waiting_said_;  // instruments whose catch-up waits for prices
  int64_t started_ms_ = 0;                      // the restart: the end of the windows
  LocalFundingHistory local_funding_;
  std::map<std::string, int64_t> mark_units_;          // venue marks, by instrument key
  std::map<std::string, pricer::Volatility> vol_;      // by asset: the urgency model's sigma
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
  boost::asio::steady_timer warm_timer_;
  // Fill ids claimed by this process, newest last; bounded (a fill repeats only within the
  // sweep interval).
  std::set<std::string> claimed_;
  std::deque<std::string> claimed_order_;
  // Claims whose record failed (database trouble): retried on every sweep.
  std::vector<std::pair<aqueduct::msg::Fill, std::vector<aqueduct::msg::HedgeOrder>>> unrecorded_;
  std::vector<aqueduct::msg::Fill> held_;  // unclaimed fills, taken once recovery is done
  size_t recovering_ = 0;                  // lookups at start still unanswered
  uint64_t adopted_ = 0;
  bool dying_ = false;
  int crash_countdown_ = 0;
  uint64_t swept_ = 0;
  uint64_t risk_trips_ = 0;
  std::shared_ptr<bool> alive_ = std::make_shared<bool>(true);
};

}  // namespace aq::hedging
