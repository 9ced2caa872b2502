#include "aqueduct/router/router_service.hpp"

#include <spdlog/spdlog.h>

#include "aqueduct/types/convert.hpp"

namespace aq::router {

RouterService::RouterService(boost::asio::io_context& io, zmq::context_t& zmq,
                             const bus::Endpoints& endpoints, const Universe& universe,
                             std::unique_ptr<RouterStore> store,
                             std::map<std::string, VenueAccess> venues, Clock clock,
                             std::chrono::milliseconds account_interval)
    : desk_(io, universe, std::move(store), std::move(venues), clock),
      clock_(clock),
      account_interval_(account_interval),
      account_timer_(io),
      rpc_(io, zmq, endpoints.router_rpc, "router",
           [this](const bus::Envelope& r, bus::RpcServer::Reply reply) {
             on_request(r, std::move(reply));
           }),
      pub_(zmq, endpoints.router_pub, "router") {}

void RouterService::start() {
  rpc_.start();
  if (account_interval_.count() > 0) read_accounts();
}

void RouterService::read_accounts() {
  read_accounts_now();
  account_timer_.expires_after(account_interval_);
  account_timer_.async_wait([this, alive = alive_](boost::system::error_code ec) {
    if (!ec && *alive) read_accounts();
  });
}

void RouterService::read_accounts_now() {
  for (const auto& venue : desk_.venues()) {
    // A venue still answering the last read (a slow or dead venue) is not asked again yet.
    if (!account_pending_.insert(venue).second) continue;
    int64_t asked_ns = clock_();
    bool asked = desk_.fetch_account(
        venue, [this, venue, asked_ns, alive = alive_](std::optional<connectors::MarginAccount> a,
                                                       std::string why) {
          if (!*alive) return;
          account_pending_.erase(venue);
          bus::Envelope env;
          auto* v = env.mutable_venue_account();
          v->set_venue(venue);
          v->set_ts_ns(clock_());
          v->set_asked_ts_ns(asked_ns);
          if (a) {
            v->set_coin(a->coin);
            to_proto(a->equity, v->mutable_equity());
            to_proto(a->available, v->mutable_available());
          } else {
            v->set_error(why);
          }
          // Said once per change, not on every read.
          auto& last = account_errors_[venue];
          if (!a && why != last) spdlog::warn("router: {} account not read: {}", venue, why);
          if (a && !last.empty()) spdlog::info("router: {} account read again", venue);
          last = a ? std::string() : why;
          pub_.publish(bus::topic::kAccountPrefix + venue, env);
        });
    if (!asked) account_pending_.erase(venue);  // no account there (spot)
  }
}

void RouterService::on_request(const bus::Envelope& req, bus::RpcServer::Reply reply) {
  if (req.has_account_read_request()) {
    // Reads already under way answer this too; the timer keeps its own rhythm.
    spdlog::info("router: reading venue accounts now, as {} asks",
                 req.account_read_request().origin());
    if (account_interval_.count() > 0) read_accounts_now();
    return;
  }
  if (req.has_funding_history_request()) {
    desk_.funding_history(req.funding_history_request(), std::move(reply));
    return;
  }
  if (!req.has_hedge_order()) {
    spdlog::warn(
        "router: ignored a request that is not a HedgeOrder, FundingHistoryRequest or "
        "AccountReadRequest");
    return;
  }
  desk_.submit(req.hedge_order(),
               [this, reply = std::move(reply)](bus::Envelope& report, bool replay) {
                 reply(report);
                 if (!replay) pub_.publish(bus::topic::kExecution, report);
               });
}

void RouterService::submit_local(const aqueduct::msg::HedgeOrder& o,
                                 std::function<void(bus::Envelope&)> done) {
  desk_.submit(o, [this, done = std::move(done)](bus::Envelope& report, bool replay) {
    if (!replay) pub_.publish(bus::topic::kExecution, report);
    done(report);
  });
}

}  // namespace aq::router
