#include "aqueduct/hedging/hedging_service.hpp"

#include <spdlog/spdlog.h>

#include <algorithm>
#include <chrono>
#include <cstdlib>
#include <thread>

#include "aqueduct/hedging/contract_math.hpp"
#include "aqueduct/hedging/hedge_ids.hpp"
#include "aqueduct/net/hmac.hpp"
#include "aqueduct/types/convert.hpp"

namespace aq::hedging {

namespace msg = aqueduct::msg;

namespace {
// A fill older than this when it reaches hedging is not hedged before it is recorded.
constexpr int64_t kFastFillMaxAgeNs = 5'000'000'000;
// At start, unclaimed fills this much older than the newest claim cannot be the one a crash
// caught between sending and recording (that one was fresh when the newest claim was made).
constexpr int64_t kRecoveryWindowNs = 2 * kFastFillMaxAgeNs;

bool usd_like(const std::string& a) {
  return a == "USD" || a == "USDT" || a == "USDC";
}
int64_t abs64(int64_t v) {
  return v < 0 ? -v : v;
}
std::string text(int64_t v, int scale) {
  return Decimal{v, scale}.to_trimmed_string();
}
std::string usd_text(int64_t v) {
  return text(v, kUsdScale);
}

router::OrderResult result_of(const msg::ExecutionReport& r) {
  switch (r.status()) {
    case msg::ORDER_UNKNOWN:
      return router::OrderResult::Unknown;
    case msg::ORDER_REJECTED:
      return r.detail().find("429") != std::string::npos ||
                     r.detail().find("rate") != std::string::npos
                 ? router::OrderResult::RateLimited
                 : router::OrderResult::Rejected;
    default:
      return router::OrderResult::Filled;  // the venue answered; an empty IOC is no fault
  }
}
}  // namespace

HedgingService::HedgingService(boost::asio::io_context& io, zmq::context_t& zmq,
                               const bus::Endpoints& endpoints, const Universe& universe,
                               std::unique_ptr<HedgeStore> store, HedgingOptions options,
                               Clock clock)
    : io_(io),
      universe_(universe),
      store_(std::move(store)),
      options_(std::move(options)),
      clock_(std::move(clock)),
      sub_(io, zmq, [this](std::string_view t, const bus::Envelope& e) { on_message(t, e); }),
      market_(io, zmq, [this](std::string_view, const bus::Envelope& e) { on_market(e); }),
      pub_(zmq, endpoints.hedging_pub, "hedging"),
      zmq_(zmq),
      router_endpoint_(endpoints.router_rpc),
      control_(io, zmq, endpoints.hedging_rpc, "hedging",
               [this](const bus::Envelope& r, bus::RpcServer::Reply reply) {
                 on_control(r, std::move(reply));
               }),
      risk_(options_.risk),
      sweep_timer_(io),
      resend_timer_(io),
      pulse_timer_(io),
      warm_timer_(io) {
  crash_countdown_ = options_.crash_after;
  if (options_.alert_webhook)
    webhook_ = std::make_unique<AlertWebhook>(io, *options_.alert_webhook);
  for (const auto& l : universe_.listings) {
    auto asset = canonical_asset(l.base);
    if (!listing_of_.count(asset)) listing_of_[asset] = &l;
    for (const auto& key : l.hedge_instruments) {
      const Instrument* inst = universe_.instrument(key);
      if (!inst) continue;
      auto& list = hedge_instruments_[asset];
      if (std::find(list.begin(), list.end(), inst) == list.end()) list.push_back(inst);
    }
  }
  // Books of every hedge instrument, and of every instrument that prices an asset in USD (the
  // marks that value positions, the settle coin of a quanto).
  for (const auto& inst : universe_.instruments) {
    bool hedges = false;
    for (const auto& [_, list] : hedge_instruments_)
      hedges = hedges || std::find(list.begin(), list.end(), &inst) != list.end();
    if (hedges || usd_like(canonical_asset(inst.quote)))
      books_.emplace(inst.key(), VenueBook(inst));
    health_.try_emplace(inst.venue, options_.health);
  }
  sub_.connect(endpoints.rfq_pub);
  sub_.subscribe(bus::topic::kFill);
  sub_.subscribe(bus::topic::kWallet);
  // The router's reads of the venues' accounts (margin from the venues).
  sub_.connect(endpoints.router_pub);
  sub_.subscribe(bus::topic::kAccountPrefix);
  market_.connect(endpoints.connectors_pub);
  market_.subscribe("md.");
  restore();
}

void HedgingService::restore() {
  // Positions survive restarts; what may be at the venues is looked up (plan_recovery).
  for (const auto& [asset, qty] : store_->load_inventory())
    positions_.set_inventory(asset, to_position_units(*Decimal::parse_natural(qty)));
  for (const auto& [asset, cash] : store_->load_asset_cash())
    positions_.set_quote_cash(asset, to_position_units(*Decimal::parse_natural(cash)));
  for (const auto& row : store_->load_instrument_positions()) {
    const Instrument* inst = universe_.instrument(row.instrument);
    if (!inst) {
      spdlog::error(
          "hedging: recorded position on {} is for an instrument no longer configured; "
          "it is not counted",
          row.instrument);
      continue;
    }
    positions_.set_position(
        *inst, Decimal::parse_or_throw(row.qty, inst->qty_scale, "qty").units,
        Decimal::parse_or_throw(row.entry_value, kAssetScale, "entry_value").units,
        Decimal::parse_or_throw(row.realized, kAssetScale, "realized").units);
  }
  plan_recovery();
}

aqueduct::msg::Fill HedgingService::fill_of(const UntakenFill& u, const Listing& l) {
  msg::Fill f;
  f.set_fill_id(u.fill_id);
  f.set_listing(u.listing);
  f.set_base(l.base);
  f.set_quote_asset(l.quote);
  f.set_taker_side(u.side == "buy" ? msg::SIDE_BUY : msg::SIDE_SELL);
  to_proto(Decimal::parse_natural(u.price).value(), f.mutable_price());
  to_proto(Decimal::parse_natural(u.qty).value(), f.mutable_qty());
  f.set_filled_ts_ns(u.filled_ns);
  return f;
}

void HedgingService::plan_recovery() {
  int64_t now = clock_();
  auto lookup = [&](msg::HedgeOrder o, const Instrument& inst, Side side, int64_t base, bool probe,
                    const std::string& fill) {
    o.set_reconcile_only(true);
    bus::Envelope env;
    *env.mutable_hedge_order() = o;
    auto asset = canonical_asset(inst.base);
    InFlight f{asset, &inst, side, base, env, 0, now, now, probe, true, fill, ""};
    in_flight_[o.hedge_id()] = std::move(f);
    flows_[asset].pending += base;
    ++recovering_;
  };
  // Orders recorded but never final: at their venues, perhaps filled.
  for (const auto& o : store_->open_orders()) {
    const Instrument* inst = universe_.instrument(o.venue(), o.symbol());
    Side side;
    if (!inst || !from_proto(o.side(), side)) {
      spdlog::error(
          "hedging: open hedge {} on {}:{} cannot be looked up (instrument not configured)",
          o.hedge_id(), o.venue(), o.symbol());
      continue;
    }
    int64_t base = 0;
    try {
      int64_t q = units_at(o.qty(), inst->qty_scale);
      base = position_delta(*inst, side == Side::Buy ? q : -q,
                            units_at(o.limit_price(), inst->price_scale), Decimal{0, 0})
                 .base_qty;
    } catch (const std::exception&) {
      // A quanto needs its settle price, unknown yet: it counts as in flight, size unknown.
    }
    lookup(o, *inst, side, base, false, "");
  }
  // Unclaimed fills: taken once the lookups are answered. For the newest, every id a fast
  // hedge could have used is looked up.
  int64_t last_claim = store_->last_claim_ns();
  for (const auto& u : store_->untaken_fills(1000)) {
    const Listing* l = universe_.listing(u.listing);
    if (!l) {
      spdlog::error("hedging: fill {} is for unknown listing {}; not hedged", u.fill_id, u.listing);
      continue;
    }
    held_.push_back(fill_of(u, *l));
    if (last_claim != 0 && u.filled_ns < last_claim - kRecoveryWindowNs) continue;
    auto it = hedge_instruments_.find(canonical_asset(l->base));
    if (it == hedge_instruments_.end()) continue;
    for (const Instrument* inst : it->second)
      for (Side side : {Side::Buy, Side::Sell}) {
        msg::HedgeOrder o;
        o.set_hedge_id(fill_hedge_id(u.fill_id, inst->key(), side));
        o.set_venue(inst->venue);
        o.set_symbol(inst->symbol);
        o.set_side(to_proto(side));
        to_proto(inst->qty(0), o.mutable_qty());
        to_proto(inst->price(0), o.mutable_limit_price());
        lookup(o, *inst, side, 0, true, u.fill_id);
      }
  }
  if (recovering_ > 0)
    spdlog::warn(
        "hedging: recovering: looking up {} orders at their venues before hedging resumes "
        "({} unclaimed fills wait)",
        recovering_, held_.size());
}

void HedgingService::start() {
  sub_.start();
  market_.start();
  if (!local_route_) {
    // The router is in another process (or loop): orders go over the bus. With a local
    // route, no socket to it is opened at all.
    router_.emplace(io_, zmq_, router_endpoint_, "hedging",
                    [this](const bus::Envelope& e) { on_message(bus::topic::kExecution, e); });
    router_->start();
    // Perp legs are sized by the venues' account reads; a router that has run all along
    // would read them next at its own time, up to router.account_interval_ms from now.
    bus::Envelope ask;
    ask.mutable_account_read_request()->set_origin("hedging (starting)");
    router_->send(ask);
  }
  control_.start();
  for (auto& [_, f] : in_flight_) {
    f.sent_ns = clock_();
    ++metrics_.lookups;
    send_to_router(f.order);
  }
  if (options_.metrics) {
    metrics_server_ = std::make_unique<net::HttpServer>(
        io_, *options_.metrics,
        [this](const net::HttpRequest& req, net::HttpServer::Respond respond) {
          namespace http = boost::beast::http;
          if (req.method() != http::verb::get || req.target() != "/metrics") {
            respond(net::json_response(
                http::status::not_found,
                R"({"error":"not_found","detail":"only GET /metrics is served here"})"));
            return;
          }
          net::HttpResponse res{http::status::ok, req.version()};
          res.set(http::field::content_type, "text/plain; version=0.0.4");
          res.body() = metrics_text();
          res.prepare_payload();
          respond(std::move(res));
        });
    metrics_server_->start();
    spdlog::info("hedging: metrics on http://{}:{}/metrics", metrics_server_->address(),
                 metrics_server_->port());
  }
  if (recovering_ == 0) recovery_answered();  // nothing to look up: take the held fills now
  sweep_untaken_fills();  // fills committed while hedging was down or unreachable
  resend_unanswered();
  pulse();
  if (options_.warm_interval.count() > 0) warm_path();
}

void HedgingService::recovery_answered() {
  if (recovering_ > 0) return;
  auto held = std::move(held_);
  held_.clear();
  if (!held.empty() || adopted_ > 0)
    spdlog::warn(
        "hedging: recovery done: {} orders adopted from the venues, {} unclaimed fills taken",
        adopted_, held.size());
  spdlog::info("hedging: live ({} instrument positions, {} hedges in flight)",
               positions_.positions().size(), in_flight_.size());
  open_funding_windows();  // before any new hedge moves the positions held through the gap
  for (const auto& f : held) on_fill(f, false);
  // Exposure restored from the record is open too: the pulse retries it until the market is
  // there to hedge it (evaluate closes what is flat).
  std::vector<std::string> assets;
  for (const auto& [asset, _] : hedge_instruments_) assets.push_back(asset);
  for (const auto& a : assets) {
    auto& flow = flows_[a];
    if (flow.open_since_ns == 0) flow.open_since_ns = clock_();
    evaluate(a);
  }
}

bool HedgingService::crash_point(const char* name) {
  if (dying_) return true;
  if (options_.crash_at.empty() || options_.crash_at != name || --crash_countdown_ > 0)
    return false;
  dying_ = true;
  spdlog::critical("hedging: crash point '{}' reached: exiting as a crash would (test hook)", name);
  spdlog::default_logger()->flush();
  // Exits shortly, so what was sent leaves the process; nothing more is handled or recorded.
  std::thread([] {
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
    std::_Exit(86);
  }).detach();
  return true;
}

void HedgingService::warm_path() {
  if (dying_) return;
  // What a fill's hedge runs, short of sending: values, plans, builds an order and its id,
  // then the router's signing and a private loopback write. Only reads this service's state.
  if (recovering_ == 0) {
    int64_t now = clock_();
    Marks m = marks(now);
    auto ex = positions_.exposures(m);
    for (const auto& [asset, insts] : hedge_instruments_) {
      if (insts.empty()) continue;
      Side side = (warm_turn_ & 1) ? Side::Sell : Side::Buy;
      auto cands = candidates(asset, side, m, now);
      auto fair = m.usd_price(asset);
      if (!fair) continue;
      int64_t base = side == Side::Buy ? insts.front()->min_qty : -insts.front()->min_qty;
      auto plan = plan_hedge(base, fair->rescaled(kUnitPriceScale, Rounding::HalfEven).units, cands,
                             options_.plan);
      for (const auto& leg : plan.legs) {
        bus::Envelope env;
        auto* o = env.mutable_hedge_order();
        o->set_hedge_id(fill_hedge_id("warm", leg.inst->key(), side));
        to_proto(leg.inst->qty(leg.qty), o->mutable_qty());
        to_proto(leg.inst->price(leg.worst_price), o->mutable_limit_price());
      }
    }
    ++warm_turn_;
  }
  if (local_warm_) local_warm_();
  warm_timer_.expires_after(options_.warm_interval);
  warm_timer_.async_wait([this, alive = alive_](boost::system::error_code ec) {
    if (!ec && *alive) warm_path();
  });
}

void HedgingService::stop() {
  *alive_ = false;
  if (metrics_server_) metrics_server_->stop();
  sweep_timer_.cancel();
  resend_timer_.cancel();
  pulse_timer_.cancel();
  warm_timer_.cancel();
}

void HedgingService::resend_unanswered() {
  int64_t now = clock_();
  auto bound = std::chrono::nanoseconds(options_.resend_after).count();
  for (auto& [id, f] : in_flight_) {
    // A worked order is due a report only once its deadline has passed.
    if (dying_ || now - std::max(f.sent_ns, f.work_until_ns) < bound) continue;
    spdlog::warn("hedging: no final report for hedge {} after {} ms; asking the venue", id,
                 (now - f.sent_ns) / 1'000'000);
    f.sent_ns = now;
    f.order.mutable_hedge_order()->set_reconcile_only(true);  // never placed twice
    ++metrics_.lookups;
    send_to_router(f.order);
  }
  resend_timer_.expires_after(options_.resend_after / 2);
  resend_timer_.async_wait([this, alive = alive_](boost::system::error_code ec) {
    if (!ec && *alive) resend_unanswered();
  });
}

void HedgingService::pulse() {
  // Each listed asset's USD price feeds its volatility (the urgency model's sigma).
  if (options_.intent.max_work_ns > 0) {
    int64_t now = clock_();
    Marks m = marks(now);
    for (const auto& [asset, _] : listing_of_)
      if (auto px = m.usd_price(asset); px && px->units > 0) {
        auto it = vol_.try_emplace(asset, std::chrono::nanoseconds(options_.vol_half_life).count(),
                                   options_.vol_prior_bps_per_sqrt_s)
                      .first;
        it->second.observe(px->rescaled(kUnitPriceScale, Rounding::HalfEven).units, now);
      }
  }
  // Open exposure with nothing in flight: the market it waited for may be back.
  std::vector<std::string> open;
  for (const auto& [asset, f] : flows_)
    if (f.open_since_ns > 0 && f.pending == 0) open.push_back(asset);
  if (dying_) return;
  if (recovering_ == 0)
    for (const auto& a : open) evaluate(a);
  check_risk(clock_());  // prices move without trades: stop losses and drawdown too
  if (!funding_catch_up_.idle()) catch_up_funding();
  pulse_timer_.expires_after(options_.pulse);
  pulse_timer_.async_wait([this, alive = alive_](boost::system::error_code ec) {
    if (!ec && *alive) pulse();
  });
}

void HedgingService::on_message(std::string_view, const bus::Envelope& env) {
  if (dying_) return;
  try {
    if (env.has_fill())
      on_fill(env.fill(), true);
    else if (env.has_execution())
      on_execution(env.execution());
    else if (env.has_venue_account())
      on_venue_account(env.venue_account());
    else if (env.has_funding_history())
      on_funding_history(env.funding_history());
    else if (env.has_wallet())
      on_wallet(env.wallet());
  } catch (const std::exception& e) {
    spdlog::error("hedging: failed to process {}: {}",
                  env.has_fill()              ? "fill"
                  : env.has_execution()       ? "execution"
                  : env.has_funding_history() ? "funding history"
                  : env.has_wallet()          ? "wallet holdings"
                                              : "account read",
                  e.what());
  }
}

void HedgingService::on_venue_account(const aqueduct::msg::VenueAccount& a) {
  VenueMarginRead r;
  // Aged by this clock, from when it arrived: the read itself is a moment older at most.
  r.read_at_ns = clock_();
  r.error = a.error();
  if (r.error.empty()) {
    r.coin = canonical_asset(a.coin());
    r.available = from_proto(a.available());
    // Trades hedging learned of after the router asked may not show in this read yet. (A
    // router that does not say when it asked: every trade before now is taken as shown.)
    r.added_usd =
        margin_trades_[a.venue()].added_since(a.asked_ts_ns() > 0 ? a.asked_ts_ns() : r.read_at_ns);
  }
  margin_reads_[a.venue()] = std::move(r);
}

void HedgingService::on_wallet(const aqueduct::msg::WalletHoldings& w) {
  for (const auto& h : w.holdings()) {
    std::string key = w.chain() + "/" + h.holder() + "/" + h.symbol();
    auto& slot = wallet_[key];
    bool fell = h.below_floor() && !slot.holding.below_floor();
    slot = WalletRead{h, w.chain(), w.read_ns()};
    if (!fell) continue;
    std::string why = "the maker's wallet " + h.holder() + " on " + w.chain() + " holds " +
                      h.balance() + " " + h.symbol() +
                      ", below its floor: quotes paying out " + h.symbol() +
                      " will be refused as it runs out; top it up";
    spdlog::error("hedging: ALERT {}", why);
    if (webhook_)
      webhook_->send("wallet.floor", "wallet " + w.chain() + " " + h.symbol(), "BELOW_FLOOR", why,
                     clock_());
  }
}

void HedgingService::on_market(const bus::Envelope& env) {
  // A fill waiting behind a run of market data goes first: its hedge does not wait for the
  // rest of the run. The books are as fresh as the messages handled so far, and each book's
  // age is still checked before it is used.
  sub_.poll();
  int64_t now = clock_();
  auto book = [&](const std::string& venue, const std::string& symbol) -> VenueBook* {
    auto it = books_.find(venue + ":" + symbol);
    return it == books_.end() ? nullptr : &it->second;
  };
  VenueBook* b = nullptr;
  switch (env.body_case()) {
    case bus::Envelope::kBookSnapshot:
      if ((b = book(env.book_snapshot().venue(), env.book_snapshot().symbol())))
        b->apply(env.book_snapshot(), now);
      break;
    case bus::Envelope::kBookDelta:
      if ((b = book(env.book_delta().venue(), env.book_delta().symbol())) && b->usable())
        b->apply(env.book_delta(), now);
      break;
    case bus::Envelope::kVenueStatus:
      if ((b = book(env.venue_status().venue(), env.venue_status().symbol())))
        b->set_state(env.venue_status().state(), env.venue_status().reason());
      break;
    case bus::Envelope::kMark: {
      const auto& m = env.mark();
      const Instrument* inst = universe_.instrument(m.venue(), m.symbol());
      if (inst && m.has_mark()) {
        try {
          mark_units_[inst->key()] =
              from_proto(m.mark()).rescaled(inst->price_scale, Rounding::HalfEven).units;
        } catch (const DecimalError&) {
        }
      }
      return;
    }
    case bus::Envelope::kFunding: {
      const auto& f = env.funding();
      const Instrument* inst = universe_.instrument(f.venue(), f.symbol());
      if (inst) {
        try {
          Decimal rate = from_proto(f.rate());
          funding_ppb_[inst->key()] = rate.rescaled(9, Rounding::HalfEven).units;
          // The announced settlement has passed when the venue announces the next one: it
          // settled at the rate announced for it.
          auto& clock = funding_clock_[inst->key()];
          if (clock.next_ns > 0 && f.next_funding_ts_ns() > clock.next_ns && now >= clock.next_ns)
            settle_funding(*inst, clock.rate, clock.next_ns);
          // The first announcement since the restart: a settlement between the restart and
          // now was announced to nobody either (the history answers for it).
          if (clock.next_ns == 0 && funding_windows_opened_)
            if (const auto* p = positions_.position(inst->key()); p && p->qty != 0) {
              funding_catch_up_.open({inst->key(), p->qty, started_ms_ + 1, now / 1'000'000});
              catch_up_funding();
            }
          clock.next_ns = f.next_funding_ts_ns();
          clock.rate = rate;
        } catch (const DecimalError&) {
        }
      }
      return;
    }
    default:
      return;
  }
  if (b && b->usable()) health_.at(b->instrument().venue).on_book(b->last_update_ns());
}

Marks HedgingService::marks(int64_t now) const {
  Marks m;
  std::map<std::string, std::vector<int64_t>> usd;  // asset -> USD mids at kUnitPriceScale
  for (const auto& [key, b] : books_) {
    const auto& bk = b.book();
    bool live = b.usable() && !bk.bids().empty() && !bk.asks().empty() &&
                b.age_ns(now) <= options_.health.max_book_age_ns;
    int64_t mid = live ? (bk.bids().front().price + bk.asks().front().price) / 2 : 0;
    auto mk = mark_units_.find(key);
    if (mk != mark_units_.end() && live)
      m.instrument[key] = mk->second;
    else if (mid > 0)
      m.instrument[key] = mid;
    const Instrument& in = b.instrument();
    if (mid > 0 && usd_like(canonical_asset(in.quote)))
      usd[canonical_asset(in.base)].push_back(
          ratio_at({in.price(mid)}, {}, kUnitPriceScale, Rounding::HalfEven));
  }
  for (auto& [asset, v] : usd) {
    std::sort(v.begin(), v.end());
    m.usd[asset] = Decimal{v[v.size() / 2], kUnitPriceScale};
  }
  return m;
}

std::vector<HedgeCandidate> HedgingService::candidates(const std::string& asset, Side side,
                                                       const Marks& m, int64_t now) const {
  std::vector<HedgeCandidate> out;
  auto it = hedge_instruments_.find(asset);
  if (it == hedge_instruments_.end()) return out;
  std::map<std::string, int64_t> venue_usd;    // each venue's USD exposure, computed once
  std::map<std::string, int64_t> margin_free;  // each venue's free margin, computed once
  for (const Instrument* inst : it->second) {
    HedgeCandidate c;
    c.inst = inst;
    const VenueBook& b = books_.at(inst->key());
    auto verdict = health_.at(inst->venue).verdict(now);
    c.health_penalty_ppm = verdict.penalty_ppm;
    if (!b.usable()) {
      c.usable = false;
      c.unusable_reason = "book " + b.reason();
    } else if (!verdict.usable) {
      c.usable = false;
      c.unusable_reason = verdict.why;
    }
    const auto& levels = side == Side::Buy ? b.book().asks() : b.book().bids();
    const auto& other = side == Side::Buy ? b.book().bids() : b.book().asks();
    c.levels.assign(levels.begin(),
                    levels.begin() + static_cast<long>(std::min<size_t>(levels.size(), 50)));
    c.opposite_best = other.empty() ? 0 : other.front().price;
    auto q = m.usd_price(canonical_asset(inst->quote));
    if (!q) {
      c.usable = false;
      c.unusable_reason = "no USD price for " + inst->quote;
    } else {
      c.quote_usd = *q;
    }
    if (inst->kind == InstrumentKind::Quanto) {
      if (auto s = m.usd_price(contract_terms(*inst).settle)) c.settle_usd = *s;
    }
    if (auto f = funding_ppb_.find(inst->key()); f != funding_ppb_.end()) c.funding_ppb = f->second;
    // The venue's USD exposure limit, as base this hedge may still add there: the plan sends
    // the rest to other venues (the risk check refuses what would breach it in any case).
    if (auto lim = options_.risk.max_venue_usd.find(inst->venue);
        lim != options_.risk.max_venue_usd.end()) {
      if (auto fair = m.usd_price(asset); fair && fair->units > 0) {
        auto cached = venue_usd.find(inst->venue);
        if (cached == venue_usd.end()) {
          int64_t sum = 0;
          for (const auto& [a, x] : positions_.exposures(m, inst->venue))
            if (!usd_like(a)) sum += x.usd;
          cached = venue_usd.emplace(inst->venue, sum).first;
        }
        int64_t dir = side == Side::Buy ? 1 : -1;
        int64_t room_usd = std::max<int64_t>(0, lim->second - dir * cached->second);
        c.venue_headroom_base =
            ratio_at({Decimal{room_usd, kUsdScale}}, {*fair}, kAssetScale, Rounding::Down);
      }
    }
    // The venue's derivatives margin, when configured: free = collateral − what its perp
    // positions hold. Unknown (a mark missing) counts as none free: only closing legs go.
    if (auto mg = options_.risk.margin.find(inst->venue);
        mg != options_.risk.margin.end() && inst->kind != InstrumentKind::Spot) {
      auto cached = margin_free.find(inst->venue);
      if (cached == margin_free.end())
        cached = margin_free
                     .emplace(inst->venue, free_margin_usd(mg->second, inst->venue, m).value_or(0))
                     .first;
      c.margin_free_usd = cached->second;
      c.initial_margin_ppm = mg->second.initial_margin_ppm;
    }
    if (const auto* p = positions_.position(inst->key()); p && p->qty != 0) {
      auto mk = m.instrument.find(inst->key());
      if (mk != m.instrument.end()) {
        try {
          c.position_base = position_delta(*inst, p->qty, mk->second, c.settle_usd).base_qty;
        } catch (const std::exception&) {
        }
      }
    }
    out.push_back(std::move(c));
  }
  return out;
}

void HedgingService::venue_fill(const Instrument& inst, Side side, int64_t qty, int64_t price) {
  const auto* before = positions_.position(inst.key());
  int64_t qty_before = before ? before->qty : 0;
  positions_.on_venue_fill(inst, side, qty, price);
  if (inst.kind == InstrumentKind::Spot) return;
  // Margin from the venue: what this trade added to the venue's perp notional is held against
  // the last account read's available margin until a read asked for after it shows it.
  std::optional<int64_t> added;
  try {
    Decimal settle_usd;
    if (inst.kind == InstrumentKind::Quanto)
      if (auto sp = marks(clock_()).usd_price(contract_terms(inst).settle)) settle_usd = *sp;
    int64_t qty_after = qty_before + (side == Side::Buy ? qty : -qty);
    // The instruments hedging trades are quoted in USD or a USD coin: the price is the base's.
    auto base_usd = inst.price(price);
    added =
        added_notional_usd(position_delta(inst, qty_before, price, settle_usd).base_qty,
                           position_delta(inst, qty_after, price, settle_usd).base_qty, base_usd);
  } catch (const std::exception& e) {
    spdlog::warn("hedging: a trade on {} could not be valued for its margin: {}", inst.key(),
                 e.what());
  }
  margin_trades_[inst.venue].on_trade(clock_(), added);
  auto read = margin_reads_.find(inst.venue);
  if (read == margin_reads_.end() || !read->second.added_usd) return;
  if (added)
    *read->second.added_usd = checked_add(*read->second.added_usd, *added);
  else
    read->second.added_usd.reset();  // not valued: no perp notional there until the next read
}

std::optional<int64_t> HedgingService::free_margin_usd(const RiskLimits::Margin& margin,
                                                       const std::string& venue,
                                                       const Marks& m) const {
  if (margin.from_venue) {
    auto it = margin_reads_.find(venue);
    const VenueMarginRead* read = it == margin_reads_.end() ? nullptr : &it->second;
    std::optional<Decimal> coin_usd;
    if (read && read->error.empty()) coin_usd = m.usd_price(read->coin);
    auto v = venue_free_margin(venue, read, margin.initial_margin_ppm, margin.max_read_age_ms,
                               coin_usd, clock_());
    auto& said = margin_said_[venue];
    if (v.why != said) {
      if (!v.why.empty())
        spdlog::warn("hedging: no new perp notional on {}: {}", venue, v.why);
      else
        spdlog::info("hedging: {} margin from the venue's account: {} USD free", venue,
                     Decimal{v.free_usd, kUsdScale}.to_trimmed_string());
      said = v.why;
    }
    return v.free_usd;
  }
  auto gross = positions_.derivatives_gross_usd(m, venue);
  if (!gross) return std::nullopt;
  int64_t held =
      div_round(static_cast<int128>(*gross) * margin.initial_margin_ppm, 1'000'000, Rounding::Up);
  return std::max<int64_t>(0, margin.collateral_usd - held);
}

std::map<std::string, std::string> HedgingService::exposure_texts(
    const std::vector<std::string>& assets) const {
  auto ex = positions_.exposures(marks(clock_()));
  std::map<std::string, std::string> out;
  for (const auto& a : assets) {
    auto it = ex.find(canonical_asset(a));
    if (it != ex.end()) out[canonical_asset(a)] = Decimal{it->second.qty, kAssetScale}.to_string();
  }
  return out;
}

void HedgingService::send_to_router(const bus::Envelope& order) {
  if (!local_route_) {
    auto copy = order;
    router_->send(copy);
    return;
  }
  local_route_(order.hedge_order(), [this, alive = alive_](bus::Envelope& report) {
    if (*alive) on_message(bus::topic::kExecution, report);
  });
}

void HedgingService::remember_claim(const std::string& fill_id) {
  claimed_.insert(fill_id);
  claimed_order_.push_back(fill_id);
  if (claimed_order_.size() > 100'000) {
    claimed_.erase(claimed_order_.front());
    claimed_order_.pop_front();
  }
}

void HedgingService::on_fill(const msg::Fill& f, bool live) {
  fill_in_ns_ = mono_now_ns();
  if (crash_point("fill")) return;
  if (claimed_.count(f.fill_id())) return;  // on the bus and in the sweep: counted once
  if (store_->lock_lost()) {
    // Unclaimed, it stays in the record for the process that holds the hedging lock now.
    spdlog::error("hedging: fill {} left to the hedging process that holds the lock now",
                  f.fill_id());
    return;
  }
  if (recovering_ > 0) {
    // What is at the venues is not known yet: the fill waits with the unclaimed ones.
    bool held = false;
    for (const auto& h : held_) held = held || h.fill_id() == f.fill_id();
    if (!held) held_.push_back(f);
    return;
  }
  Side side;
  if (!from_proto(f.taker_side(), side)) {
    spdlog::error("hedging: fill {} has no side; not hedged", f.fill_id());
    return;
  }
  int64_t now = clock_();
  auto qty = to_position_units(from_proto(f.qty()));
  auto price = from_proto(f.price());
  auto base = canonical_asset(f.base()), quote = canonical_asset(f.quote_asset());
  remember_claim(f.fill_id());
  ++metrics_.fills;
  positions_.on_taker_fill(base, quote, side, qty, price);
  auto& flow = flows_[base];
  if (flow.open_since_ns == 0) flow.open_since_ns = now;
  flow.retry_after_ns = 0;  // new flow: hedge it now
  // A fresh fill from the bus is hedged before anything is written (ids derived from it);
  // any other is claimed first and hedged with orders recorded before they are sent.
  bool fast = live && now - f.filled_ts_ns() <= kFastFillMaxAgeNs;
  // Its PnL is attributed once its hedges are final; prices in USD (a listing quoted in a
  // USD-like asset; others are not attributed).
  bool usd_quoted = usd_like(quote);
  if (usd_quoted)
    attribution_.on_fill(f.fill_id(), base, side == Side::Buy ? -qty : qty,
                         price.rescaled(kUnitPriceScale, Rounding::HalfEven).units, 0);
  std::vector<msg::HedgeOrder> sent;
  if (fast) {
    try {
      evaluate(base, &f, &sent);
    } catch (const std::exception& e) {
      // Whatever went out must still be recorded with the fill (the pulse hedges the rest).
      spdlog::error("hedging: hedging fill {} failed after {} orders: {}", f.fill_id(), sent.size(),
                    e.what());
    }
  }
  // "sent": an order of this fill is out and nothing of it is recorded yet; counted only when
  // one went out, so that every crash there leaves an order only the venue knows.
  if (!sent.empty() && crash_point("sent")) return;
  if (usd_quoted)
    if (auto fair = marks(now).usd_price(base))
      attribution_.set_fair(f.fill_id(), fair->rescaled(kUnitPriceScale, Rounding::HalfEven).units);
  record_fill(f, sent);
  if (crash_point("recorded")) return;
  publish_position(base, f.fill_id());
  check_risk(now);
  if (!fast) evaluate(base);
}

void HedgingService::record_fill(const msg::Fill& f, const std::vector<msg::HedgeOrder>& sent) {
  // The claim, the inventory and cash the fill leads to and its orders, in one transaction.
  // Inventory is written as totals, so a later record also carries an earlier one's effect.
  auto base = canonical_asset(f.base()), quote = canonical_asset(f.quote_asset());
  std::map<std::string, std::string> inventory{
      {base, Decimal{positions_.inventory(base), kAssetScale}.to_string()},
      {quote, Decimal{positions_.inventory(quote), kAssetScale}.to_string()}};
  std::map<std::string, std::string> cash{
      {base, Decimal{positions_.quote_cash(base), kAssetScale}.to_string()}};
  try {
    if (!store_->take_fill(f.fill_id(), inventory, cash, exposure_texts({base}), sent, clock_()))
      spdlog::error(
          "hedging: fill {} was claimed before this process took it: its inventory may "
          "count twice; check fill_intake against the positions",
          f.fill_id());
  } catch (const std::exception& e) {
    spdlog::error("hedging: fill {} and its {} hedge orders not recorded ({}); retrying",
                  f.fill_id(), sent.size(), e.what());
    unrecorded_.emplace_back(f, sent);
  }
}

void HedgingService::sweep_untaken_fills() {
  if (dying_ || store_->lock_lost()) return;  // lost: nothing more to take
  auto retry = std::move(unrecorded_);
  unrecorded_.clear();
  for (const auto& [f, sent] : retry) record_fill(f, sent);
  try {
    for (const auto& u :
         recovering_ > 0 ? std::vector<UntakenFill>{} : store_->untaken_fills(100)) {
      if (claimed_.count(u.fill_id)) continue;  // taken here, its record is being retried
      const Listing* l = universe_.listing(u.listing);
      if (!l) {
        spdlog::error("hedging: fill {} is for unknown listing {}; not hedged", u.fill_id,
                      u.listing);
        continue;
      }
      spdlog::warn("hedging: fill {} reached hedging from the record, not the bus", u.fill_id);
      ++swept_;
      on_fill(fill_of(u, *l), false);
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
  if (crash_point("report")) return;
  int64_t now = clock_();
  auto& flight = it->second;
  if (r.not_sent_until_ns() > 0)
    health_.at(flight.inst->venue).on_local_limit(r.not_sent_until_ns());
  else if (!flight.recovery)
    health_.at(flight.inst->venue).on_order(result_of(r), now - flight.first_sent_ns, now);
  if (r.status() == msg::ORDER_UNKNOWN) {
    // Stays in flight: the resend path asks the router again, which reconciles with the venue.
    if (flight.unknown_since_ns == 0) flight.unknown_since_ns = now;
    ++metrics_.unknown_reports;
    if (!flight.probe) store_->record_status(r.hedge_id(), "unknown");
    spdlog::error("hedging: hedge {} outcome unknown ({}); it counts as in flight until reconciled",
                  r.hedge_id(), r.detail());
    return;
  }
  bool final_state = r.status() == msg::ORDER_FILLED || r.status() == msg::ORDER_EXPIRED ||
                     r.status() == msg::ORDER_CANCELED || r.status() == msg::ORDER_REJECTED;
  if (!final_state) return;
  ++metrics_.outcomes[msg::OrderStatus_Name(r.status())];
  InFlight done = std::move(flight);
  in_flight_.erase(it);
  if (!done.recovery) return settle(done, r, now);
  // A lookup made at start is answered, whatever settling it does.
  --recovering_;
  try {
    settle(done, r, now);
  } catch (...) {
    recovery_answered();
    throw;
  }
  recovery_answered();
}

void HedgingService::settle(const InFlight& done, const msg::ExecutionReport& r, int64_t now) {
  const Instrument& inst = *done.inst;
  int64_t filled = units_at(r.filled_qty(), inst.qty_scale);
  if (done.probe) {
    // An id a fill may have produced before a crash. Not at the venue, or there but nothing
    // executed: nothing to adopt. Executed: the order is adopted into the record.
    if (r.never_placed() || filled == 0) return;
    ++adopted_;
    auto o = done.order.hedge_order();
    o.set_reconcile_only(false);
    to_proto(inst.qty(filled), o.mutable_qty());
    to_proto(from_proto(r.avg_price()), o.mutable_limit_price());
    o.set_reason("sent for fill " + done.for_fill +
                 " before a restart, not recorded then; found at the venue and adopted (limit "
                 "shown is the average fill price)");
    o.set_created_ts_ns(now);
    spdlog::warn("hedging: hedge {} for fill {} found at {} ({} filled): adopted", o.hedge_id(),
                 done.for_fill, inst.key(), inst.qty(filled).to_trimmed_string());
    store_->record_order(o);
  }
  int64_t applied = 0;
  for (const auto& t : r.trades()) {
    auto id = inst.venue + ":" + t.trade_id();
    if (!seen_trades_.insert(id).second) continue;  // applied before
    seen_order_.push_back(std::move(id));
    if (seen_order_.size() > 100'000) {
      seen_trades_.erase(seen_order_.front());
      seen_order_.pop_front();
    }
    int64_t q = units_at(t.qty(), inst.qty_scale);
    int64_t px = units_at(t.price(), inst.price_scale);
    venue_fill(inst, done.side, q, px);
    applied += q;
    if (!done.pnl_fill.empty() && usd_like(canonical_asset(inst.quote))) {
      // The trade as base at a USD price (inverse and quanto legs: their base equivalent at
      // the trade's price), and the venue's fee on its notional.
      Decimal settle_usd;
      if (inst.kind == InstrumentKind::Quanto)
        if (auto sp = marks(now).usd_price(contract_terms(inst).settle)) settle_usd = *sp;
      try {
        HedgeExecution e;
        int64_t signed_q = done.side == Side::Buy ? q : -q;
        e.base = position_delta(inst, signed_q, px, settle_usd).base_qty;
        e.price = inst.price(px).rescaled(kUnitPriceScale, Rounding::HalfEven).units;
        if (inst.kind == InstrumentKind::Quanto) {
          // N·m exactly (settle coin per unit of price), and the settle coin's price now: the
          // leg's correlation part is valued against them when the fill's PnL is final.
          auto terms = contract_terms(inst);
          Decimal n = inst.qty(signed_q);
          int128 nm = static_cast<int128>(n.units) * terms.size.units;
          if (nm > INT64_MAX || nm < -INT64_MAX)
            throw std::invalid_argument("quanto trade too large to attribute in 64 bits");
          e.quanto_per_price = Decimal{static_cast<int64_t>(nm), n.scale + terms.size.scale};
          e.settle_at_trade = settle_usd.rescaled(kUnitPriceScale, Rounding::HalfEven).units;
          e.settle_asset = terms.settle;
        }
        int128 notional = static_cast<int128>(e.base < 0 ? -e.base : e.base) * e.price;
        // A worked (post-only) order only ever fills as maker.
        e.fee = (notional * (done.worked ? inst.maker_fee_ppm : inst.taker_fee_ppm) + 999'999) / 1'000'000;
        attribution_.on_execution(done.pnl_fill, e);
      } catch (const std::exception& ex) {
        spdlog::warn("hedging: trade {} of {} not attributed: {}", t.trade_id(), r.hedge_id(),
                     ex.what());
      }
    }
  }
  if (applied < filled) {
    // The venue reported a fill without its trades: the rest at the average price.
    int64_t avg = from_proto(r.avg_price()).rescaled(inst.price_scale, Rounding::HalfEven).units;
    spdlog::warn(
        "hedging: hedge {} reported {} filled without trades for {}; booked at the average {}",
        r.hedge_id(), inst.qty(filled).to_trimmed_string(),
        inst.qty(filled - applied).to_trimmed_string(), inst.price(avg).to_trimmed_string());
    venue_fill(inst, done.side, filled - applied, avg);
  }
  auto& flow = flows_[done.asset];
  flow.pending -= done.signed_base;
  if (!done.pnl_fill.empty()) attribution_.on_hedge_final(done.pnl_fill);
  const auto* p = positions_.position(inst.key());
  InstrumentPositionRow row;
  if (p)
    row = {inst.key(), inst.qty(p->qty).to_string(),
           Decimal{p->entry_value, kAssetScale}.to_string(),
           Decimal{p->realized, kAssetScale}.to_string(), p->pnl_asset};
  if (crash_point("applied")) return;
  store_->record_outcome(r.hedge_id(), msg::OrderStatus_Name(r.status()), p ? &row : nullptr,
                         exposure_texts({done.asset}), now);
  if (crash_point("outcome")) return;
  publish_position(done.asset, r.hedge_id());
  publish_final_pnl();
  check_risk(now);
  if (done.worked) {
    if (filled > 0) ++metrics_.worked_filled;
    // What the worked order did not fill is crossed now: its time is up (or the venue
    // refused to rest it). One cancelled because the flow turned leaves what is left to the
    // usual decision.
    if (!done.cancel_requested && filled < units_at(done.order.hedge_order().qty(), inst.qty_scale))
      flow.cross_remainder = true;
    return evaluate(done.asset);
  }
  if (filled == 0) {
    // Nothing executed within the limit: the market moved or the venue refused. Try again
    // after a pause rather than spin against the same book (the pulse picks it up).
    flow.retry_after_ns = now + std::chrono::nanoseconds(options_.retry_after_empty).count();
    return;
  }
  evaluate(done.asset);
}

void HedgingService::evaluate(const std::string& asset, const msg::Fill* fast,
                              std::vector<msg::HedgeOrder>* sent) {
  if (recovering_ > 0 || dying_) return;  // hedged once what is at the venues is known
  int64_t now = clock_();
  auto& flow = flows_[asset];
  const Listing* listing = listing_of_.count(asset) ? listing_of_.at(asset) : nullptr;
  auto note = [&](const std::string& why, bool error = false) {
    if (why == flow.last_why) return;
    flow.last_why = why;
    if (error)
      spdlog::error("hedging: {}: {}", asset, why);
    else
      spdlog::info("hedging: {}: {}", asset, why);
  };
  if (!listing || !hedge_instruments_.count(asset)) {
    note("no hedge instrument configured; exposure stays open", true);
    return;
  }
  if (store_->lock_lost()) {  // another process hedges this database now
    note("not hedged: " + store_->lock_lost_why(), true);
    return;
  }
  Marks m = marks(now);
  std::vector<MissingMark> missing;
  auto ex = positions_.exposures(m, {}, &missing);
  auto e_it = ex.find(asset);
  if (e_it == ex.end()) {
    std::string what;
    for (const auto& x : missing) what += (what.empty() ? "" : ", ") + x.what;
    if (what.empty()) what = "a USD price of " + asset;
    note("exposure cannot be valued (missing " + what + "); no hedge until it can", true);
    return;
  }
  ExposureState state;
  state.net = e_it->second.qty;
  state.pending = flow.pending;
  state.open_since_ns = flow.open_since_ns;
  state.retry_after_ns = flow.retry_after_ns;
  state.remainder_of_work = flow.cross_remainder;
  for (const auto& [_, f] : in_flight_)
    if (f.asset == asset && f.unknown_since_ns > 0 &&
        (state.oldest_unknown_ns == 0 || f.unknown_since_ns < state.oldest_unknown_ns))
      state.oldest_unknown_ns = f.unknown_since_ns;
  if (state.projected() == 0 && flow.pending == 0) flow.open_since_ns = 0;

  IntentParams params = options_.intent;
  params.threshold = Decimal{listing->hedge_threshold, listing->qty_scale}
                         .rescaled(kAssetScale, Rounding::Up)
                         .units;
  MarketView view;
  if (auto px = m.usd_price(asset))
    view.fair_usd = px->rescaled(kUnitPriceScale, Rounding::HalfEven).units;
  // The smallest hedge any venue takes, and where resting saves the most (half the spread,
  // and the taker fee less the maker fee), from the candidates on the side a hedge of this
  // exposure takes (so the plan reuses them).
  const Side probe_side = state.projected() > 0 ? Side::Sell : Side::Buy;
  auto probe = candidates(asset, probe_side, m, now);
  params.min_hedge = 0;
  std::optional<size_t> work_at;  // the candidate a worked hedge rests on
  for (size_t i = 0; i < probe.size(); ++i) {
    const auto& c = probe[i];
    if (!c.usable || c.levels.empty()) continue;
    int64_t px = c.levels.front().price;
    int64_t min_base = abs64(position_delta(*c.inst, c.inst->min_qty, px, c.settle_usd).base_qty);
    if (params.min_hedge == 0 || min_base < params.min_hedge) params.min_hedge = min_base;
    if (c.opposite_best > 0) {
      int64_t saving = ratio_at({c.inst->price(abs64(px - c.opposite_best)), c.quote_usd},
                                {Decimal{2, 0}}, kUnitPriceScale, Rounding::HalfEven) +
                       mul_div(view.fair_usd, c.inst->taker_fee_ppm - c.inst->maker_fee_ppm, 1'000'000,
                               Rounding::Down);
      if (!work_at || saving > view.passive_saving_usd) {
        view.passive_saving_usd = saving;
        work_at = i;
      }
    }
  }
  if (params.min_hedge == 0) params.min_hedge = 1;
  // A worked order that now adds to the exposure (the flow turned while it rested) is
  // cancelled rather than offset by a hedge the other way (paying the spread twice, or trading
  // with ourselves); nothing new goes out for the asset until its report says what it filled.
  bool cancelling = false;
  for (auto& [id, f] : in_flight_) {
    if (f.asset != asset || !f.worked) continue;
    if (!f.cancel_requested && state.projected() != 0 && (f.signed_base > 0) == (state.projected() > 0)) {
      f.cancel_requested = true;
      bus::Envelope c = f.order;
      c.mutable_hedge_order()->set_cancel(true);
      c.mutable_hedge_order()->set_reconcile_only(false);
      spdlog::info("hedging: {}: the flow turned; cancelling worked order {} ({} {})", asset, id,
                   to_string(f.side), text(abs64(f.signed_base), kAssetScale));
      send_to_router(c);
    }
    cancelling |= f.cancel_requested;
  }
  if (cancelling) {
    note("waiting for a cancelled worked order's report");
    return;
  }
  if (auto v = vol_.find(asset); v != vol_.end()) view.sigma_per_sqrt_s = v->second.sigma();
  else view.sigma_per_sqrt_s = options_.vol_prior_bps_per_sqrt_s / 1e4;
  auto d = decide_intent(state, params, view, now);
  if (!d.intent) {
    note(d.none.why);
    if (flow.pending == 0 && abs64(state.net) < std::max(params.threshold, params.min_hedge)) {
      // Carried: nothing to hedge until more flow, whose fill starts the hedge's clock again
      // (a residual carried for minutes does not make the next hedge urgent).
      flow.open_since_ns = 0;
      attribution_.on_idle(asset);  // nothing more to hedge: the fills' PnL is final
      publish_final_pnl();
    }
    return;
  }
  const auto& intent = *d.intent;
  Side side = intent.base > 0 ? Side::Buy : Side::Sell;
  auto cands = side == probe_side ? std::move(probe) : candidates(asset, side, m, now);
  // Worked: one post-only order where resting saves the most (depth matters little to an
  // order that waits to be hit); the plan still applies that venue's lot, position and margin
  // room. When that venue cannot take it, the plan over every venue says where it rests.
  std::optional<HedgePlan> worked_plan;
  if (intent.style == HedgeStyle::Work && work_at && side == probe_side) {
    worked_plan = plan_hedge(intent.base, view.fair_usd, {cands[*work_at]}, options_.plan);
    if (worked_plan->legs.empty()) worked_plan.reset();
  }
  auto plan = worked_plan ? std::move(*worked_plan)
                          : plan_hedge(intent.base, view.fair_usd, cands, options_.plan);
  std::string passed;
  for (const auto& s : plan.passed_over) passed += "; " + s;
  if (plan.legs.empty()) {
    note("no venue can take " + text(intent.base, kAssetScale) + " " + asset + " now" + passed,
         true);
    flow.retry_after_ns = now + std::chrono::nanoseconds(options_.retry_after_empty).count();
    return;
  }
  flow.last_why.clear();
  if (intent.style == HedgeStyle::Cross) flow.cross_remainder = false;
  const uint64_t fast_orders_before = metrics_.orders_fast;  // the fill's first order is timed
  for (const auto& leg : plan.legs) {
    const Instrument& inst = *leg.inst;
    // Venue exposure before and after, in USD: the risk check asks for it only when the venue
    // is REDUCING (its headroom under the limit is already in the plan).
    int64_t venue_usd = 0;
    if (risk_.venue_state(inst.venue) == TradingState::Reducing)
      for (const auto& [a, x] : positions_.exposures(m, inst.venue))
        if (!usd_like(a)) venue_usd += x.usd;
    int64_t delta_usd =
        ratio_at({Decimal{leg.base, kAssetScale}, Decimal{view.fair_usd, kUnitPriceScale}}, {},
                 kUsdScale, Rounding::HalfEven);
    if (auto no = risk_.refuse_hedge(asset, state.projected(), leg.base, inst.venue, venue_usd,
                                     delta_usd)) {
      note("hedge on " + inst.key() + " refused by risk: " + *no, true);
      continue;
    }
    // Worked: a post-only order joining the best price on our side of the book (the bid to
    // buy). Crossed: the last level the plan takes, moved by the listing's slippage bound, on
    // the tick.
    int64_t passive = 0;
    if (intent.style == HedgeStyle::Work)
      for (const auto& c : cands)
        if (c.inst == leg.inst) passive = c.opposite_best;
    const bool worked = passive > 0;
    int64_t limit = worked ? passive
                           : hedge_limit_price(leg.worst_price, side, listing->hedge_slippage_ppm, inst.tick);
    // Why this leg: its cost terms, for the record and the tape. Built after the write on the
    // fast path, where nothing but the order itself should come first.
    auto why = [&] {
      const auto& t = leg.cost;
      return intent.why + " | " + inst.key() + " " + to_string(side) + " " +
             inst.qty(leg.qty).to_trimmed_string() + " for " + text(leg.base, kAssetScale) + " " +
             asset + ", expected cost " + usd_text(t.total()) + " USD = walk " + usd_text(t.walk) +
             " + basis " + usd_text(t.basis) + " + fee " + usd_text(t.fee) + " + carry " +
             usd_text(t.carry) + " + health " + usd_text(t.health) +
             (worked ? " | worked: post-only at " + inst.price(limit).to_trimmed_string() + " for " +
                           std::to_string((intent.work_until_ns - now) / 1'000'000) + " ms"
                     : std::string()) +
             passed;
    };
    bus::Envelope env;
    auto* o = env.mutable_hedge_order();
    o->set_hedge_id(fast ? fill_hedge_id(fast->fill_id(), inst.key(), side)
                         : "h_" + net::random_hex(12));
    if (in_flight_.count(o->hedge_id())) continue;  // the same fill twice: never sent twice
    o->set_venue(inst.venue);
    o->set_symbol(inst.symbol);
    o->set_side(to_proto(side));
    to_proto(inst.qty(leg.qty), o->mutable_qty());
    to_proto(inst.price(limit), o->mutable_limit_price());
    o->set_created_ts_ns(now);
    if (worked) {
      o->set_post_only(true);
      o->set_work_until_ns(intent.work_until_ns);
    }
    std::string id = o->hedge_id();
    auto track = [&] {
      in_flight_[id] = {asset, &inst, side,  leg.base, env, now,
                        now,   0,     false, false,    "",  attribution_.on_hedge_sent(asset),
                        worked, worked ? intent.work_until_ns : 0};
      flow.pending += leg.base;
      if (worked) ++metrics_.orders_worked;
    };
    if (fast) {
      // Straight from a fill: sent first, then recorded with the fill (its id derives from the
      // fill, so a crash in between leaves a way to find it). The router's report comes on a
      // later turn of the loop, after the order is in flight here.
      try {
        send_to_router(env);
      } catch (...) {
        track();  // it may have gone out: in flight, so it is looked up, never lost
        throw;
      }
      int64_t out_ns = mono_now_ns();
      if (metrics_.orders_fast++ == fast_orders_before)
        metrics_.fill_to_order.observe(out_ns - fill_in_ns_);
      if (fast_observer_) fast_observer_(fast->fill_id(), fill_in_ns_, out_ns);
      o->set_reason(why());
      track();
    } else {
      // Recorded before it is sent.
      o->set_reason(why());
      store_->record_order(*o);
      track();
      send_to_router(env);
      ++metrics_.orders_recorded;
    }
    if (sent) sent->push_back(env.hedge_order());
    pub_.publish(bus::topic::kHedgeOrder, env);  // for observers
    spdlog::info("hedging: {} {}", id, env.hedge_order().reason());
  }
}

RiskInputs HedgingService::risk_inputs(int64_t now) const {
  Marks m = marks(now);
  RiskInputs in;
  // PnL per listing (its asset's trading) and in all; unknown while a price is missing, and
  // then not checked rather than guessed.
  for (const auto& [asset, listing] : listing_of_)
    if (auto pnl = positions_.asset_pnl_usd(asset, m))
      for (const auto& l : universe_.listings)
        if (canonical_asset(l.base) == asset) in.listing_pnl[l.name] = *pnl;
  if (auto eq = positions_.equity_usd(m)) in.portfolio_pnl = *eq;
  for (const auto& [a, x] : positions_.exposures(m)) in.asset_exposure[a] = x.qty;
  std::set<std::string> venues;
  for (const auto& [_, p] : positions_.positions()) venues.insert(p.inst->venue);
  for (const auto& v : venues)
    for (const auto& [a, x] : positions_.exposures(m, v))
      if (!usd_like(a)) in.venue_usd[v] += x.usd;
  return in;
}

void HedgingService::publish_risk_state(const std::string& scope, TradingState state,
                                        const std::string& why, int64_t at_ns) {
  bus::Envelope env;
  auto* r = env.mutable_risk_state();
  r->set_scope(scope);
  r->set_state(to_string(state));
  r->set_why(why);
  r->set_at_ns(at_ns);
  pub_.publish(bus::topic::kRisk, env);
}

void HedgingService::check_risk(int64_t now) {
  for (const auto& t : risk_.evaluate(risk_inputs(now), now)) {
    // State first (the governor has it), then the record, the log, and the others told.
    spdlog::error("hedging: RISK {} -> {}: {}", t.scope, to_string(t.state), t.why);
    ++risk_trips_;
    try {
      store_->record_risk("risk.trip", t.scope, to_string(t.state), t.why, "hedging");
    } catch (const std::exception& e) {
      spdlog::error("hedging: risk trip of {} not recorded in audit_log: {}", t.scope, e.what());
    }
    publish_risk_state(t.scope, t.state, t.why, t.at_ns);
    if (webhook_) webhook_->send("risk.trip", t.scope, to_string(t.state), t.why, t.at_ns);
  }
}

void HedgingService::on_control(const bus::Envelope& req, bus::RpcServer::Reply reply) {
  bus::Envelope env;
  auto* out = env.mutable_hedging_control_reply();
  // Inventory on-chain, beside the venues': the maker's wallet as last read.
  auto wallet_lines = [&] {
    std::string s;
    for (const auto& [_, r] : wallet_)
      s += "\n  wallet " + r.chain + " " + r.holding.holder() + ": " + r.holding.balance() + " " +
           r.holding.symbol() + " (" + r.holding.reserved() + " reserved by live quotes" +
           (r.holding.below_floor() ? ", BELOW FLOOR" : "") + ")";
    return s;
  };
  auto tripped = [&] {
    std::string s;
    for (const auto& [scope, t] : risk_.trips())
      s += "\n  " + scope + ": " + to_string(t.state) + " (" + t.why + ")";
    return s.empty() ? std::string("\n  nothing tripped: every scope ACTIVE") : s;
  };
  if (!req.has_hedging_control()) {
    out->set_ok(false);
    out->set_detail("hedging takes HedgingControl requests only");
    return reply(env);
  }
  const auto& c = req.hedging_control();
  std::string actor = c.actor().empty() ? "operator" : c.actor();
  if (c.rearm().empty()) {
    out->set_ok(true);
    out->set_detail("risk state (" + std::to_string(risk_trips_) + " trips since start" +
                    (webhook_ ? ", " + std::to_string(webhook_->sent()) + " alerts sent, " +
                                    std::to_string(webhook_->failed()) + " failed"
                              : std::string()) +
                    "):" + tripped() + wallet_lines());
    return reply(env);
  }
  int64_t now = clock_();
  if (!risk_.trips().count(c.rearm())) {
    out->set_ok(false);
    out->set_detail("'" + c.rearm() + "' is not tripped; tripped now:" + tripped());
    return reply(env);
  }
  if (auto no = risk_.rearm(c.rearm(), risk_inputs(now))) {
    out->set_ok(false);
    out->set_detail("re-arm of " + c.rearm() + " refused: " + *no);
    spdlog::warn("hedging: {} asked to re-arm {}: refused: {}", actor, c.rearm(), *no);
    return reply(env);
  }
  std::string why = "re-armed by " + actor;
  spdlog::warn("hedging: RISK {} -> ACTIVE: {}", c.rearm(), why);
  try {
    store_->record_risk("risk.rearm", c.rearm(), "ACTIVE", why, actor);
  } catch (const std::exception& e) {
    spdlog::error("hedging: re-arm of {} not recorded in audit_log: {}", c.rearm(), e.what());
  }
  publish_risk_state(c.rearm(), TradingState::Active, why, now);
  if (webhook_) webhook_->send("risk.rearm", c.rearm(), "ACTIVE", why, now);
  out->set_ok(true);
  out->set_detail(c.rearm() + " re-armed: ACTIVE;" + tripped());
  reply(env);
}

void HedgingService::publish_final_pnl() {
  auto final_fills = attribution_.take_final();
  if (final_fills.empty()) return;
  Marks m = marks(clock_());
  for (auto& f : final_fills) {
    auto mark = m.usd_price(f.asset);
    if (f.input.fair_at_fill == 0 || !mark) {
      spdlog::warn("hedging: PnL of fill {} not attributed: {}", f.fill_id,
                   f.input.fair_at_fill == 0 ? "no fair value when it filled" : "no mark now");
      continue;
    }
    f.input.mark = mark->rescaled(kUnitPriceScale, Rounding::HalfEven).units;
    for (const auto& h : f.input.hedges)
      if (h.quanto_per_price.units != 0)
        if (auto s = m.usd_price(h.settle_asset))
          f.input.settle_marks[h.settle_asset] =
              s->rescaled(kUnitPriceScale, Rounding::HalfEven).units;
    FillPnl pnl;
    try {
      pnl = attribute_fill(f.input);
    } catch (const std::exception& e) {
      spdlog::warn("hedging: PnL of fill {} not attributed: {}", f.fill_id, e.what());
      continue;
    }
    bus::Envelope env;
    auto* p = env.mutable_fill_pnl();
    p->set_fill_id(f.fill_id);
    p->set_asset(f.asset);
    p->set_spread(exact_text(pnl.spread, pnl.scale));
    p->set_hedge_slippage(exact_text(pnl.hedge_slippage, pnl.scale));
    p->set_fees(exact_text(pnl.fees, pnl.scale));
    p->set_funding(exact_text(pnl.funding, pnl.scale));
    p->set_revaluation(exact_text(pnl.revaluation, pnl.scale));
    p->set_quanto(exact_text(pnl.quanto, pnl.scale));
    p->set_total(exact_text(pnl.total, pnl.scale));
    to_proto(Decimal{f.input.fair_at_fill, kUnitPriceScale}, p->mutable_fair_at_fill());
    to_proto(Decimal{f.input.mark, kUnitPriceScale}, p->mutable_mark());
    p->set_hedges(static_cast<int32_t>(f.input.hedges.size()));
    if (pnl.parts() != pnl.total)
      spdlog::error("hedging: PnL of fill {} does not add up ({} parts vs {} total)", f.fill_id,
                    p->spread(), p->total());  // cannot happen: attribute_fill is exact
    try {
      store_->record_fill_pnl(*p);
    } catch (const std::exception& e) {
      spdlog::error("hedging: PnL of fill {} not recorded: {}", f.fill_id, e.what());
    }
    pub_.publish(bus::topic::kPnl, env);
    ++metrics_.pnl_attributed;
  }
}

void HedgingService::open_funding_windows() {
  if (funding_windows_opened_) return;
  funding_windows_opened_ = true;
  started_ms_ = clock_() / 1'000'000;
  for (const auto& [key, p] : positions_.positions()) {
    const Instrument* inst = universe_.instrument(key);
    if (!inst || inst->kind == InstrumentKind::Spot || p.qty == 0) continue;
    auto through = store_->funding_accounted_through_ms(key);
    if (!through) continue;
    funding_catch_up_.open({key, p.qty, *through + 1, started_ms_});
  }
  catch_up_funding();
}

void HedgingService::catch_up_funding() {
  for (const auto& w : funding_catch_up_.due(clock_() / 1'000'000)) {
    const Instrument* inst = universe_.instrument(w.instrument);
    if (!inst) continue;
    aqueduct::msg::FundingHistoryRequest req;
    req.set_venue(inst->venue);
    req.set_symbol(inst->symbol);
    req.set_from_ms(w.from_ms);
    req.set_to_ms(w.to_ms);
    if (local_route_) {
      if (local_funding_)
        local_funding_(req, [this, alive = alive_](bus::Envelope& e) {
          if (*alive) on_message(bus::topic::kExecution, e);
        });
    } else if (router_) {
      bus::Envelope env;
      *env.mutable_funding_history_request() = req;
      router_->send(env);
    }
  }
  // What was found is booked once the marks to value it are in (the books may still be
  // syncing just after a restart).
  auto missed = funding_catch_up_.missed();
  for (const auto& m : missed) {
    const Instrument* inst = universe_.instrument(m.instrument);
    if (!inst) {
      funding_catch_up_.booked(m.instrument, m.at_ms);
      continue;
    }
    auto r = book_funding(*inst, m.qty, m.rate, m.at_ms * 1'000'000, false);
    if (r != FundingBooked::NoPrice) {
      funding_catch_up_.booked(m.instrument, m.at_ms);
    } else if (funding_waiting_said_.insert(m.instrument).second) {
      spdlog::warn(
          "hedging: funding on {} that settled while hedging was not running waits for "
          "its mark and USD price to be valued",
          m.instrument);
    }
  }
}

void HedgingService::on_funding_history(const aqueduct::msg::FundingHistory& h) {
  std::vector<FundingCatchUp::Settlement> page;
  for (const auto& s : h.settlements()) page.push_back({s.at_ms(), from_proto(s.rate())});
  auto said = funding_catch_up_.on_answer(h.venue() + ":" + h.symbol(), h.from_ms(), h.to_ms(),
                                          page, h.full(), h.error(), clock_() / 1'000'000);
  if (h.error().empty())
    spdlog::info("hedging: {}", said);
  else
    spdlog::warn("hedging: {}", said);
  catch_up_funding();
}

void HedgingService::settle_funding(const Instrument& inst, const Decimal& rate, int64_t at_ns) {
  const auto* p = positions_.position(inst.key());
  if (!p || p->qty == 0) return;
  book_funding(inst, p->qty, rate, at_ns, true);
}

HedgingService::FundingBooked HedgingService::book_funding(const Instrument& inst, int64_t qty,
                                                           const Decimal& rate, int64_t at_ns,
                                                           bool attribute) {
  int64_t now = clock_();
  Marks m = marks(now);
  std::string asset = canonical_asset(inst.base);
  auto mark = m.instrument.find(inst.key());
  auto base_usd = m.usd_price(asset);
  Decimal settle_usd;
  if (inst.kind == InstrumentKind::Quanto)
    if (auto s = m.usd_price(contract_terms(inst).settle)) settle_usd = *s;
  if (mark == m.instrument.end() || !base_usd ||
      (inst.kind == InstrumentKind::Quanto && settle_usd.units == 0)) {
    if (attribute)  // (a catch-up waits for the prices quietly: it says so once)
      spdlog::error(
          "hedging: funding on {} at {} not booked: no mark or USD price to value the position",
          inst.key(), at_ns);
    return FundingBooked::NoPrice;
  }
  try {
    // Longs pay a positive rate: −base × USD price × rate, at 8 places (half even).
    int64_t base = position_delta(inst, qty, mark->second, settle_usd).base_qty;
    int64_t px = base_usd->rescaled(kAssetScale, Rounding::HalfEven).units;
    int128 raw = -static_cast<int128>(base) * px * rate.units;  // scale 16 + rate's
    int128 den = 1;
    for (int i = 0; i < kAssetScale + rate.scale; ++i) den *= 10;
    int64_t amount = div_round(raw, den, Rounding::HalfEven);  // kAssetScale
    std::string fill = attribute ? attribution_.funding_fill(asset) : std::string();
    FundingRow row{inst.key(),
                   at_ns,
                   inst.qty(qty).to_string(),
                   Decimal{base, kAssetScale}.to_string(),
                   Decimal{px, kAssetScale}.to_string(),
                   rate.to_string(),
                   Decimal{amount, kAssetScale}.to_string(),
                   fill};
    int64_t cash = positions_.quote_cash(asset) + amount;
    if (!store_->record_funding(row, asset, Decimal{cash, kAssetScale}.to_string(), now))
      return FundingBooked::BookedBefore;
    positions_.set_quote_cash(asset, cash);
    if (!fill.empty()) {
      int128 scaled = amount;
      for (int i = 0; i < kUnitPriceScale; ++i) scaled *= 10;  // to the attribution's scale
      attribution_.on_funding(fill, scaled);
    }
    ++metrics_.funding_settlements;
    spdlog::info("hedging: funding on {}{}: {} USD on a position of {} ({} {}) at rate {}{}",
                 inst.key(), attribute ? "" : " (settled while hedging was not running)",
                 Decimal{amount, kAssetScale}.to_trimmed_string(),
                 inst.qty(qty).to_trimmed_string(), Decimal{base, kAssetScale}.to_trimmed_string(),
                 asset, rate.to_trimmed_string(),
                 fill.empty() ? "" : ", attributed to fill " + fill);
    return FundingBooked::Booked;
  } catch (const std::exception& e) {
    spdlog::error("hedging: funding on {} not booked: {}", inst.key(), e.what());
    return FundingBooked::Failed;
  }
}

std::string HedgingService::metrics_text() const {
  HedgingMetrics m = metrics_;
  m.swept_fills = swept_;
  m.adopted = adopted_;
  m.risk_trips = risk_trips_;
  m.alerts_sent = alerts_sent();
  m.alerts_failed = alerts_failed();
  HedgingGauges g;
  g.in_flight = in_flight_.size();
  g.recovering = recovering_ > 0;
  g.db_lock_lost = store_->lock_lost();
  g.db_lock_retaken = static_cast<uint64_t>(store_->lock_retaken());
  for (const auto& [scope, trip] : risk_.trips())
    g.tripped.emplace_back(scope, to_string(trip.state));
  Marks now = marks(clock_());
  for (const auto& [asset, x] : positions_.exposures(now))
    g.exposure[asset] = {
        Decimal{x.qty, kAssetScale}.to_trimmed_string(),
        x.usd_known ? Decimal{x.usd, kUsdScale}.to_trimmed_string() : std::string()};
  for (const auto& [venue, margin] : options_.risk.margin) {
    auto free = free_margin_usd(margin, venue, now);
    g.margin_free[venue] = free ? Decimal{*free, kUsdScale}.to_trimmed_string() : std::string();
    if (auto r = margin_reads_.find(venue); margin.from_venue && r != margin_reads_.end())
      g.margin_read_age_s[venue] =
          Decimal{(clock_() - r->second.read_at_ns) / 1'000'000, 3}.to_trimmed_string();
  }
  for (const auto& [_, r] : wallet_)
    g.wallet.push_back({r.chain, r.holding.holder(), r.holding.symbol(), r.holding.balance(),
                        r.holding.reserved(), r.holding.below_floor(),
                        Decimal{(clock_() - r.read_ns) / 1'000'000, 3}.to_trimmed_string()});
  return prometheus_text(m, g);
}

void HedgingService::publish_position(const std::string& asset, const std::string& cause) {
  auto ex = positions_.exposures(marks(clock_()));
  auto it = ex.find(asset);
  bus::Envelope env;
  auto* p = env.mutable_position();
  p->set_asset(asset);
  to_proto(Decimal{it == ex.end() ? positions_.inventory(asset) : it->second.qty, kAssetScale},
           p->mutable_net_qty());
  to_proto(Decimal{flows_[asset].pending, kAssetScale}, p->mutable_pending_hedge_qty());
  p->set_cause(cause);
  pub_.publish(bus::topic::kPosition, env);
}

}  // namespace aq::hedging
