#include "aqueduct/router/order_desk.hpp"

#include <spdlog/spdlog.h>
#include <boost/asio/post.hpp>

#include "aqueduct/types/convert.hpp"

namespace aq::router {

namespace msg = aqueduct::msg;

OrderDesk::OrderDesk(boost::asio::io_context& io, const Universe& universe,
                     std::unique_ptr<RouterStore> store, std::map<std::string, VenueAccess> venues,
                     Clock clock)
    : io_(io), universe_(universe), store_(std::move(store)), clock_(std::move(clock)) {
  for (auto& [venue, access] : venues)
    entries_[venue] = std::make_unique<connectors::RestOrderEntry>(
        io, std::move(access.protocol), access.host, access.port, clock_,
        std::chrono::milliseconds(5000), access.limiter, 20, access.tls);
  for (const auto& inst : universe_.instruments)
    if (entries_.count(inst.venue)) warm_instrument_.emplace(inst.venue, &inst);
}

bool OrderDesk::fetch_account(const std::string& venue,
                              connectors::RestOrderEntry::AccountCallback cb) {
  auto it = entries_.find(venue);
  return it != entries_.end() && it->second->fetch_account(std::move(cb));
}

void OrderDesk::funding_history(const msg::FundingHistoryRequest& req,
                                std::function<void(bus::Envelope&)> reply) {
  auto answer = std::make_shared<bus::Envelope>();
  auto* h = answer->mutable_funding_history();
  h->set_venue(req.venue());
  h->set_symbol(req.symbol());
  h->set_from_ms(req.from_ms());
  h->set_to_ms(req.to_ms());
  auto refuse = [&](std::string why) {
    h->set_error(std::move(why));
    boost::asio::post(io_, [answer, reply = std::move(reply)] { reply(*answer); });
  };
  const Instrument* inst = universe_.instrument(req.venue(), req.symbol());
  auto it = entries_.find(req.venue());
  if (!inst) return refuse("no instrument " + req.venue() + ":" + req.symbol() + " is configured");
  if (it == entries_.end()) return refuse("the router has no order entry for " + req.venue());
  if (req.from_ms() < 0 || req.to_ms() < req.from_ms())
    return refuse("the window must be 0 <= from_ms <= to_ms");
  bool asked = it->second->fetch_funding_history(
      *inst, req.from_ms(), req.to_ms(),
      [answer, h, reply](std::optional<connectors::FundingHistoryPage> page, std::string why) {
        if (!page) {
          h->set_error(why);
        } else {
          for (const auto& s : page->settlements) {
            auto* f = h->add_settlements();
            f->set_at_ms(s.at_ms);
            to_proto(s.rate, f->mutable_rate());
          }
          h->set_full(page->full);
        }
        reply(*answer);
      });
  if (!asked) refuse(req.venue() + ":" + req.symbol() + " pays no funding");
}

std::vector<std::string> OrderDesk::venues() const {
  std::vector<std::string> out;
  for (const auto& [venue, _] : entries_) out.push_back(venue);
  return out;
}

void OrderDesk::warm() {
  for (const auto& [venue, inst] : warm_instrument_) entries_.at(venue)->warm(*inst);
  warmer_.warm();
}

OrderDesk::~OrderDesk() {
  *alive_ = false;
}

void OrderDesk::submit(const msg::HedgeOrder& o, Done done) {
  if (o.cancel()) {
    // A worked order no longer wanted: its own report follows when the cancel settles it.
    auto entry = entries_.find(o.venue());
    if (in_progress_.count(o.hedge_id()) && entry != entries_.end() &&
        entry->second->cancel_working(o.hedge_id()))
      spdlog::info("router: cancelling worked order {}", o.hedge_id());
    return;
  }
  if (auto it = done_.find(o.hedge_id()); it != done_.end()) {
    // A retransmission: the order was already handled; its report again, on the next turn.
    boost::asio::post(io_, [report = it->second, done = std::move(done), alive = alive_]() mutable {
      if (*alive) done(report, true);
    });
    return;
  }
  if (!in_progress_.insert(o.hedge_id()).second) return;  // still at the venue

  const Instrument* inst = universe_.instrument(o.venue(), o.symbol());
  auto entry = entries_.find(o.venue());
  if (!inst || entry == entries_.end())
    return refuse(OrderRef(o), inst, "no order entry configured for " + o.venue() + ":" + o.symbol(),
                  std::move(done));
  connectors::LimitOrder n;
  n.symbol = o.symbol();
  if (!from_proto(o.side(), n.side))
    return refuse(OrderRef(o), inst, "hedge order without a side", std::move(done));
  n.qty = units_at(o.qty(), inst->qty_scale);
  n.price = units_at(o.limit_price(), inst->price_scale);
  n.client_order_id = o.hedge_id();
  if (o.post_only()) n.tif = connectors::TimeInForce::PostOnly;
  auto finished = [this, ref = OrderRef(o), inst, done = std::move(done),
                   alive = alive_](connectors::OrderOutcome out) {
    if (*alive) report(ref, inst, out, done);
  };
  if (o.reconcile_only()) {
    // A retry, or a hedge rebuilt after a restart: never placed again, only looked up.
    ++reconciles_;
    return entry->second->reconcile(n, *inst, std::move(finished));
  }
  ++orders_sent_;
  entry->second->place(n, *inst, std::move(finished), o.post_only() ? o.work_until_ns() : 0);
}

void OrderDesk::refuse(OrderRef o, const Instrument* inst, std::string why, Done done) {
  connectors::OrderOutcome out;
  out.status = msg::ORDER_REJECTED;
  out.detail = std::move(why);
  boost::asio::post(io_,
                    [this, o = std::move(o), inst, out = std::move(out), done = std::move(done),
                     alive = alive_] {
                      if (*alive) report(o, inst, out, done);
                    });
}

void OrderDesk::report(const OrderRef& o, const Instrument* inst,
                       const connectors::OrderOutcome& out, const Done& done) {
  bus::Envelope env;
  auto* r = env.mutable_execution();
  r->set_hedge_id(o.hedge_id);
  r->set_venue(o.venue);
  r->set_symbol(o.symbol);
  r->set_venue_order_id(out.venue_order_id);
  r->set_side(o.side);
  r->set_status(out.status);
  r->set_detail(out.detail);
  r->set_venue_ts_ns(out.venue_ts_ms * 1'000'000);
  std::vector<VenueTrade> trades;
  if (inst) {
    to_proto(inst->qty(out.filled_qty), r->mutable_filled_qty());
    // Average price at instrument scale + 4, half-even: for reports, not for money movement.
    Decimal avg{0, inst->price_scale + 4};
    if (out.filled_qty > 0)
      avg.units = div_round(static_cast<int128>(out.filled_quote) * 10'000, out.filled_qty,
                            Rounding::HalfEven);
    to_proto(avg, r->mutable_avg_price());
    for (const auto& f : out.fills) {
      trades.push_back(
          {f.trade_id, inst->price(f.price).to_string(), inst->qty(f.qty).to_string()});
      auto* t = r->add_trades();
      t->set_trade_id(f.trade_id);
      to_proto(inst->price(f.price), t->mutable_price());
      to_proto(inst->qty(f.qty), t->mutable_qty());
    }
  } else {
    to_proto(Decimal{0, 0}, r->mutable_filled_qty());
    to_proto(Decimal{0, 0}, r->mutable_avg_price());
  }
  r->set_never_placed(out.never_placed);
  r->set_not_sent_until_ns(out.not_sent_until_ns);
  try {
    // A lookup that found nothing changed nothing at the venue: there is nothing to record.
    if (!out.never_placed || !o.reconcile_only) store_->record_execution(*r, trades, clock_());
  } catch (const std::exception& e) {
    // The report still goes to hedging: its position must follow what the venue did.
    spdlog::error("router: execution for {} not recorded: {}", o.hedge_id, e.what());
  }
  if (out.status == msg::ORDER_REJECTED)
    spdlog::warn("router: hedge {} rejected: {}", o.hedge_id, out.detail);
  in_progress_.erase(o.hedge_id);
  if (out.status != msg::ORDER_UNKNOWN && done_.emplace(o.hedge_id, env).second) {
    done_order_.push_back(o.hedge_id);
    if (done_order_.size() > 100'000) {
      done_.erase(done_order_.front());
      done_order_.pop_front();
    }
  }
  done(env, false);
}

}  // namespace aq::router
