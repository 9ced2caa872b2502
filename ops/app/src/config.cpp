#include "aqueduct/app/config.hpp"

#include <boost/json.hpp>
#include <algorithm>
#include <cctype>
#include <fstream>
#include <set>
#include <sstream>
#include <stdexcept>

#include "aqueduct/chain/wallet_book.hpp"

namespace aq::app {

namespace json = boost::json;

namespace {

struct Reader {
  std::string origin;

  [[noreturn]] void fail(const std::string& where, const std::string& what) const {
    throw std::runtime_error(origin + ": " + where + ": " + what);
  }
  const json::object& obj(const json::value& v, const std::string& where) const {
    if (!v.is_object()) fail(where, "must be an object");
    return v.as_object();
  }
  const json::value* opt(const json::object& o, const char* key) const { return o.if_contains(key); }
  const json::value& req(const json::object& o, const char* key, const std::string& where) const {
    auto* v = o.if_contains(key);
    if (!v) fail(where, std::string("missing field '") + key + "'");
    return *v;
  }
  std::string str(const json::object& o, const char* key, const std::string& where,
                  std::optional<std::string> def = std::nullopt) const {
    auto* v = o.if_contains(key);
    if (!v) {
      if (def) return *def;
      fail(where, std::string("missing field '") + key + "'");
    }
    if (!v->is_string()) fail(where + "." + key, "must be a string");
    return std::string(v->as_string());
  }
  int64_t integer(const json::object& o, const char* key, const std::string& where,
                  std::optional<int64_t> def = std::nullopt) const {
    auto* v = o.if_contains(key);
    if (!v) {
      if (def) return *def;
      fail(where, std::string("missing field '") + key + "'");
    }
    if (v->is_int64()) return v->as_int64();
    if (v->is_uint64() && v->as_uint64() <= static_cast<uint64_t>(INT64_MAX))
      return static_cast<int64_t>(v->as_uint64());
    fail(where + "." + key, "must be an integer");
  }
  bool boolean(const json::object& o, const char* key, bool def) const {
    auto* v = o.if_contains(key);
    if (!v) return def;
    if (!v->is_bool()) fail(key, "must be true or false");
    return v->as_bool();
  }
  // A decimal string at a fixed scale, e.g. a tick "0.01" at price_scale 2 -> 1.
  int64_t fixed(const json::object& o, const char* key, int scale, const std::string& where) const {
    auto s = str(o, key, where);
    ParseError why{};
    auto d = Decimal::parse(s, scale, &why);
    if (!d) fail(where + "." + key, "'" + s + "' " + to_string(why) + " (at most " + std::to_string(scale) + " decimals)");
    return d->units;
  }
  double number(const json::object& o, const char* key, const std::string& where, double def) const {
    auto* v = o.if_contains(key);
    if (!v) return def;
    if (v->is_double()) return v->as_double();
    if (v->is_int64()) return static_cast<double>(v->as_int64());
    if (v->is_string()) {
      try {
        return std::stod(std::string(v->as_string()));
      } catch (const std::exception&) {
      }
    }
    fail(where + "." + key, "must be a number");
  }
  uint16_t port(const json::object& o, const char* key, const std::string& where, int64_t def) const {
    auto p = integer(o, key, where, def);
    if (p < 0 || p > 65535) fail(where + "." + key, "must be 0..65535");
    return static_cast<uint16_t>(p);
  }
};

// "10" bps -> 1000 ppm, allowing two decimals of a basis point.
int64_t bps_to_ppm(const Reader& r, const json::object& o, const char* key, const std::string& where) {
  return r.fixed(o, key, 2, where);  // 0.01 bps = 1 ppm
}

// A listing's list of "venue:SYMBOL" instruments, each configured and trading `base`.
std::vector<std::string> instrument_keys(const Reader& r, const json::value& v, const std::string& where,
                                         const Universe& u, const std::string& base) {
  if (!v.is_array() || v.as_array().empty()) r.fail(where, "must be a non-empty array of \"venue:SYMBOL\"");
  std::vector<std::string> keys;
  for (const auto& h : v.as_array()) {
    if (!h.is_string()) r.fail(where, "entries must be strings");
    std::string key(h.as_string());
    const Instrument* in = u.instrument(key);
    if (!in) r.fail(where, "'" + key + "' is not a configured instrument");
    if (in->base != base) r.fail(where, "'" + key + "' does not trade " + base);
    keys.push_back(key);
  }
  return keys;
}

// A map of name -> positive decimal at `scale` (limits per asset, venue or listing).
std::map<std::string, int64_t> limit_map(const Reader& r, const json::object& o, const char* key, int scale,
                                         const std::string& where, const std::set<std::string>& allowed,
                                         const std::string& what) {
  std::map<std::string, int64_t> out;
  auto* v = o.if_contains(key);
  if (!v) return out;
  std::string here = where + "." + key;
  const auto& m = r.obj(*v, here);
  for (const auto& kv : m) {
    std::string name(kv.key());
    if (!allowed.count(name)) {
      std::string list;
      for (const auto& a : allowed) list += (list.empty() ? "" : ", ") + a;
      r.fail(here, "'" + name + "' is not a configured " + what + "; known: " + list);
    }
    int64_t x = r.fixed(m, name.c_str(), scale, here);
    if (x <= 0) r.fail(here + "." + name, "must be above zero");
    out[name] = x;
  }
  return out;
}

// "hedging.work": when a hedge is worked as a post-only order instead of crossing (hedge_intent.hpp).
void read_work(const Reader& r, const json::object& w, hedging::HedgingOptions& h) {
  static const std::set<std::string> known = {"max_ms", "cross_above_usd", "risk_k", "vol_half_life_s", "vol_prior_bps"};
  for (const auto& kv : w)
    if (!known.count(std::string(kv.key())))
      r.fail("hedging.work", "unknown field '" + std::string(kv.key()) +
                                 "'; known: max_ms, cross_above_usd, risk_k, vol_half_life_s, vol_prior_bps");
  auto max_ms = r.integer(w, "max_ms", "hedging.work", 0);
  if (max_ms != 0 && (max_ms < 100 || max_ms > 60'000))
    r.fail("hedging.work.max_ms", "must be 0 (every hedge crosses) or 100..60000 ms (the longest a hedge is worked)");
  h.intent.max_work_ns = max_ms * 1'000'000;
  if (w.if_contains("cross_above_usd")) {
    h.intent.cross_above_usd = r.fixed(w, "cross_above_usd", hedging::kUsdScale, "hedging.work");
    if (h.intent.cross_above_usd < 0) r.fail("hedging.work.cross_above_usd", "must not be negative (0: no size bound)");
  }
  h.intent.risk_k = r.number(w, "risk_k", "hedging.work", 1.0);
  if (!(h.intent.risk_k > 0 && h.intent.risk_k <= 10))
    r.fail("hedging.work.risk_k", "must be above 0 and at most 10 (sigmas of adverse move priced in)");
  auto half_life = r.integer(w, "vol_half_life_s", "hedging.work", 60);
  if (half_life < 1 || half_life > 86'400) r.fail("hedging.work.vol_half_life_s", "must be 1..86400 s");
  h.vol_half_life = std::chrono::seconds(half_life);
  h.vol_prior_bps_per_sqrt_s = r.number(w, "vol_prior_bps", "hedging.work", 2.0);
  if (!(h.vol_prior_bps_per_sqrt_s > 0 && h.vol_prior_bps_per_sqrt_s <= 1000))
    r.fail("hedging.work.vol_prior_bps", "must be above 0 and at most 1000 (bps per sqrt second)");
}

// The "hedging" block; see hedging/hedging_service.hpp and hedging/risk_governor.hpp.
void read_hedging(const Reader& r, const json::object& o, AppConfig& c) {
  static const std::set<std::string> known = {"retry_after_empty_ms",
                                              "holding_s",
                                              "max_legs",
                                              "unknown_bound_ms",
                                              "warm_interval_us",
                                              "cpu",
                                              "busy_poll",
                                              "work",
                                              "risk",
                                              "alert_webhook",
                                              "metrics"};
  for (const auto& kv : o)
    if (!known.count(std::string(kv.key())))
      r.fail("hedging", "unknown field '" + std::string(kv.key()) +
                            "'; known: retry_after_empty_ms, holding_s, max_legs, "
                            "unknown_bound_ms, warm_interval_us, cpu, busy_poll, work, "
                            "risk, alert_webhook, metrics");
  auto& h = c.hedging;
  auto retry = r.integer(o, "retry_after_empty_ms", "hedging", 250);
  if (retry < 10 || retry > 60'000) r.fail("hedging.retry_after_empty_ms", "must be 10..60000 ms");
  h.retry_after_empty = std::chrono::milliseconds(retry);
  auto holding = r.integer(o, "holding_s", "hedging", 60);
  if (holding < 0 || holding > 30 * 86'400)
    r.fail("hedging.holding_s", "must be 0..2592000 s (how long a hedge is expected to be held: funding and borrow)");
  h.plan.holding_ns = holding * 1'000'000'000;
  auto legs = r.integer(o, "max_legs", "hedging", 3);
  if (legs < 1 || legs > 10) r.fail("hedging.max_legs", "must be 1..10 (venues one hedge may be split across)");
  h.plan.max_legs = static_cast<int>(legs);
  auto unknown = r.integer(o, "unknown_bound_ms", "hedging", 5'000);
  if (unknown < 100 || unknown > 600'000)
    r.fail("hedging.unknown_bound_ms", "must be 100..600000 ms (how long an unknown outcome may last before the asset stops hedging)");
  h.intent.unknown_bound_ns = unknown * 1'000'000;
  auto warm = r.integer(o, "warm_interval_us", "hedging", 0);
  if (warm != 0 && (warm < 100 || warm > 1'000'000))
    r.fail("hedging.warm_interval_us",
           "must be 0 (off) or 100..1000000 us (how often the fill-to-order path is run dry to keep it warm)");
  h.warm_interval = std::chrono::microseconds(warm);
  if (o.if_contains("cpu")) {
    auto cpu = r.integer(o, "cpu", "hedging", -1);
    if (cpu < 0 || cpu > 1023)
      r.fail("hedging.cpu",
             "must be a CPU number 0..1023 (the core kept for the hedging loop); leave it out to "
             "not pin");
    c.hedging_cpu = static_cast<int>(cpu);
  }
  c.hedging_busy_poll = r.boolean(o, "busy_poll", false);
  if (c.hedging_busy_poll && c.hedging_cpu < 0)
    r.fail("hedging.busy_poll",
           "needs hedging.cpu: a loop that never sleeps takes its whole CPU, so it must have one "
           "kept for it (set hedging.cpu, or busy_poll false)");
  if (const auto* wv = r.opt(o, "work")) read_work(r, r.obj(*wv, "hedging.work"), h);
  if (o.if_contains("alert_webhook")) {
    std::string why;
    h.alert_webhook = hedging::parse_webhook_url(r.str(o, "alert_webhook", "hedging", std::string()), &why);
    if (!h.alert_webhook) r.fail("hedging.alert_webhook", why);
  }
  if (const auto* mv = r.opt(o, "metrics")) {
    // Operator data: served on loopback unless an address is given.
    const auto& m = r.obj(*mv, "hedging.metrics");
    for (const auto& kv : m)
      if (kv.key() != "listen" && kv.key() != "port")
        r.fail("hedging.metrics", "unknown field '" + std::string(kv.key()) + "'; known: listen, port");
    net::HttpServerOptions mo;
    mo.address = r.str(m, "listen", "hedging.metrics", std::string("127.0.0.1"));
    auto port = r.integer(m, "port", "hedging.metrics", 0);
    if (port < 0 || port > 65535) r.fail("hedging.metrics.port", "must be 0..65535 (0: any free port)");
    mo.port = static_cast<uint16_t>(port);
    h.metrics = mo;
  }
  auto* risk_v = r.opt(o, "risk");
  if (!risk_v) return;
  const auto& risk = r.obj(*risk_v, "hedging.risk");
  static const std::set<std::string> risk_known = {"max_position", "max_venue_usd", "stop_loss_usd",
                                                   "max_drawdown_usd", "margin"};
  for (const auto& kv : risk)
    if (!risk_known.count(std::string(kv.key())))
      r.fail("hedging.risk", "unknown field '" + std::string(kv.key()) +
                                 "'; known: max_position, max_venue_usd, stop_loss_usd, max_drawdown_usd, margin");
  std::set<std::string> assets, venues, listings;
  for (const auto& l : c.universe.listings) {
    assets.insert(hedging::canonical_asset(l.base));
    listings.insert(l.name);
  }
  for (const auto& i : c.universe.instruments) venues.insert(i.venue);
  auto& lim = c.hedging.risk;
  lim.max_position = limit_map(r, risk, "max_position", hedging::kAssetScale, "hedging.risk", assets, "listed asset");
  lim.max_venue_usd = limit_map(r, risk, "max_venue_usd", hedging::kUsdScale, "hedging.risk", venues, "venue");
  for (const auto& [name, stop] :
       limit_map(r, risk, "stop_loss_usd", hedging::kUsdScale, "hedging.risk", listings, "listing"))
    lim.listings[name] = {hedging::canonical_asset(c.universe.listing(name)->base), stop};
  if (risk.if_contains("max_drawdown_usd")) {
    lim.max_drawdown_usd = r.fixed(risk, "max_drawdown_usd", hedging::kUsdScale, "hedging.risk");
    if (lim.max_drawdown_usd <= 0) r.fail("hedging.risk.max_drawdown_usd", "must be above zero");
  }
  // "margin": { "<venue>": { "collateral_usd": "50000", "initial_margin": "0.1" } }, or from
  // the venue's own account: { "source": "venue", "initial_margin": "0.1", "max_read_age_ms": 15000
  // }
  if (const auto* mv = r.opt(risk, "margin")) {
    std::set<std::string> perp_venues;
    for (const auto& i : c.universe.instruments)
      if (i.kind != InstrumentKind::Spot) perp_venues.insert(i.venue);
    for (const auto& kv : r.obj(*mv, "hedging.risk.margin")) {
      std::string venue(kv.key()), here = "hedging.risk.margin." + venue;
      if (!perp_venues.count(venue)) {
        std::string list;
        for (const auto& v : perp_venues) list += (list.empty() ? "" : ", ") + v;
        r.fail("hedging.risk.margin", "'" + venue + "' is not a configured venue with perps; known: " + list);
      }
      const auto& m = r.obj(kv.value(), here);
      for (const auto& f : m)
        if (f.key() != "collateral_usd" && f.key() != "initial_margin" && f.key() != "source" &&
            f.key() != "max_read_age_ms")
          r.fail(here, "unknown field '" + std::string(f.key()) +
                           "'; known: source, collateral_usd, initial_margin, max_read_age_ms");
      hedging::RiskLimits::Margin mg;
      auto source = r.str(m, "source", here, std::string("configured"));
      if (source != "configured" && source != "venue")
        r.fail(here + ".source",
               "'" + source +
                   "' is not a margin source; choose configured (collateral_usd) or venue (the "
                   "venue's own account, read by the router)");
      mg.from_venue = source == "venue";
      if (!m.if_contains("initial_margin"))
        r.fail(here, "needs initial_margin (a fraction of notional, 0.1 = 10x)");
      if (mg.from_venue) {
        if (m.if_contains("collateral_usd"))
          r.fail(
              here + ".collateral_usd",
              "is for source configured; with source venue the venue's account says what is free");
        mg.max_read_age_ms = r.integer(m, "max_read_age_ms", here, 15'000);
        if (mg.max_read_age_ms < 1'000 || mg.max_read_age_ms > 600'000)
          r.fail(here + ".max_read_age_ms",
                 "must be 1000..600000 (the router reads accounts every 5 s)");
      } else {
        if (m.if_contains("max_read_age_ms"))
          r.fail(here + ".max_read_age_ms",
                 "is for source venue; source configured reads no account");
        if (!m.if_contains("collateral_usd"))
          r.fail(here, "needs collateral_usd (USD posted there) with source configured");
        mg.collateral_usd = r.fixed(m, "collateral_usd", hedging::kUsdScale, here);
        if (mg.collateral_usd <= 0) r.fail(here + ".collateral_usd", "must be above zero");
      }
      mg.initial_margin_ppm = r.fixed(m, "initial_margin", 6, here);
      if (mg.initial_margin_ppm <= 0 || mg.initial_margin_ppm > 1'000'000)
        r.fail(here + ".initial_margin", "must be above 0 and at most 1 (a fraction of notional: 0.1 = 10x leverage)");
      lim.margin[venue] = mg;
    }
  }
}

// A listing's "pricing" block: every field optional; see pricer/pricing_params.hpp.
void read_pricing(const Reader& r, const json::object& o, const std::string& where, const Listing& l, AppConfig& c) {
  static const std::set<std::string> known = {
      "min_venues", "outlier_bps", "max_book_age_ms", "adjust_half_life_s", "leader", "lead_horizon_ms",
      "vol_half_life_s", "vol_prior_bps", "vol_k", "vol_horizon_ms", "jump_window_ms", "jump_sigmas",
      "jump_floor_bps", "fair_max_age_ms", "impact_bps", "impact_window_s", "depth_band_bps",
      "skew_bps_at_limit", "max_inventory", "max_notional", "max_open_interest", "ladder"};
  for (const auto& kv : o)
    if (!known.count(std::string(kv.key())))
      r.fail(where, "unknown field '" + std::string(kv.key()) + "'; known: min_venues, outlier_bps, max_book_age_ms, "
                    "leader, vol_*, jump_*, impact_*, depth_band_bps, skew_bps_at_limit, max_inventory, max_notional, "
                    "max_open_interest, ladder, ...");
  pricer::PricingParams p;
  const int64_t ms = 1'000'000, s = 1'000'000'000;
  auto positive = [&](const char* key, int64_t def, int64_t unit) {
    int64_t v = r.integer(o, key, where, def);
    if (v <= 0) r.fail(where + "." + key, "must be positive");
    return v * unit;
  };
  auto bps = [&](const char* key, int64_t def_ppm) { return o.if_contains(key) ? bps_to_ppm(r, o, key, where) : def_ppm; };
  p.min_venues = static_cast<int>(r.integer(o, "min_venues", where, p.min_venues));
  if (p.min_venues < 1) r.fail(where + ".min_venues", "must be at least 1");
  p.outlier_ppm = bps("outlier_bps", p.outlier_ppm);
  if (o.if_contains("max_book_age_ms")) {
    p.max_book_age_ns = positive("max_book_age_ms", 0, ms);
    p.max_book_age_ns_set = true;
  }
  p.adjust_half_life_ns = positive("adjust_half_life_s", p.adjust_half_life_ns / s, s);
  p.leader = r.str(o, "leader", where, std::string());
  if (!p.leader.empty() && std::find(l.sources().begin(), l.sources().end(), p.leader) == l.sources().end())
    r.fail(where + ".leader", "'" + p.leader + "' is not one of the listing's price sources");
  p.lead_horizon_ns = positive("lead_horizon_ms", p.lead_horizon_ns / ms, ms);
  p.vol_half_life_ns = positive("vol_half_life_s", p.vol_half_life_ns / s, s);
  p.vol_prior_bps_per_sqrt_s = r.number(o, "vol_prior_bps", where, p.vol_prior_bps_per_sqrt_s);
  p.vol_k = r.number(o, "vol_k", where, p.vol_k);
  p.vol_horizon_ns = positive("vol_horizon_ms", p.vol_horizon_ns / ms, ms);
  p.jump_window_ns = positive("jump_window_ms", p.jump_window_ns / ms, ms);
  p.jump_sigmas = r.number(o, "jump_sigmas", where, p.jump_sigmas);
  p.jump_floor_ppm = bps("jump_floor_bps", p.jump_floor_ppm);
  p.fair_max_age_ns = positive("fair_max_age_ms", p.fair_max_age_ns / ms, ms);
  p.impact_ppm = bps("impact_bps", p.impact_ppm);
  p.impact_window_ns = positive("impact_window_s", p.impact_window_ns / s, s);
  p.depth_band_ppm = bps("depth_band_bps", p.depth_band_ppm);
  p.skew_ppm_at_limit = bps("skew_bps_at_limit", p.skew_ppm_at_limit);
  if (o.if_contains("max_inventory")) p.max_inventory = r.fixed(o, "max_inventory", l.qty_scale, where);
  if (o.if_contains("max_notional")) p.max_notional = r.fixed(o, "max_notional", l.price_scale, where);
  if (o.if_contains("max_open_interest")) p.max_open_interest = r.fixed(o, "max_open_interest", l.qty_scale, where);
  if (p.vol_k < 0 || p.jump_sigmas <= 0 || p.vol_prior_bps_per_sqrt_s < 0)
    r.fail(where, "vol_k and vol_prior_bps must not be negative, jump_sigmas must be positive");
  if (p.depth_band_ppm <= 0 || p.depth_band_ppm >= 1'000'000) r.fail(where + ".depth_band_bps", "must be in (0, 10000)");
  if (auto* lv = o.if_contains("ladder")) {
    if (!lv->is_array() || lv->as_array().empty()) r.fail(where + ".ladder", "must be a non-empty array of sizes (decimal strings)");
    std::vector<int64_t> sizes;
    for (const auto& e : lv->as_array()) {
      if (!e.is_string()) r.fail(where + ".ladder", "sizes must be decimal strings");
      auto d = Decimal::parse(e.as_string(), l.qty_scale);
      if (!d || d->units <= 0) r.fail(where + ".ladder", "'" + std::string(e.as_string()) + "' is not a positive size with at most " +
                                                             std::to_string(l.qty_scale) + " decimals");
      if (!sizes.empty() && d->units <= sizes.back()) r.fail(where + ".ladder", "sizes must increase");
      sizes.push_back(d->units);
    }
    c.pricer.ladders[l.name] = sizes;
  }
  c.pricer.params[l.name] = p;
}

eth::Address address_field(const Reader& r, const json::object& o, const char* key, const std::string& where) {
  auto s = r.str(o, key, where);
  auto a = eth::Address::parse(s);
  if (!a) r.fail(where + "." + key, "'" + s + "' is not an address (0x + 40 hex digits, a valid EIP-55 checksum if mixed case)");
  return *a;
}

// takers.chains: each chain whose settlements are watched, its node from the environment.
void read_chains(const Reader& r, const json::value& v, rfq::TakersConfig& t) {
  if (!v.is_array()) r.fail("takers.chains", "must be an array of {name, chain_id, rpc_url_env, ...}");
  static const std::set<std::string> known = {
      "name", "chain_id", "rpc_url_env", "ws_url_env", "confirmations", "poll_ms", "grace_s",
      "rpc_timeout_ms", "head_idle_ms", "max_head_age_s", "max_log_range", "wallet_refresh_ms",
      "wallet_max_age_ms"};
  for (size_t i = 0; i < v.as_array().size(); ++i) {
    std::string w = "takers.chains[" + std::to_string(i) + "]";
    const auto& co = r.obj(v.as_array()[i], w);
    for (const auto& kv : co)
      if (!known.count(std::string(kv.key())))
        r.fail(w, "unknown field '" + std::string(kv.key()) +
                      "'; known: name, chain_id, rpc_url_env, ws_url_env, confirmations, poll_ms, "
                      "grace_s, rpc_timeout_ms, head_idle_ms, max_head_age_s, max_log_range, "
                      "wallet_refresh_ms, wallet_max_age_ms");
    rfq::chain::ChainOptions c;
    c.name = r.str(co, "name", w);
    int64_t id = r.integer(co, "chain_id", w);
    if (id <= 0) r.fail(w + ".chain_id", "must be a positive EVM chain id (1 = Ethereum)");
    c.chain_id = static_cast<uint64_t>(id);
    c.rpc_url_env = r.str(co, "rpc_url_env", w);
    c.ws_url_env = r.str(co, "ws_url_env", w, std::string());
    auto ranged = [&](const char* k, int64_t def, int64_t lo, int64_t hi, const char* what) {
      int64_t x = r.integer(co, k, w, def);
      if (x < lo || x > hi)
        r.fail(w + "." + k, "must be " + std::to_string(lo) + ".." + std::to_string(hi) + " " + what);
      return x;
    };
    c.confirmations = static_cast<uint64_t>(ranged("confirmations", 2, 1, 1000, "blocks"));
    c.poll_ms = ranged("poll_ms", 1000, 50, 60'000, "ms");
    c.grace_s = static_cast<uint64_t>(ranged("grace_s", 60, 0, 86'400, "seconds past expiry"));
    c.rpc_timeout_ms = ranged("rpc_timeout_ms", 3000, 100, 60'000, "ms");
    c.head_idle_ms = ranged("head_idle_ms", 30'000, 1000, 600'000, "ms");
    c.max_head_age_s = ranged("max_head_age_s", 60, 1, 3600, "seconds");
    c.max_log_range = static_cast<uint64_t>(ranged("max_log_range", 2000, 1, 100'000, "blocks"));
    c.wallet_refresh_ms = ranged("wallet_refresh_ms", 10'000, 100, 600'000, "ms");
    c.wallet_max_age_ms = ranged("wallet_max_age_ms", 60'000, 1000, 3'600'000, "ms");
    if (c.wallet_max_age_ms <= c.wallet_refresh_ms)
      r.fail(w + ".wallet_max_age_ms", "must be above wallet_refresh_ms (" +
                                           std::to_string(c.wallet_refresh_ms) +
                                           " ms): a wallet read on time must never be too old");
    for (const auto& other : t.chains)
      if (other.chain_id == c.chain_id || other.name == c.name)
        r.fail(w, "chain " + c.name + " repeats the name or chain id of " + other.name);
    t.chains.push_back(std::move(c));
  }
}

void read_takers(const Reader& r, const json::object& o, AppConfig& c) {
  const std::string where = "takers";
  static const std::set<std::string> known = {"chain_id", "maker_key_file", "maker_key_env", "signing_threads", "tokens", "zeroex",
                                              "hashflow", "bebop", "chains", "settlement"};
  for (const auto& kv : o)
    if (!known.count(std::string(kv.key())))
      r.fail(where, "unknown field '" + std::string(kv.key()) +
                      "'; known: chain_id, maker_key_file, maker_key_env, signing_threads, tokens, zeroex, hashflow, bebop, chains, settlement");
  auto& t = c.takers;
  int64_t chain = r.integer(o, "chain_id", where, 1);
  if (chain <= 0) r.fail(where + ".chain_id", "must be a positive EVM chain id (1 = Ethereum)");
  t.chain_id = static_cast<uint64_t>(chain);
  t.maker_key_file = r.str(o, "maker_key_file", where, std::string());
  t.maker_key_env = r.str(o, "maker_key_env", where, std::string("AQ_MAKER_KEY"));
  auto threads = r.integer(o, "signing_threads", where, 1);
  if (threads < 0 || threads > 16) r.fail(where + ".signing_threads", "must be 0..16 (0 signs on the event loop)");
  t.signing_threads = static_cast<unsigned>(threads);
  if (auto* tv = r.opt(o, "tokens")) {
    if (!tv->is_array()) r.fail(where + ".tokens", "must be an array of {symbol, asset, address, decimals}");
    for (size_t i = 0; i < tv->as_array().size(); ++i) {
      std::string w = where + ".tokens[" + std::to_string(i) + "]";
      const auto& to = r.obj(tv->as_array()[i], w);
      rfq::Token tok;
      tok.symbol = r.str(to, "symbol", w);
      tok.asset = r.str(to, "asset", w);
      tok.address = address_field(r, to, "address", w);
      int64_t dec = r.integer(to, "decimals", w);
      if (dec < 0 || dec > 36) r.fail(w + ".decimals", "must be 0..36");
      tok.decimals = static_cast<unsigned>(dec);
      if (to.if_contains("floor")) {
        std::string f = r.str(to, "floor", w);
        auto units = aq::chain::parse_units(f, tok.decimals);
        if (!units)
          r.fail(w + ".floor", "'" + f + "' must be a plain amount of " + tok.symbol +
                                   " with at most " + std::to_string(tok.decimals) +
                                   " decimals (the wallet balance that raises an alert)");
        tok.floor = *units;
      }
      for (const auto& other : t.tokens)
        if (other.address == tok.address || other.asset == tok.asset)
          r.fail(w, "token " + tok.symbol + " repeats the address or asset of " + other.symbol);
      t.tokens.push_back(tok);
    }
  }
  if (auto* cv = r.opt(o, "chains")) read_chains(r, *cv, t);
  std::string settlement = r.str(o, "settlement", where, std::string("watched"));
  if (settlement != "watched" && settlement != "unwatched")
    r.fail(where + ".settlement",
           "'" + settlement + "': must be \"watched\" (fills settle on the chain of chain_id, "
           "followed through takers.chains) or \"unwatched\" (stand-ins and tests only)");
  t.unwatched = settlement == "unwatched";
  if (auto* zv = r.opt(o, "zeroex")) {
    std::string w = where + ".zeroex";
    const auto& zo = r.obj(*zv, w);
    auto& z = t.zeroex;
    z.enabled = r.boolean(zo, "enabled", true);
    z.http.address = r.str(zo, "listen", w, std::string("127.0.0.1"));
    z.http.port = r.port(zo, "port", w, 0);
    z.exchange_proxy = address_field(r, zo, "exchange_proxy", w);
    z.api_key_env = r.str(zo, "api_key_env", w, std::string("AQ_ZEROEX_API_KEY"));
    z.client_id = r.str(zo, "client_id", w, std::string("zeroex"));
    z.tier = r.str(zo, "tier", w, std::string("standard"));
    z.expiry_s = r.integer(zo, "expiry_s", w, 150);
    if (z.expiry_s < 60 || z.expiry_s > 3600)
      r.fail(w + ".expiry_s", "must be 60..3600 seconds (0x drops orders expiring within 60-120 s)");
    if (zo.if_contains("last_look_tolerance_bps")) z.last_look_tolerance_ppm = bps_to_ppm(r, zo, "last_look_tolerance_bps", w);
    z.sign_max_expiry_s = r.integer(zo, "sign_max_expiry_s", w, 600);
    if (z.sign_max_expiry_s < 30 || z.sign_max_expiry_s > 3600)
      r.fail(w + ".sign_max_expiry_s", "must be 30..3600 seconds (the longest an OTC order we sign may live)");
  }
  if (auto* hv = r.opt(o, "hashflow")) {
    std::string w = where + ".hashflow";
    const auto& ho = r.obj(*hv, w);
    auto& h = t.hashflow;
    h.enabled = r.boolean(ho, "enabled", true);
    h.host = r.str(ho, "host", w, std::string("maker-ws.hashflow.com"));
    h.port = r.port(ho, "port", w, 443);
    h.target = r.str(ho, "path", w, std::string("/v3"));
    h.tls = r.boolean(ho, "tls", h.port == 443);
    h.maker_name = r.str(ho, "maker_name", w);
    h.auth_env = r.str(ho, "auth_env", w, std::string("AQ_HASHFLOW_KEY"));
    h.pool = address_field(r, ho, "pool", w);
    if (ho.if_contains("external_account")) h.external_account = address_field(r, ho, "external_account", w);
    h.client_id = r.str(ho, "client_id", w, std::string("hashflow"));
    h.tier = r.str(ho, "tier", w, std::string("standard"));
    h.quote_ttl_s = r.integer(ho, "quote_ttl_s", w, 30);
    if (h.quote_ttl_s < 5 || h.quote_ttl_s > 600) r.fail(w + ".quote_ttl_s", "must be 5..600 seconds");
    h.levels_interval_ms = r.integer(ho, "levels_interval_ms", w, 1000);
    if (h.levels_interval_ms < 100 || h.levels_interval_ms > 10'000)
      r.fail(w + ".levels_interval_ms", "must be 100..10000 (Hashflow expects levels every second)");
  }
  if (auto* bv = r.opt(o, "bebop")) {
    std::string w = where + ".bebop";
    const auto& bo = r.obj(*bv, w);
    auto& b = t.bebop;
    b.enabled = r.boolean(bo, "enabled", true);
    b.host = r.str(bo, "host", w, std::string("api.bebop.xyz"));
    b.port = r.port(bo, "port", w, 443);
    b.tls = r.boolean(bo, "tls", b.port == 443);
    b.chain_slug = r.str(bo, "chain", w, std::string("ethereum"));
    b.auth_env = r.str(bo, "auth_env", w, std::string("AQ_BEBOP_KEY"));
    b.settlement = address_field(r, bo, "settlement", w);
    b.client_id = r.str(bo, "client_id", w, std::string("bebop"));
    b.tier = r.str(bo, "tier", w, std::string("standard"));
    b.pricing_interval_ms = r.integer(bo, "pricing_interval_ms", w, 500);
    if (b.pricing_interval_ms < 400 || b.pricing_interval_ms > 10'000)
      r.fail(w + ".pricing_interval_ms", "must be 400..10000 (Bebop ignores updates more often than every 400 ms)");
    b.max_expiry_s = r.integer(bo, "max_expiry_s", w, 300);
  }
  if (t.signs() && t.tokens.empty()) r.fail(where + ".tokens", "a signing gateway is enabled but no tokens are configured");
}

}  // namespace

AppConfig parse_config(const std::string& text, const std::string& origin) {
  Reader r{origin};
  boost::system::error_code ec;
  auto root_v = json::parse(text, ec);
  if (ec) r.fail("file", "not valid JSON (" + ec.message() + ")");
  const auto& root = r.obj(root_v, "top level");
  AppConfig c;

  if (auto* v = r.opt(root, "rfq")) {
    const auto& o = r.obj(*v, "rfq");
    c.rfq_listen = r.str(o, "listen", "rfq", std::string("127.0.0.1"));
    c.rfq_port = r.port(o, "port", "rfq", 8080);
    c.pricer_timeout = std::chrono::milliseconds(r.integer(o, "pricer_timeout_ms", "rfq", 250));
    c.rfq_rate_limit_per_s = r.integer(o, "rate_limit_per_s", "rfq", 50);
    if (c.rfq_rate_limit_per_s <= 0 || c.rfq_rate_limit_per_s > 1'000'000)
      r.fail("rfq.rate_limit_per_s", "must be 1..1000000 requests per second per client (the default; a client's own limit wins)");
    auto& n = c.native;
    n.key_master_file = r.str(o, "client_key_master_file", "rfq", n.key_master_file);
    n.key_master_env = r.str(o, "client_key_master_env", "rfq", n.key_master_env);
    auto window = r.integer(o, "auth_window_ms", "rfq", n.auth_window.count());
    if (window < 100 || window > 60'000)
      r.fail("rfq.auth_window_ms", "must be 100..60000 ms (how far a signed request's X-AQ-TS may be from our clock)");
    n.auth_window = std::chrono::milliseconds(window);
    auto interval = r.integer(o, "stream_interval_ms", "rfq", n.stream_interval.count());
    if (interval < 50 || interval > 10'000)
      r.fail("rfq.stream_interval_ms", "must be 50..10000 ms (the fastest pace of level updates on /v1/ws)");
    n.stream_interval = std::chrono::milliseconds(interval);
    auto read_ms = r.integer(o, "read_timeout_ms", "rfq", c.rfq_read_timeout.count());
    if (read_ms < 200 || read_ms > 120'000)
      r.fail("rfq.read_timeout_ms", "must be 200..120000 ms (a client slower than this to send a request is disconnected)");
    c.rfq_read_timeout = std::chrono::milliseconds(read_ms);
    auto cache_ms = r.integer(o, "indicative_cache_ms", "rfq", c.indicative_cache.count());
    if (cache_ms < 0 || cache_ms > 1'000)
      r.fail("rfq.indicative_cache_ms", "must be 0..1000 ms (how long an indicative price is answered again for the same ask; 0: always ask the pricer)");
    c.indicative_cache = std::chrono::milliseconds(cache_ms);
  }
  if (auto* v = r.opt(root, "bus")) {
    const auto& o = r.obj(*v, "bus");
    auto transport = r.str(o, "transport", "bus", std::string("inproc"));
    for (const auto& kv : o)
      if (kv.key() != "transport" && kv.key() != "ipc_dir" && kv.key() != "endpoints" &&
          kv.key() != "curve_secret_env")
        r.fail("bus", "unknown field '" + std::string(kv.key()) +
                          "'; known: transport, ipc_dir, endpoints, curve_secret_env");
    c.bus_curve_secret_env = r.str(o, "curve_secret_env", "bus", std::string());
    if (transport == "ipc") c.endpoints = bus::Endpoints::ipc_in(r.str(o, "ipc_dir", "bus"));
    else if (transport != "inproc" && transport != "custom")
      r.fail("bus.transport", "'" + transport + "' is not one of inproc, ipc, custom");
    // Any socket can be placed explicitly, e.g. "tcp://10.0.0.5:7001" for another host.
    if (auto* eps = r.opt(o, "endpoints")) {
      const auto& e = r.obj(*eps, "bus.endpoints");
      for (const auto& [k, value] : e) {
        bool known = false;
        for (auto& [name, slot] : c.endpoints.named()) {
          if (k != name) continue;
          known = true;
          if (!value.is_string()) r.fail("bus.endpoints." + std::string(k), "must be a string");
          std::string ep(value.as_string());
          if (ep.rfind("inproc://", 0) != 0 && ep.rfind("ipc://", 0) != 0 && ep.rfind("tcp://", 0) != 0)
            r.fail("bus.endpoints." + std::string(k), "'" + ep + "' must start with inproc://, ipc:// or tcp://");
          *slot = ep;
          if (ep.rfind("tcp://", 0) == 0 && c.bus_curve_secret_env.empty())
            r.fail(
                "bus.endpoints." + std::string(k),
                "'" + ep +
                    "' is tcp://, which would carry hedge orders and operator "
                    "commands with no authentication: set bus.curve_secret_env to the environment "
                    "variable holding the deployment's bus key ('aqueduct bus-key' makes one)");
        }
        if (!known)
          r.fail("bus.endpoints." + std::string(k),
                 "unknown socket; known: " + bus::Endpoints::names());
      }
    }
  }
  if (auto* v = r.opt(root, "simulator")) {
    const auto& o = r.obj(*v, "simulator");
    c.sim_enabled = r.boolean(o, "enabled", true);
    c.sim_listen = r.str(o, "listen", "simulator", std::string("127.0.0.1"));
    c.sim_port = r.port(o, "port", "simulator", 0);
    c.sim_seed = static_cast<uint64_t>(r.integer(o, "seed", "simulator", 42));
    c.sim_tick = std::chrono::milliseconds(r.integer(o, "tick_ms", "simulator", 100));
    auto funding_s = r.integer(o, "funding_interval_s", "simulator", 8 * 3600);
    if (funding_s < 1 || funding_s > 86'400)
      r.fail("simulator.funding_interval_s", "must be 1..86400 s (how often simulated perps settle funding)");
    c.sim_funding_interval_ms = funding_s * 1000;
    if (auto* pv = o.if_contains("path")) {
      const auto& po = r.obj(*pv, "simulator.path");
      c.sim_path_step_ms = r.integer(po, "step_ms", "simulator.path", 100);
      if (c.sim_path_step_ms <= 0) r.fail("simulator.path.step_ms", "must be positive");
      if (auto* cv = po.if_contains("correlation")) {
        if (!cv->is_number()) r.fail("simulator.path.correlation", "must be a number in 0..1");
        c.sim_correlation = cv->to_number<double>();
        if (c.sim_correlation < 0 || c.sim_correlation > 1) r.fail("simulator.path.correlation", "must be in 0..1");
      }
      const auto& av = r.req(po, "vol_bps_per_step", "simulator.path");
      for (const auto& [asset, vol] : r.obj(av, "simulator.path.vol_bps_per_step")) {
        if (!vol.is_number() || vol.to_number<double>() < 0 || vol.to_number<double>() > 1000)
          r.fail("simulator.path.vol_bps_per_step." + std::string(asset), "must be a number of basis points in 0..1000");
        c.sim_assets.push_back({std::string(asset), vol.to_number<double>() / 10'000.0});
      }
    }
  }
  if (auto* v = r.opt(root, "venues")) {
    for (const auto& [name, vv] : r.obj(*v, "venues")) {
      std::string where = "venues." + std::string(name);
      const auto& o = r.obj(vv, where);
      VenueConfig vc;
      vc.name = name;
      std::string default_protocol = vc.name == "binance" ? "binance_spot" : vc.name;
      vc.protocol = r.str(o, "protocol", where, default_protocol);
      static const std::set<std::string> protocols = {"binance_spot", "binance_usdm", "okx", "bybit", "bitmex", "coinbase"};
      if (!protocols.count(vc.protocol))
        r.fail(where + ".protocol", "'" + vc.protocol +
                                        "' is not supported; choose binance_spot, binance_usdm, okx, bybit, bitmex or coinbase");
      vc.host = r.str(o, "host", where, std::string("127.0.0.1"));
      vc.port = r.port(o, "port", where, 0);
      std::string env_prefix = "AQ_";
      for (char ch : vc.name) env_prefix += static_cast<char>(std::toupper(static_cast<unsigned char>(ch)));
      vc.api_key_env = r.str(o, "api_key_env", where, env_prefix + "_API_KEY");
      vc.api_secret_env = r.str(o, "api_secret_env", where, env_prefix + "_API_SECRET");
      vc.api_passphrase_env = r.str(o, "api_passphrase_env", where, env_prefix + "_API_PASSPHRASE");
      vc.stale_after = std::chrono::milliseconds(r.integer(o, "stale_after_ms", where, 1000));
      vc.record_dir = r.str(o, "record_dir", where, std::string());
      vc.max_book_age_ms = r.integer(o, "max_book_age_ms", where, 0);
      if (vc.max_book_age_ms < 0) r.fail(where + ".max_book_age_ms", "must be positive (0: the pricer's default)");
      vc.sim_lag_ms = r.integer(o, "sim_lag_ms", where, 0);
      vc.sim_collateral = r.str(o, "sim_collateral", where, std::string());
      if (!vc.sim_collateral.empty()) {
        auto d = Decimal::parse(vc.sim_collateral, 8);
        if (!d || d->units <= 0)
          r.fail(where + ".sim_collateral",
                 "'" + vc.sim_collateral + "' must be a positive amount with at most 8 decimals");
      }
      vc.verify_metadata = r.boolean(o, "verify_metadata", true);
      vc.tls = r.boolean(o, "tls", false);
      vc.tls_ca_file = r.str(o, "tls_ca_file", where, std::string());
      if (vc.sim_lag_ms < 0 || vc.sim_lag_ms > 60'000) r.fail(where + ".sim_lag_ms", "must be 0..60000");
      c.venues.push_back(vc);
    }
  }
  const auto& insts = r.req(root, "instruments", "top level");
  if (!insts.is_array()) r.fail("instruments", "must be an array");
  for (size_t i = 0; i < insts.as_array().size(); ++i) {
    std::string where = "instruments[" + std::to_string(i) + "]";
    const auto& o = r.obj(insts.as_array()[i], where);
    Instrument in;
    in.venue = r.str(o, "venue", where);
    in.symbol = r.str(o, "symbol", where);
    if (!parse_instrument_kind(r.str(o, "kind", where), in.kind))
      r.fail(where + ".kind", "must be spot, linear, inverse or quanto");
    in.base = r.str(o, "base", where);
    in.quote = r.str(o, "quote", where);
    in.settle = r.str(o, "settle", where, in.quote);
    in.price_scale = static_cast<int>(r.integer(o, "price_scale", where));
    in.qty_scale = static_cast<int>(r.integer(o, "qty_scale", where));
    if (in.price_scale < 0 || in.price_scale > 8 || in.qty_scale < 0 || in.qty_scale > 8)
      r.fail(where, "price_scale and qty_scale must be 0..8");
    in.tick = r.fixed(o, "tick", in.price_scale, where);
    in.lot = r.fixed(o, "lot", in.qty_scale, where);
    in.min_qty = r.fixed(o, "min_qty", in.qty_scale, where);
    if (in.tick <= 0 || in.lot <= 0 || in.min_qty <= 0) r.fail(where, "tick, lot and min_qty must be positive");
    in.taker_fee_ppm = bps_to_ppm(r, o, "taker_fee_bps", where);
    in.maker_fee_ppm = o.if_contains("maker_fee_bps") ? bps_to_ppm(r, o, "maker_fee_bps", where) : in.taker_fee_ppm;
    if (o.if_contains("multiplier")) {
      // Contract size in the unit the venue states (OKX ctVal 0.01 BTC; BitMEX XBTUSD -100000000 XBt).
      auto mult = r.str(o, "multiplier", where);
      ParseError why{};
      auto m = Decimal::parse_natural(mult, &why);
      if (!m || m->units == 0)
        r.fail(where + ".multiplier", "'" + mult + "' is not a non-zero decimal (e.g. \"0.01\" or \"-100000000\")");
      in.multiplier = *m;
    }
    try {
      (void)contract_size(in);  // the venue's convention read once, here, not on a fill
    } catch (const std::invalid_argument& e) {
      r.fail(where + ".multiplier", e.what());
    }
    c.universe.instruments.push_back(in);
    if (o.if_contains("sim_start_mid")) {
      sim::SimInstrument si;
      si.instrument = in;
      si.start_mid = r.fixed(o, "sim_start_mid", in.price_scale, where);
      si.book.level_step = r.fixed(o, "sim_level_step", in.price_scale, where);
      si.book.half_spread = in.tick;
      si.book.base_qty = r.fixed(o, "sim_best_qty", in.qty_scale, where);
      si.max_step_ticks = r.integer(o, "sim_max_step_ticks", where, 40);
      c.sim_instruments.push_back(si);
    }
  }
  const auto& lists = r.req(root, "listings", "top level");
  if (!lists.is_array()) r.fail("listings", "must be an array");
  for (size_t i = 0; i < lists.as_array().size(); ++i) {
    std::string where = "listings[" + std::to_string(i) + "]";
    const auto& o = r.obj(lists.as_array()[i], where);
    Listing l;
    l.name = r.str(o, "name", where);
    l.base = r.str(o, "base", where);
    l.quote = r.str(o, "quote", where);
    l.price_scale = static_cast<int>(r.integer(o, "price_scale", where));
    l.qty_scale = static_cast<int>(r.integer(o, "qty_scale", where));
    if (l.price_scale < 0 || l.price_scale > 8 || l.qty_scale < 0 || l.qty_scale > 8)
      r.fail(where, "price_scale and qty_scale must be 0..8");
    l.spread_ppm = bps_to_ppm(r, o, "spread_bps", where);
    l.min_qty = r.fixed(o, "min_qty", l.qty_scale, where);
    l.max_qty = r.fixed(o, "max_qty", l.qty_scale, where);
    l.quote_ttl_ms = r.integer(o, "quote_ttl_ms", where, 3000);
    if (r.opt(o, "max_outstanding")) l.max_outstanding = r.fixed(o, "max_outstanding", l.qty_scale, where);
    l.hedge_threshold = r.fixed(o, "hedge_threshold", l.qty_scale, where);
    l.hedge_slippage_ppm = bps_to_ppm(r, o, "hedge_slippage_bps", where);
    l.hedge_instruments = instrument_keys(r, r.req(o, "hedge", where), where + ".hedge", c.universe, l.base);
    // A hedge must be placeable: its venue needs order entry (the router has none for Coinbase).
    static const std::set<std::string> order_entry = {"binance_spot", "binance_usdm", "okx", "bybit", "bitmex"};
    for (const auto& key : l.hedge_instruments) {
      const VenueConfig* vc = c.venue(c.universe.instrument(key)->venue);
      if (vc && !order_entry.count(vc->protocol))
        r.fail(where + ".hedge", "'" + key + "' is on " + vc->name + " (protocol " + vc->protocol +
                                     "), which has no order entry; hedge on binance_spot, binance_usdm, okx, bybit "
                                     "or bitmex venues");
    }
    if (auto* pv = r.opt(o, "price_from"))
      l.price_sources = instrument_keys(r, *pv, where + ".price_from", c.universe, l.base);
    if (auto* pv = r.opt(o, "pricing")) read_pricing(r, r.obj(*pv, where + ".pricing"), where + ".pricing", l, c);
    c.universe.listings.push_back(l);
  }
  if (const auto* sv = r.opt(root, "simulator"); sv && sv->is_object() && sv->as_object().if_contains("faults")) {
    // Scripted faults, checked against the venues and simulated instruments read above.
    const auto& fv = sv->as_object().at("faults");
    if (!fv.is_array()) r.fail("simulator.faults", "must be an array of {at_ms, venue, symbol, fault, ...}");
    for (size_t i = 0; i < fv.as_array().size(); ++i) {
      std::string where = "simulator.faults[" + std::to_string(i) + "]";
      const auto& o = r.obj(fv.as_array()[i], where);
      sim::ScriptedFault f;
      f.at_ms = r.integer(o, "at_ms", where);
      if (f.at_ms < 0) r.fail(where + ".at_ms", "must be 0 or more (milliseconds after the simulator starts)");
      f.venue = r.str(o, "venue", where);
      if (!c.venue(f.venue)) r.fail(where + ".venue", "'" + f.venue + "' is not a configured venue");
      auto kind = sim::fault_kind(r.str(o, "fault", where));
      if (!kind) r.fail(where + ".fault", std::string("must be one of ") + sim::kFaultKinds);
      f.kind = *kind;
      if (f.kind != sim::ScriptedFault::Kind::Disconnect) {
        f.symbol = r.str(o, "symbol", where);
        bool simulated = false;
        for (const auto& si : c.sim_instruments)
          simulated |= si.instrument.venue == f.venue && si.instrument.symbol == f.symbol;
        if (!simulated) r.fail(where + ".symbol", "'" + f.symbol + "' is not simulated on " + f.venue);
      }
      if (f.kind == sim::ScriptedFault::Kind::Jump) {
        f.bps = r.integer(o, "bps", where);
        if (f.bps == 0 || f.bps <= -10'000 || f.bps > 100'000)
          r.fail(where + ".bps", "must be a non-zero move in basis points, above -10000 (e.g. -500 for a 5% crash)");
      }
      if (f.kind == sim::ScriptedFault::Kind::Silence || f.kind == sim::ScriptedFault::Kind::Freeze) {
        f.duration_ms = r.integer(o, "duration_ms", where);
        if (f.duration_ms <= 0) r.fail(where + ".duration_ms", "must be positive (how long the fault lasts)");
      }
      c.sim_faults.push_back(f);
    }
  }
  if (auto* v = r.opt(root, "pricer")) {
    const auto& po = r.obj(*v, "pricer");
    c.max_book_age_ms = r.integer(po, "max_book_age_ms", "pricer", 2000);
    if (auto* tv = r.opt(po, "tiers")) {
      if (!tv->is_array()) r.fail("pricer.tiers", "must be an array of {name, markup_bps}; the first is the default tier");
      for (size_t i = 0; i < tv->as_array().size(); ++i) {
        std::string where = "pricer.tiers[" + std::to_string(i) + "]";
        const auto& to = r.obj(tv->as_array()[i], where);
        pricer::Tier t{r.str(to, "name", where), bps_to_ppm(r, to, "markup_bps", where)};
        if (t.markup_ppm < 0) r.fail(where + ".markup_bps", "must not be negative");
        c.pricer.tiers.push_back(t);
      }
    }
  }
  // Every listing's pricing: the global book age unless the listing or a venue says otherwise.
  for (const auto& l : c.universe.listings) {
    auto& p = c.pricer.params[l.name];
    if (!p.max_book_age_ns_set) p.max_book_age_ns = c.max_book_age_ms * 1'000'000;
    for (const auto& key : l.sources()) {
      const Instrument* in = c.universe.instrument(key);
      const VenueConfig* vc = in ? c.venue(in->venue) : nullptr;
      if (vc && vc->max_book_age_ms > 0) p.venue_max_age_ns.emplace_back(key, vc->max_book_age_ms * 1'000'000);
    }
  }
  if (auto* v = r.opt(root, "takers")) read_takers(r, r.obj(*v, "takers"), c);
  if (auto* v = r.opt(root, "hedging")) read_hedging(r, r.obj(*v, "hedging"), c);
  if (auto* v = r.opt(root, "router")) {
    const auto& o = r.obj(*v, "router");
    for (const auto& kv : o)
      if (kv.key() != "account_interval_ms")
        r.fail("router",
               "unknown field '" + std::string(kv.key()) + "'; known: account_interval_ms");
    auto ms = r.integer(o, "account_interval_ms", "router", 5000);
    if (ms < 1000 || ms > 600'000)
      r.fail("router.account_interval_ms",
             "must be 1000..600000 ms (how often each venue's derivatives account is read)");
    c.router_account_interval = std::chrono::milliseconds(ms);
  }
  return c;
}

AppConfig load_config(const std::string& path) {
  std::ifstream in(path);
  if (!in) throw std::runtime_error("cannot read config file '" + path + "'");
  std::stringstream ss;
  ss << in.rdbuf();
  return parse_config(ss.str(), path);
}

}  // namespace aq::app
