#include "aqueduct/pricer/pricer_service.hpp"

#include "aqueduct/pricer/size_for_amount.hpp"

#include <spdlog/spdlog.h>

#include <cmath>

#include "aqueduct/types/convert.hpp"

namespace aq::pricer {

namespace msg = aqueduct::msg;

namespace {

Decimal pricing_decimal(int64_t units, const Listing& l) {
  return {units, l.price_scale + kExtraDigits};
}

void fill_breakdown(const Price& p, const Listing& l, msg::PriceBreakdown& b) {
  const auto& t = p.terms;
  to_proto(pricing_decimal(t.hedge_vwap, l), b.mutable_hedge_vwap());
  to_proto(pricing_decimal(t.fee, l), b.mutable_fee());
  to_proto(pricing_decimal(t.base_spread, l), b.mutable_spread());
  b.set_hedge_venue(t.shares.empty() ? "" : t.shares.front().venue->key());
  b.set_book_age_ms(t.oldest_book_ms);
  to_proto(pricing_decimal(t.fair, l), b.mutable_fair_value());
  to_proto(pricing_decimal(t.vol_spread, l), b.mutable_vol_spread());
  to_proto(pricing_decimal(t.impact_spread, l), b.mutable_impact_spread());
  to_proto(pricing_decimal(t.skew, l), b.mutable_inventory_skew());
  to_proto(pricing_decimal(t.markup, l), b.mutable_markup());
  to_proto(pricing_decimal(t.rounding, l), b.mutable_rounding());
  b.set_sigma_bps(t.sigma_bps);
  b.set_live_venues(t.live_venues);
  b.set_tier(p.tier);
  for (const auto& s : t.shares) {
    auto* v = b.add_venues();
    v->set_venue(s.venue->key());
    to_proto(Decimal{s.qty, l.qty_scale}, v->mutable_qty());
    to_proto(pricing_decimal(s.vwap, l), v->mutable_vwap());
  }
}

}  // namespace

std::vector<int64_t> default_ladder(const Listing& l) {
  std::vector<int64_t> out;
  int64_t lo = std::max<int64_t>(l.min_qty, 1);
  int64_t hi = l.max_qty > lo ? l.max_qty : lo * 1000;
  const int n = 20;
  double ratio = std::pow(static_cast<double>(hi) / static_cast<double>(lo), 1.0 / (n - 1));
  for (int i = 0; i < n; ++i) {
    int64_t q = i == n - 1 ? hi : std::llround(static_cast<double>(lo) * std::pow(ratio, i));
    if (out.empty() || q > out.back()) out.push_back(q);
  }
  return out;
}

PricerService::PricerService(boost::asio::io_context& io, zmq::context_t& zmq,
                             const bus::Endpoints& endpoints, const Universe& universe,
                             PricerConfig config, Clock clock)
    : universe_(universe),
      config_(std::move(config)),
      clock_(std::move(clock)),
      market_(io, zmq, [this](std::string_view t, const bus::Envelope& e) { on_market(t, e); }),
      flow_(io, zmq, [this](std::string_view t, const bus::Envelope& e) { on_flow(t, e); }),
      rpc_(io, zmq, endpoints.pricer_rpc, "pricer",
           [this](const bus::Envelope& r, bus::RpcServer::Reply reply) {
             on_request(r, std::move(reply));
           }) {
  if (config_.tiers.empty()) config_.tiers.push_back({"standard", 0});
  for (const auto& inst : universe_.instruments) books_.emplace(inst.key(), VenueBook(inst));
  for (const auto& l : universe_.listings) {
    std::vector<ConsolidatedBook::Source> sources;
    for (const auto& key : l.sources()) {
      const Instrument* inst = universe_.instrument(key);
      if (!inst) continue;
      sources.push_back({inst, &books_.at(key)});
    }
    auto it = config_.params.find(l.name);
    auto p = std::make_unique<ListingPricer>(
        l, std::move(sources), it == config_.params.end() ? PricingParams{} : it->second);
    for (const auto& key : l.sources()) by_instrument_[key].push_back(p.get());
    if (!config_.ladders.count(l.name)) config_.ladders[l.name] = default_ladder(l);
    pricers_.emplace(l.name, std::move(p));
  }
  market_.connect(endpoints.connectors_pub);
  market_.subscribe("md.");
  flow_.connect(endpoints.rfq_pub);
  flow_.connect(endpoints.hedging_pub);
  flow_.subscribe(bus::topic::kFill);
  flow_.subscribe(bus::topic::kPosition);
  flow_.subscribe(bus::topic::kRisk);
}

void PricerService::start() {
  market_.start();
  flow_.start();
  rpc_.start();
}

ListingPricer* PricerService::listing(const std::string& name) {
  auto it = pricers_.find(name);
  return it == pricers_.end() ? nullptr : it->second.get();
}

Tier PricerService::tier(const std::string& name, bool zero_fee) const {
  Tier t = config_.tiers.front();
  for (const auto& c : config_.tiers)
    if (c.name == name) t = c;
  if (zero_fee) {
    t.name += " (zero fee)";
    t.markup_ppm = 0;
  }
  return t;
}

void PricerService::refresh_for(const std::string& key, int64_t now) {
  auto it = by_instrument_.find(key);
  if (it == by_instrument_.end()) return;
  for (ListingPricer* p : it->second) {
    bool was_tripped = p->breaker().tripped;
    p->refresh(now);
    if (p->breaker().tripped && !was_tripped)
      spdlog::error(
          "pricer: {} circuit breaker tripped: {}; quoting stopped until an operator re-arms it",
          p->listing().name, p->breaker().reason);
    if (p->fair() <= 0) continue;
    for (auto& m : markouts_.on_fair(p->listing().name, p->fair(), now)) {
      spdlog::debug("pricer: markout {} {} {} {} ms: {:.2f} bps", m.fill_id, m.client_id, m.listing,
                    m.horizon_ns / 1'000'000, m.bps);
      if (!recorder_) continue;
      const Listing& l = p->listing();
      MarkoutRow row{std::move(m), "", "", now};
      row.fill_price = pricing_decimal(row.sample.fill_price, l).to_trimmed_string();
      row.fair_value = pricing_decimal(row.sample.fair, l).to_trimmed_string();
      recorder_->push(std::move(row));
    }
  }
}

void PricerService::on_market(std::string_view, const bus::Envelope& env) {
  int64_t now = clock_();
  auto find = [&](const std::string& venue,
                  const std::string& symbol) -> std::pair<VenueBook*, std::string> {
    std::string key = venue + ":" + symbol;
    auto it = books_.find(key);
    return {it == books_.end() ? nullptr : &it->second, std::move(key)};
  };
  switch (env.body_case()) {
    case bus::Envelope::kBookSnapshot: {
      const auto& s = env.book_snapshot();
      auto [b, key] = find(s.venue(), s.symbol());
      if (!b) return;
      if (!b->apply(s, now)) spdlog::warn("pricer: {} snapshot refused: {}", key, b->reason());
      refresh_for(key, now);
      break;
    }
    case bus::Envelope::kBookDelta: {
      const auto& d = env.book_delta();
      auto [b, key] = find(d.venue(), d.symbol());
      if (!b || !b->usable()) return;
      if (!b->apply(d, now))
        spdlog::warn("pricer: {} book unusable until the next snapshot: {}", key, b->reason());
      refresh_for(key, now);
      break;
    }
    case bus::Envelope::kVenueStatus: {
      const auto& s = env.venue_status();
      auto [b, key] = find(s.venue(), s.symbol());
      if (!b) return;
      b->set_state(s.state(), s.reason());
      refresh_for(key, now);
      break;
    }
    default:
      break;
  }
}

void PricerService::on_flow(std::string_view, const bus::Envelope& env) {
  if (env.has_fill()) {
    const auto& f = env.fill();
    ListingPricer* p = listing(f.listing());
    Side side;
    if (!p || !from_proto(f.taker_side(), side)) return;
    const Listing& l = p->listing();
    try {
      int64_t qty = units_at(f.qty(), l.qty_scale);
      int64_t price = units_at(f.price(), l.price_scale + kExtraDigits);
      p->on_fill(side, qty, f.filled_ts_ns());
      markouts_.on_fill({f.fill_id(), f.client_id(), l.name, side, price, qty, f.filled_ts_ns()});
    } catch (const DecimalError& e) {
      spdlog::error("pricer: fill {} not representable for {}: {}", f.fill_id(), l.name, e.what());
    }
  } else if (env.has_risk_state()) {
    // Hedging's risk limits: a listing's stop loss stops its quoting; a portfolio halt stops all.
    const auto& r = env.risk_state();
    bool active = r.state() == "ACTIVE";
    if (r.scope() == "portfolio") {
      risk_halt_ = active ? "" : r.why();
    } else if (r.scope().rfind("listing ", 0) == 0) {
      auto name = r.scope().substr(8);
      if (active)
        risk_stops_.erase(name);
      else
        risk_stops_[name] = r.why();
    } else {
      return;
    }
    if (active)
      spdlog::warn("pricer: {} re-armed by risk: quoting resumes", r.scope());
    else
      spdlog::error("pricer: {} stopped by risk ({}): no quotes until an operator re-arms it", r.scope(), r.why());
  } else if (env.has_position()) {
    const auto& pos = env.position();
    Decimal net = from_proto(pos.net_qty());
    for (auto& [name, p] : pricers_)
      if (p->listing().base == pos.asset())
        p->set_inventory(net.rescaled(p->listing().qty_scale, Rounding::HalfEven).units);
  }
}

void PricerService::on_request(const bus::Envelope& req, bus::RpcServer::Reply reply) {
  switch (req.body_case()) {
    case bus::Envelope::kQuoteRequest:
      return quote(req.quote_request(), reply);
    case bus::Envelope::kLevelsRequest:
      return levels(req.levels_request(), reply);
    case bus::Envelope::kPricerControl:
      return control(req.pricer_control(), reply);
    default: {
      bus::Envelope env;
      auto* r = env.mutable_quote_response()->mutable_refusal();
      r->set_reason(msg::REFUSAL_BAD_REQUEST);
      r->set_detail("pricer accepts QuoteRequest, LevelsRequest and PricerControl");
      reply(env);
    }
  }
}

void PricerService::quote(const msg::QuoteRequest& q, bus::RpcServer::Reply& reply) {
  bus::Envelope env;
  auto* resp = env.mutable_quote_response();
  resp->set_request_id(q.request_id());
  auto refuse = [&](msg::RefusalReason r, std::string detail) {
    resp->mutable_refusal()->set_reason(r);
    resp->mutable_refusal()->set_detail(std::move(detail));
    reply(env);
  };
  ListingPricer* p = listing(q.listing());
  if (!p) return refuse(msg::REFUSAL_UNKNOWN_LISTING, "unknown listing '" + q.listing() + "'");
  if (auto why = risk_refusal(q.listing())) return refuse(msg::REFUSAL_HALTED, *why);
  const Listing& l = p->listing();
  Side side;
  if (!from_proto(q.side(), side))
    return refuse(msg::REFUSAL_BAD_REQUEST, "side must be buy or sell");
  int64_t qty = 0;
  PriceResult r;
  if (q.has_quote_amount()) {
    Decimal amount = from_proto(q.quote_amount());
    auto sized = price_for_amount(*p, side, amount.units, amount.scale, tier(q.client_tier(), q.zero_fee()),
                                  clock_(), killed_);
    r = std::move(sized.result);
    qty = sized.qty;
  } else {
    try {
      qty = units_at(q.qty(), l.qty_scale);
    } catch (const DecimalError&) {
      return refuse(msg::REFUSAL_BAD_REQUEST, "size has more than " + std::to_string(l.qty_scale) + " decimals");
    }
    r = p->price(side, qty, tier(q.client_tier(), q.zero_fee()), clock_(), killed_);
  }
  if (!r.ok()) return refuse(r.refusal.reason, r.refusal.detail);
  auto* fq = resp->mutable_quote();
  fq->set_client_id(q.client_id());
  fq->set_listing(l.name);
  fq->set_side(q.side());
  to_proto(Decimal{r.price->price, l.price_scale}, fq->mutable_price());
  to_proto(Decimal{qty, l.qty_scale}, fq->mutable_qty());
  fill_breakdown(*r.price, l, *fq->mutable_breakdown());
  reply(env);
}

void PricerService::levels(const msg::LevelsRequest& q, bus::RpcServer::Reply& reply) {
  bus::Envelope env;
  auto* out = env.mutable_levels();
  out->set_request_id(q.request_id());
  out->set_listing(q.listing());
  ListingPricer* p = listing(q.listing());
  if (!p) {
    for (auto* r : {out->mutable_bid_refusal(), out->mutable_ask_refusal()}) {
      r->set_reason(msg::REFUSAL_UNKNOWN_LISTING);
      r->set_detail("unknown listing '" + q.listing() + "'");
    }
    return reply(env);
  }
  if (auto why = risk_refusal(q.listing())) {
    for (auto* r : {out->mutable_bid_refusal(), out->mutable_ask_refusal()}) {
      r->set_reason(msg::REFUSAL_HALTED);
      r->set_detail(*why);
    }
    return reply(env);
  }
  const Listing& l = p->listing();
  int64_t now = clock_();
  Ladder ladder = build_ladder(*p, config_.ladders.at(l.name), tier(q.client_tier(), q.zero_fee()),
                               now, killed_);
  auto put = [&](const LadderSide& side, Side taker, auto* cumulative, auto* increments,
                 msg::QuoteRefusal* refusal) {
    for (const auto& pt : side.points) {
      auto* lv = cumulative->Add();
      to_proto(Decimal{pt.qty, l.qty_scale}, lv->mutable_qty());
      to_proto(Decimal{pt.price, l.price_scale}, lv->mutable_price());
    }
    for (const auto& inc : incremental(side, taker)) {
      auto* lv = increments->Add();
      to_proto(Decimal{inc.qty, l.qty_scale}, lv->mutable_qty());
      to_proto(pricing_decimal(inc.price, l), lv->mutable_price());
    }
    if (side.refusal.reason != msg::REFUSAL_UNSPECIFIED) {
      refusal->set_reason(side.refusal.reason);
      refusal->set_detail(side.refusal.detail);
    }
  };
  put(ladder.bids, Side::Sell, out->mutable_bids(), out->mutable_bid_increments(),
      out->mutable_bid_refusal());
  put(ladder.asks, Side::Buy, out->mutable_asks(), out->mutable_ask_increments(),
      out->mutable_ask_refusal());
  to_proto(pricing_decimal(ladder.fair, l), out->mutable_fair_value());
  out->set_valid_until_ns(now + config_.ladder_ttl_ns);
  reply(env);
}

std::optional<std::string> PricerService::risk_refusal(const std::string& listing) const {
  if (!risk_halt_.empty())
    return "trading is HALTED by risk (" + risk_halt_ + "); an operator must re-arm the portfolio";
  auto it = risk_stops_.find(listing);
  if (it != risk_stops_.end())
    return listing + " stopped by risk (" + it->second + "); an operator must re-arm it";
  return std::nullopt;
}

void PricerService::control(const msg::PricerControl& c, bus::RpcServer::Reply& reply) {
  bus::Envelope env;
  auto* r = env.mutable_pricer_control_reply();
  std::string actor = c.actor().empty() ? "unknown operator" : c.actor();
  switch (c.action_case()) {
    case msg::PricerControl::kKill:
      killed_ = true;
      spdlog::error("pricer: kill switch engaged by {}: all quoting stopped", actor);
      r->set_ok(true);
      r->set_detail("kill switch engaged: every listing refuses to quote");
      break;
    case msg::PricerControl::kRelease:
      killed_ = false;
      spdlog::warn("pricer: kill switch released by {}", actor);
      r->set_ok(true);
      r->set_detail("kill switch released");
      break;
    case msg::PricerControl::kRearm: {
      ListingPricer* p = listing(c.rearm());
      if (!p) {
        r->set_detail("unknown listing '" + c.rearm() + "'");
        break;
      }
      bool was = p->breaker().tripped;
      p->rearm();
      spdlog::warn("pricer: {} re-armed by {}{}", c.rearm(), actor,
                   was ? "" : " (it was not tripped)");
      r->set_ok(true);
      r->set_detail(was ? c.rearm() + " re-armed" : c.rearm() + " was not tripped");
      break;
    }
    default:
      r->set_detail("PricerControl needs one of kill, release, rearm");
  }
  reply(env);
}

}  // namespace aq::pricer
