#pragma once
// The router's order handling without its bus: takes a hedge order, sends it as a limit IOC
// (or, worked, as a post-only order cancelled at its deadline) to its venue (any venue with
// an OrderProtocol) or, when the order is marked reconcile_only
// (every retry, every hedge rebuilt after a restart), only looks it up there by client id;
// records the execution and answers with the execution report. A hedge order is placed at
// most once: one seen again while at the venue is ignored, and one seen again after its final
// report has that report replayed.
//
// The desk runs on one loop. RouterService puts it behind the bus; when hedging runs in the
// same process, the desk runs on hedging's loop and hedging calls it directly, so the first
// order of a fill leaves without a thread hop.
#include <boost/asio/io_context.hpp>
#include <deque>
#include <functional>
#include <map>
#include <memory>
#include <set>
#include <string>
#include <vector>

#include "aqueduct/bus/bus.hpp"
#include "aqueduct/connectors/rest_order_entry.hpp"
#include "aqueduct/net/send_path_warmer.hpp"
#include "aqueduct/router/router_store.hpp"

namespace aq::router {

struct VenueAccess {
  std::string host;
  uint16_t port = 0;
  std::unique_ptr<connectors::OrderProtocol>
      protocol;  // the venue's requests, signed with its credentials
  std::shared_ptr<connectors::RateLimiter> limiter;  // the account's limits; none = unlimited
  std::shared_ptr<boost::asio::ssl::context> tls;    // HTTPS to a real venue; none = plain HTTP
};

class OrderDesk {
 public:
  // The execution report; `replay`: the order was handled before and this is its final report
  // again (nothing was sent).
  using Done = std::function<void(bus::Envelope& report, bool replay)>;

  OrderDesk(boost::asio::io_context& io, const Universe& universe,
            std::unique_ptr<RouterStore> store, std::map<std::string, VenueAccess> venues,
            Clock clock = wall_clock());
  ~OrderDesk();
  // `done` is called once per order, and never before submit returns, so a caller may hold
  // its own state mid-update while it submits. A repeat of an order still at the venue gets
  // no call (the first one's report answers both); nor does a request to cancel a worked order
  // (`cancel` set), whose effect shows in the order's own report.
  void submit(const aqueduct::msg::HedgeOrder& o, Done done);
  // Runs the placement path short of the venue: signs a dummy order for each venue (dropped)
  // and writes over a private loopback connection, so the next real order finds its code
  // and the kernel's send path warm. Nothing reaches a venue; nothing is recorded.
  void warm();
  // Reads `venue`'s derivatives account (RestOrderEntry::fetch_account); false when the
  // desk has no order entry there or the venue has no such account.
  bool fetch_account(const std::string& venue, connectors::RestOrderEntry::AccountCallback cb);
  // Answers a FundingHistoryRequest from the instrument's venue (later, never within this
  // call): the settlements, or what stopped them being read.
  void funding_history(const aqueduct::msg::FundingHistoryRequest& req,
                       std::function<void(bus::Envelope&)> reply);
  std::vector<std::string> venues() const;
  uint64_t orders_sent() const { return orders_sent_; }
  // Hedge orders looked up at their venue by client id instead of placed (retries, recovery).
  uint64_t reconciles() const { return reconciles_; }

 private:
  // What a report needs of its order: held while the order is at the venue instead of the
  // whole HedgeOrder (whose reason text alone is a few hundred bytes to copy on the fast path).
  struct OrderRef {
    std::string hedge_id, venue, symbol;
    aqueduct::msg::Side side = aqueduct::msg::SIDE_UNSPECIFIED;
    bool reconcile_only = false;
    explicit OrderRef(const aqueduct::msg::HedgeOrder& o)
        : hedge_id(o.hedge_id()),
          venue(o.venue()),
          symbol(o.symbol()),
          side(o.side()),
          reconcile_only(o.reconcile_only()) {}
  };
  void report(const OrderRef& o, const Instrument* inst, const connectors::OrderOutcome& out,
              const Done& done);
  // A report made without asking a venue, delivered on the next turn of the loop.
  void refuse(OrderRef o, const Instrument* inst, std::string why, Done done);

  boost::asio::io_context& io_;
  const Universe& universe_;
  std::unique_ptr<RouterStore> store_;
  Clock clock_;
  std::map<std::string, bus::Envelope> done_;  // hedge id -> final report (replayed on repeats)
  std::deque<std::string> done_order_;         // oldest first; bounded, as hedges repeat briefly
  std::set<std::string> in_progress_;
  std::map<std::string, std::unique_ptr<connectors::RestOrderEntry>> entries_;  // by venue
  std::map<std::string, const Instrument*> warm_instrument_;  // by venue: one it trades
  net::SendPathWarmer warmer_;
  uint64_t orders_sent_ = 0;
  uint64_t reconciles_ = 0;
  std::shared_ptr<bool> alive_ = std::make_shared<bool>(true);
};

}  // namespace aq::router
