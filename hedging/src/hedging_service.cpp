#include "aqueduct/hedging/hedging_service.hpp"

#include <spdlog/spdlog.h>

#include "aqueduct/net/hmac.hpp"
#include "aqueduct/types/convert.hpp"

namespace aq::hedging {

namespace msg = aqueduct::msg;

HedgingService::HedgingService(boost::asio::io_context& io, zmq::context_t& zmq,
                               const bus::Endpoints& endpoints, const Universe& universe,
                               std::unique_ptr<HedgeStore> store, HedgingOptions options,
                               Clock clock)
    : io_(io),
      universe_(universe),
      store_(std::move(store)),
      options_(options),
      clock_(std::move(clock)),
      sub_(io, zmq, [this](std::string_view t, const bus::Envelope& e) { on_message(t, e); }),
      pub_(zmq, endpoints.hedging_pub, "hedging"),
      router_(io, zmq, endpoints.router_rpc, "hedging",
              [this](const bus::Envelope& e) { on_message(bus::topic::kExecution, e); }),
      sweep_timer_(io),
      resend_timer_(io) {
  sub_.connect(endpoints.rfq_pub);
  sub_.subscribe(bus::topic::kFill);
  // Positions survive restarts; in-flight hedges are reconciled by a later recovery step.
  for (const auto& [asset, net] : store_->load_positions()) {
    book_.set_net(asset, to_position_units(*Decimal::parse_natural(net)));
  }
}

void HedgingService::start() {
  sub_.start();
  router_.start();
  sweep_untaken_fills();  // fills committed while hedging was down or unreachable
  resend_unanswered();
}

void HedgingService::resend_unanswered() {
  int64_t now = clock_();
  auto bound = std::chrono::nanoseconds(options_.resend_after).count();
  for (auto& [id, f] : in_flight_) {
    if (now - f.sent_ns < bound) continue;
    spdlog::warn("hedging: no report for hedge {} after {} ms; sending it again", id,
                 (now - f.sent_ns) / 1'000'000);
    f.sent_ns = now;
    auto copy = f.order;
    router_.send(copy);
  }
  resend_timer_.expires_after(options_.resend_after / 2);
  resend_timer_.async_wait([this, alive = alive_](boost::system::error_code ec) {
    if (!ec && *alive) resend_unanswered();
  });
}

void HedgingService::stop() {
  *alive_ = false;
  sweep_timer_.cancel();
  resend_timer_.cancel();
  for (auto& [_, t] : retry_timers_) t->cancel();
}

const Instrument* HedgingService::hedge_instrument(const std::string& asset) const {
  for (const auto& l : universe_.listings)
    if (l.base == asset && !l.hedge_instruments.empty())
      return universe_.instrument(l.hedge_instruments.front());
  return nullptr;
}

void HedgingService::on_message(std::string_view, const bus::Envelope& env) {
  try {
    if (env.has_fill()) on_fill(env.fill());
    else if (env.has_execution()) on_execution(env.execution());
  } catch (const std::exception& e) {
    spdlog::error("hedging: failed to process {}: {}", env.has_fill() ? "fill" : "execution", e.what());
  }
}

void HedgingService::on_fill(const msg::Fill& f) {
  Side side;
  if (!from_proto(f.taker_side(), side)) {
    spdlog::error("hedging: fill {} has no side; not hedged", f.fill_id());
    return;
  }
  auto qty = to_position_units(from_proto(f.qty()));
  auto price = from_proto(f.price());
  // Claim the fill and record the position it leads to in one transaction: a fill arriving
  // twice (bus and sweep, or after a restart) changes the position once.
  int64_t net_after = checked_add(book_.at(f.base()).net, side == Side::Buy ? -qty : qty);
  if (!store_->take_fill(f.fill_id(), f.base(), Decimal{net_after, kPositionScale}.to_string(), clock_()))
    return;
  book_.on_fill(f.base(), side, qty, price.units, price.scale);
  publish_position(f.base(), f.fill_id(), false);
  evaluate(f.base());
}

void HedgingService::sweep_untaken_fills() {
  try {
    for (const auto& u : store_->untaken_fills(100)) {
      const Listing* l = universe_.listing(u.listing);
      if (!l) {
        spdlog::error("hedging: fill {} is for unknown listing {}; not hedged", u.fill_id, u.listing);
        continue;
      }
      msg::Fill f;
      f.set_fill_id(u.fill_id);
      f.set_listing(u.listing);
      f.set_base(l->base);
      f.set_quote_asset(l->quote);
      f.set_taker_side(u.side == "buy" ? msg::SIDE_BUY : msg::SIDE_SELL);
      to_proto(Decimal::parse_natural(u.price).value(), f.mutable_price());
      to_proto(Decimal::parse_natural(u.qty).value(), f.mutable_qty());
      f.set_filled_ts_ns(u.filled_ns);
      spdlog::warn("hedging: fill {} reached hedging from the record, not the bus", u.fill_id);
      ++swept_;
      on_fill(f);
    }
  } catch (const std::exception& e) {
    spdlog::error("hedging: sweep of unclaimed fills failed: {}", e.what());
  }
  sweep_timer_.expires_after(options_.fill_sweep_interval);
  sweep_timer_.async_wait([this, alive = alive_](boost::system::error_code ec) {
    if (!ec && *alive) sweep_untaken_fills();
  });
}

void HedgingService::on_execution(const msg::ExecutionReport& r) {
  auto it = in_flight_.find(r.hedge_id());
  if (it == in_flight_.end()) return;  // not ours, or already final
  if (r.status() == msg::ORDER_UNKNOWN) {
    // Stays in flight: the resend path asks the router again, which reconciles with the venue.
    if (!it->second.unknown) {
      it->second.unknown = true;
      book_.on_hedge_unknown(it->second.asset);
    }
    store_->record_status(r.hedge_id(), "unknown");
    spdlog::error("hedging: hedge {} outcome unknown ({}); no new hedge for {} until reconciled",
                  r.hedge_id(), r.detail(), it->second.asset);
    return;
  }
  auto flight = it->second;
  bool final_state = r.status() == msg::ORDER_FILLED || r.status() == msg::ORDER_EXPIRED ||
                     r.status() == msg::ORDER_CANCELED || r.status() == msg::ORDER_REJECTED;
  if (!final_state) return;
  in_flight_.erase(it);
  if (flight.unknown) --book_.at(flight.asset).unknown;
  int64_t filled = to_position_units(from_proto(r.filled_qty()));
  int64_t signed_filled = flight.signed_position_qty < 0 ? -filled : filled;
  book_.on_hedge_done(flight.asset, flight.signed_position_qty, signed_filled);
  store_->record_status(r.hedge_id(), msg::OrderStatus_Name(r.status()));
  publish_position(flight.asset, r.hedge_id());
  if (filled == 0) {
    // Nothing executed within the limit: the market moved or the venue refused. Try again
    // after a pause rather than spin against the same book.
    auto& a = book_.at(flight.asset);
    a.retry_after_ns = clock_() + std::chrono::nanoseconds(options_.retry_after_empty).count();
    auto& timer = retry_timers_[flight.asset];
    if (!timer) timer = std::make_unique<boost::asio::steady_timer>(io_);
    timer->expires_after(options_.retry_after_empty);
    timer->async_wait([this, asset = flight.asset, alive = alive_](boost::system::error_code ec) {
      if (!ec && *alive) evaluate(asset);
    });
    return;
  }
  evaluate(flight.asset);
}

void HedgingService::evaluate(const std::string& asset) {
  const Instrument* inst = hedge_instrument(asset);
  if (!inst) {
    spdlog::error("hedging: no hedge instrument configured for {}; exposure stays open", asset);
    return;
  }
  // Per-listing thresholds and slippage bounds override the defaults.
  PolicyParams params = options_.policy;
  for (const auto& l : universe_.listings) {
    if (l.base != asset) continue;
    params.threshold = to_position_units(Decimal{l.hedge_threshold, l.qty_scale});
    params.slippage_ppm = l.hedge_slippage_ppm;
    break;
  }
  auto d = decide_hedge(book_.at(asset), *inst, params, clock_());
  if (!d) return;
  bus::Envelope env;
  auto* o = env.mutable_hedge_order();
  o->set_hedge_id("h_" + net::random_hex(12));
  o->set_venue(inst->venue);
  o->set_symbol(inst->symbol);
  o->set_side(to_proto(d->side));
  to_proto(inst->qty(d->qty), o->mutable_qty());
  to_proto(inst->price(d->limit_price), o->mutable_limit_price());
  o->set_reason("exposure " + Decimal{book_.at(asset).projected(), kPositionScale}.to_trimmed_string() + " " + asset);
  o->set_created_ts_ns(clock_());
  // Recorded before it is sent: a crash after this point leaves a trace to reconcile.
  store_->record_order(*o);
  std::string id = o->hedge_id();
  in_flight_[id] = {asset, d->signed_position_qty, inst, env, clock_()};
  book_.on_hedge_sent(asset, d->signed_position_qty);
  auto to_router = env;
  router_.send(to_router);
  pub_.publish(bus::topic::kHedgeOrder, env);  // for observers
}

void HedgingService::publish_position(const std::string& asset, const std::string& cause,
                                      bool record) {
  const auto& a = book_.at(asset);
  auto net = Decimal{a.net, kPositionScale};
  if (record) store_->record_position(asset, net.to_string(), clock_());
  bus::Envelope env;
  auto* p = env.mutable_position();
  p->set_asset(asset);
  to_proto(net, p->mutable_net_qty());
  to_proto(Decimal{a.pending, kPositionScale}, p->mutable_pending_hedge_qty());
  p->set_cause(cause);
  pub_.publish(bus::topic::kPosition, env);
}

}  // namespace aq::hedging
