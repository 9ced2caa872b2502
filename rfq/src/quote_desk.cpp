#include "aqueduct/rfq/quote_desk.hpp"

#include <spdlog/spdlog.h>

#include <boost/json.hpp>
#include <set>

#include "aqueduct/net/hmac.hpp"
#include "aqueduct/types/convert.hpp"

namespace aq::rfq {

namespace json = boost::json;
namespace msg = aqueduct::msg;

struct QuoteDesk::Pending {
  std::function<void(PriceAnswer)> on_price;
  std::function<void(LevelsAnswer)> on_levels;
  const Listing* listing = nullptr;
  // An indicative ask, kept to file its answer in the cache.
  std::optional<PriceAsk> indicative;
  std::string tier;
  boost::asio::steady_timer timeout;
  explicit Pending(boost::asio::io_context& io) : timeout(io) {}
};

Refusal refusal_from(msg::RefusalReason r, std::string detail) {
  std::string name = msg::RefusalReason_Name(r);
  std::string code = name.rfind("REFUSAL_", 0) == 0 ? name.substr(8) : name;
  for (auto& c : code) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  bool request_fault = r == msg::REFUSAL_UNKNOWN_LISTING || r == msg::REFUSAL_BAD_REQUEST ||
                       r == msg::REFUSAL_SIZE_TOO_SMALL || r == msg::REFUSAL_SIZE_TOO_LARGE ||
                       r == msg::REFUSAL_NOTIONAL_TOO_LARGE;
  return {code, std::move(detail), !request_fault};
}

std::string breakdown_json(const msg::PriceBreakdown& bd) {
  auto dec = [](const msg::Decimal& d) { return json::value(from_proto(d).to_trimmed_string()); };
  json::object b;
  b["fair_value"] = dec(bd.fair_value());
  b["hedge_vwap"] = dec(bd.hedge_vwap());
  b["fee"] = dec(bd.fee());
  b["spread"] = dec(bd.spread());
  b["vol_spread"] = dec(bd.vol_spread());
  b["impact_spread"] = dec(bd.impact_spread());
  b["markup"] = dec(bd.markup());
  b["inventory_skew"] = dec(bd.inventory_skew());
  b["rounding"] = dec(bd.rounding());
  b["sigma_bps"] = bd.sigma_bps();
  b["tier"] = bd.tier();
  b["live_venues"] = bd.live_venues();
  b["hedge_venue"] = bd.hedge_venue();
  b["book_age_ms"] = bd.book_age_ms();
  json::array venues;
  for (const auto& v : bd.venues())
    venues.push_back(json::object{{"venue", v.venue()},
                                  {"qty", from_proto(v.qty()).to_trimmed_string()},
                                  {"vwap", from_proto(v.vwap()).to_trimmed_string()}});
  b["venues"] = std::move(venues);
  return json::serialize(b);
}

QuoteDesk::QuoteDesk(boost::asio::io_context& io, zmq::context_t& zmq,
                     const bus::Endpoints& endpoints, const Universe& universe,
                     std::unique_ptr<RfqStore> store, DeskOptions options, Clock clock)
    : io_(io),
      universe_(universe),
      store_(std::move(store)),
      recorder_(std::make_unique<QuoteRecorder>(options.database_url)),
      options_(std::move(options)),
      clock_(std::move(clock)),
      pricer_(io, zmq, endpoints.pricer_rpc, "rfq",
              [this](const bus::Envelope& e) { on_pricer_reply(e); }),
      pub_(zmq, endpoints.rfq_pub, "rfq"),
      indicative_(
          std::chrono::duration_cast<std::chrono::nanoseconds>(options_.indicative_cache).count(),
          4096),
      sweep_timer_(io) {
  reload_clients();
}

QuoteDesk::~QuoteDesk() {
  *alive_ = false;
}

void QuoteDesk::start() {
  pricer_.start();
  sweep();
}

void QuoteDesk::stop() {
  *alive_ = false;
  sweep_timer_.cancel();
  for (auto& [_, p] : pending_) p->timeout.cancel();
}

void QuoteDesk::reload_clients() {
  // In place: a Client a gateway holds stays valid; a removed or deactivated one is kept,
  // marked inactive, and refused from then on.
  std::set<std::string> present;
  client_by_key_.clear();
  for (auto& c : store_->load_clients()) {
    present.insert(c.client_id);
    if (c.active && !c.api_key_id.empty()) client_by_key_[c.api_key_id] = c.client_id;
    auto id = c.client_id;
    auto it = clients_.find(id);
    if (it != clients_.end() && (it->second.rate_limit_per_s != c.rate_limit_per_s))
      limiters_.erase(id);  // its new rate applies from now
    clients_[id] = std::move(c);
  }
  for (auto& [id, c] : clients_)
    if (!present.count(id)) c.active = false;
}

const Client* QuoteDesk::client_by_key_id(std::string_view key_id) const {
  auto it = client_by_key_.find(std::string(key_id));
  return it == client_by_key_.end() ? nullptr : client(it->second);
}

const Client* QuoteDesk::client(const std::string& client_id) const {
  auto it = clients_.find(client_id);
  return it == clients_.end() ? nullptr : &it->second;
}

const Client& QuoteDesk::protocol_client(const std::string& client_id, Protocol protocol,
                                         const std::string& tier) {
  if (auto* c = client(client_id)) return *c;
  store_->ensure_protocol_client(client_id, protocol, tier);
  reload_clients();
  if (auto* c = client(client_id)) return *c;
  throw std::runtime_error("client " + client_id +
                           " could not be created (inactive in the record?)");
}

std::optional<Refusal> QuoteDesk::admit(const Client& c, const std::string& caller) {
  if (!c.active)
    return Refusal{"client_inactive",
                   "client " + c.client_id + " is deactivated; ask the operator to reactivate it",
                   false};
  int per_s = c.rate_limit_per_s > 0 ? c.rate_limit_per_s : options_.default_rate_limit_per_s;
  std::string bucket = caller.empty() ? c.client_id : c.client_id + "/" + caller;
  auto it = limiters_.find(bucket);
  if (it == limiters_.end())
    it = limiters_.emplace(bucket, connectors::RateLimiter({{"requests 1s", per_s, 1'000'000'000}}))
             .first;
  int64_t now = clock_();
  auto a = it->second.try_acquire({1}, now);
  if (a.admitted) return std::nullopt;
  int64_t wait_ms = (a.retry_at_ns - now + 999'999) / 1'000'000;
  return Refusal{"rate_limited",
                 "more than " + std::to_string(per_s) + " requests per second for this " +
                     std::string(caller.empty() ? "client" : "API key") + "; retry in " +
                     std::to_string(wait_ms) + " ms",
                 true};
}

void QuoteDesk::sweep() {
  int64_t now = clock_();
  std::vector<std::string> expired, forgotten;
  ledger_.sweep(now, &expired, &forgotten);
  // A quote's row is kept for the fill transaction while it can fill; the writer has long
  // written it by its expiry (a late on-chain settlement records a minimal row if not).
  for (const auto& id : expired) rows_.erase(id);
  for (const auto& id : forgotten) fills_by_quote_.erase(id);
  if (options_.client_reload_s > 0 &&
      ++sweeps_ % static_cast<uint64_t>(options_.client_reload_s) == 0) {
    try {
      reload_clients();
    } catch (const std::exception& e) {
      // The clients as last read stay in force; the next sweep tries again.
      spdlog::warn("rfq: cannot reload clients from the record: {}", e.what());
    }
  }
  sweep_timer_.expires_after(std::chrono::seconds(1));
  sweep_timer_.async_wait([this, alive = alive_](boost::system::error_code ec) {
    if (!ec && *alive) sweep();
  });
}

namespace {
IndicativeKey indicative_key(const PriceAsk& ask, std::string_view tier) {
  return {ask.listing->name, ask.side, ask.qty, ask.amount, tier, ask.client->zero_fee};
}
}  // namespace

void QuoteDesk::price(const PriceAsk& ask, std::function<void(PriceAnswer)> done) {
  if (!ask.firm && indicative_.enabled()) {
    if (const auto* kept = indicative_.find(indicative_key(ask, ask.client->tier), clock_())) {
      // Answered at once, before price() returns, as a refusal of the request itself is.
      return done(*kept);
    }
  }
  uint64_t id = next_request_id_++;
  auto p = std::make_unique<Pending>(io_);
  p->on_price = std::move(done);
  p->listing = ask.listing;
  if (!ask.firm && indicative_.enabled()) {
    p->indicative = ask;
    p->tier = ask.client->tier;
  }
  bus::Envelope env;
  auto* q = env.mutable_quote_request();
  q->set_request_id(id);
  q->set_client_id(ask.client->client_id);
  q->set_listing(ask.listing->name);
  q->set_side(to_proto(ask.side));
  if (ask.amount)
    to_proto(*ask.amount, q->mutable_quote_amount());
  else
    to_proto(Decimal{ask.qty, ask.listing->qty_scale}, q->mutable_qty());
  q->set_firm(ask.firm);
  q->set_client_tier(ask.client->tier);
  q->set_zero_fee(ask.client->zero_fee);
  send_to_pricer(id, std::move(p), env);
}

void QuoteDesk::levels(const Client& c, const Listing& l, std::function<void(LevelsAnswer)> done) {
  uint64_t id = next_request_id_++;
  auto p = std::make_unique<Pending>(io_);
  p->on_levels = std::move(done);
  p->listing = &l;
  bus::Envelope env;
  auto* q = env.mutable_levels_request();
  q->set_request_id(id);
  q->set_listing(l.name);
  q->set_client_tier(c.tier);
  q->set_zero_fee(c.zero_fee);
  send_to_pricer(id, std::move(p), env);
}

void QuoteDesk::send_to_pricer(uint64_t id, std::unique_ptr<Pending> p, bus::Envelope& env) {
  auto fail = [](Pending& pending, Refusal r) {
    if (pending.on_price)
      pending.on_price(PriceAnswer{std::move(r), 0, 0, {}});
    else
      pending.on_levels(LevelsAnswer{std::move(r), {}});
  };
  p->timeout.expires_after(options_.pricer_timeout);
  p->timeout.async_wait([this, id, fail, alive = alive_](boost::system::error_code ec) {
    if (ec || !*alive) return;
    auto it = pending_.find(id);
    if (it == pending_.end()) return;
    auto pending = std::move(it->second);
    pending_.erase(it);
    fail(*pending, {"pricer_unavailable",
                    "the pricer did not answer within " +
                        std::to_string(options_.pricer_timeout.count()) + " ms; nothing was quoted",
                    true});
  });
  auto& ref = *p;
  pending_.emplace(id, std::move(p));
  if (!pricer_.send(env)) {
    ref.timeout.cancel();
    auto pending = std::move(pending_[id]);
    pending_.erase(id);
    fail(*pending, {"pricer_unavailable", "the pricer is not reachable; nothing was quoted", true});
  }
}

void QuoteDesk::on_pricer_reply(const bus::Envelope& env) {
  if (env.has_levels()) {
    auto it = pending_.find(env.levels().request_id());
    if (it == pending_.end() || !it->second->on_levels) return;
    auto p = std::move(it->second);
    pending_.erase(it);
    p->timeout.cancel();
    return p->on_levels(LevelsAnswer{std::nullopt, env.levels()});
  }
  if (env.body_case() != bus::Envelope::kQuoteResponse) return;
  const auto& r = env.quote_response();
  auto it = pending_.find(r.request_id());
  if (it == pending_.end() || !it->second->on_price) return;  // timed out already
  auto p = std::move(it->second);
  pending_.erase(it);
  p->timeout.cancel();
  if (r.has_refusal()) {
    auto refusal = refusal_from(r.refusal().reason(), r.refusal().detail());
    // Market conditions (a stale book, a venue down): no kept answer for the listing stands.
    if (refusal.retryable) indicative_.forget_listing(p->listing->name);
    return p->on_price(PriceAnswer{std::move(refusal), 0, 0, {}});
  }
  const Listing& l = *p->listing;
  PriceAnswer a;
  try {
    a.price = units_at(r.quote().price(), l.price_scale);
    a.qty = units_at(r.quote().qty(), l.qty_scale);
  } catch (const DecimalError&) {
    return p->on_price(PriceAnswer{
        Refusal{"pricer_unavailable", "the pricer's answer had an unexpected precision", true},
        0,
        0,
        {}});
  }
  a.breakdown = r.quote().breakdown();
  if (p->indicative) indicative_.store(indicative_key(*p->indicative, p->tier), a, clock_());
  p->on_price(std::move(a));
}

std::optional<Refusal> QuoteDesk::issue(const IssuedQuote& q, std::string breakdown,
                                        std::string signed_order) {
  const Listing* l = universe_.listing(q.listing);
  if (!l) return Refusal{"unknown_listing", "listing " + q.listing + " is not quoted", false};
  const Client* c = client(q.client_id);
  ClientLimit limits = c ? c->limits : ClientLimit{};
  ListingLimit ll{l->max_outstanding};
  auto r = ledger_.reserve(q, ll, limits, clock_());
  if (!r) {
    bool retryable =
        r.error == ReserveError::ListingOutstanding || r.error == ReserveError::ClientOpenNotional;
    return Refusal{to_string(r.error), r.detail, retryable};
  }
  auto row = make_quote_row(q, *l, std::move(breakdown), std::move(signed_order));
  recorder_->push(row);
  rows_.emplace(q.quote_id, std::move(row));
  return std::nullopt;
}

FillOutcome QuoteDesk::fill(const FillAsk& ask) {
  FillOutcome out;
  int64_t now = clock_();
  IssuedQuote q;
  const IssuedQuote* known = ledger_.find(ask.quote_id);
  int64_t qty = ask.qty > 0 ? ask.qty : (known ? known->qty : 0);
  auto e = ledger_.begin_fill(ask.quote_id, ask.client_id, qty, now, q, ask.check);
  // The chain's word: an on-chain order that filled before (another transaction) or that the
  // ledger let go fills all the same; the record keeps it once per log.
  bool chain_refill =
      ask.proof && known && (e == FillError::AlreadyFilled || e == FillError::Expired);
  if (chain_refill) {
    q = *known;
    e = FillError::None;
  }
  if (e == FillError::AlreadyFilled && !ask.external_ref.empty()) {
    // The same accept again (a retry after a lost reply): answer with the fill it made.
    auto it = fills_by_quote_.find(ask.quote_id);
    if (it != fills_by_quote_.end() && it->second.external_ref == ask.external_ref &&
        it->second.quote.client_id == ask.client_id) {
      out.fill = it->second;
      out.replay = true;
      return out;
    }
  }
  if (e != FillError::None) {
    std::string what = "quote '" + ask.quote_id + "'";
    switch (e) {
      case FillError::Unknown:
      case FillError::NotYours:
        out.refusal = Refusal{to_string(e), "no " + what + " for this client", false};
        break;
      case FillError::Expired:
        out.refusal = Refusal{to_string(e), what + " has expired; request a new one", false};
        break;
      case FillError::AlreadyFilled:
        out.refusal = Refusal{to_string(e), what + " was already filled", false};
        break;
      case FillError::InProgress:
        out.refusal = Refusal{to_string(e), what + " is being filled by another request", false};
        break;
      case FillError::Declined:
        out.refusal = Refusal{to_string(e), what + " was declined", false};
        break;
      case FillError::BadQty:
        out.refusal = Refusal{to_string(e),
                              "fill size must be above zero and at most the quote's size", false};
        break;
      case FillError::None:
        break;
    }
    return out;
  }
  const Listing& l = *universe_.listing(q.listing);
  FillRecord f{"f_" + net::random_hex(16),
               q,
               qty,
               now,
               ask.external_ref,
               ask.settlement,
               ask.chain_id,
               ask.proof};
  auto row_it = rows_.find(q.quote_id);
  QuoteRow row = row_it != rows_.end() ? row_it->second : make_quote_row(q, l, "{}");
  try {
    if (auto earlier = store_->record_fill(f, row, l)) {
      if (earlier->quote_id != q.quote_id) {
        // The reference names another quote's fill: this quote is untouched and stays live.
        if (!chain_refill) ledger_.abort_fill(q.quote_id, clock_());
        out.refusal = Refusal{"accept_id_reused",
                              "accept_id '" + ask.external_ref + "' belongs to quote '" +
                                  earlier->quote_id + "' (fill " + earlier->fill_id +
                                  "); use a new accept_id for quote '" + q.quote_id + "'",
                              false};
        return out;
      }
      // Recorded before (by a previous run of this desk): not a new fill, not hedged again.
      if (!chain_refill) ledger_.commit_fill(q.quote_id);
      f.fill_id = earlier->fill_id;
      out.fill = f;
      out.replay = true;
      return out;
    }
  } catch (const std::exception& ex) {
    if (!chain_refill) ledger_.abort_fill(q.quote_id, clock_());
    spdlog::error("rfq: fill for {} not recorded: {}", q.quote_id, ex.what());
    out.refusal = Refusal{
        "record_unavailable",
        "the fill could not be recorded, so the quote was not filled; it stays live until expiry",
        true};
    return out;
  }
  if (!chain_refill) {
    ledger_.commit_fill(q.quote_id);
    fills_by_quote_[q.quote_id] = f;
  }
  // Durable: now hedging may hear about it, and then the taker.
  publish_fill(f);
  out.fill = std::move(f);
  return out;
}

void QuoteDesk::publish_fill(const FillRecord& f) {
  const Listing* l = universe_.listing(f.quote.listing);
  if (!l) return;
  bus::Envelope env;
  auto* fm = env.mutable_fill();
  fm->set_fill_id(f.fill_id);
  fm->set_quote_id(f.quote.quote_id);
  fm->set_client_id(f.quote.client_id);
  fm->set_listing(l->name);
  fm->set_base(l->base);
  fm->set_quote_asset(l->quote);
  fm->set_taker_side(to_proto(f.quote.side));
  to_proto(Decimal{f.quote.price, l->price_scale}, fm->mutable_price());
  to_proto(Decimal{f.qty, l->qty_scale}, fm->mutable_qty());
  fm->set_filled_ts_ns(f.filled_ns);
  pub_.publish(bus::topic::kFill, env);
}

const IssuedQuote* QuoteDesk::recall(const std::string& quote_id) {
  if (const auto* q = ledger_.find(quote_id)) return q;
  try {
    auto rec = store_->load_quote(quote_id, universe_);
    if (!rec || rec->second == "declined") return nullptr;
    ledger_.restore(rec->first, rec->second == "filled");
    spdlog::info("rfq: quote {} recalled from the record ({})", quote_id, rec->second);
  } catch (const std::exception& e) {
    spdlog::error("rfq: cannot look up quote {} in the record: {}", quote_id, e.what());
    return nullptr;
  }
  return ledger_.find(quote_id);
}

bool QuoteDesk::decline(const std::string& quote_id) {
  if (!ledger_.decline(quote_id)) return false;
  if (auto it = rows_.find(quote_id); it != rows_.end()) {
    QuoteRow r = it->second;
    r.declined = true;
    recorder_->push(std::move(r));
  }
  return true;
}

}  // namespace aq::rfq
