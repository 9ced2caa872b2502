#include "aqueduct/pricer/listing_pricer.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>

namespace aq::pricer {

namespace msg = aqueduct::msg;

namespace {

constexpr int64_t kPpm = 1'000'000;

PriceResult refuse(msg::RefusalReason r, std::string detail) {
  PriceResult out;
  out.refusal = {r, std::move(detail)};
  return out;
}

// fair * ppm / 1e6, rounded up: a spread term never rounds in the taker's favour.
int64_t spread_of(int64_t fair, int64_t ppm) {
  return ppm <= 0 ? 0 : div_round(static_cast<int128>(fair) * ppm, kPpm, Rounding::Up);
}

std::string sigma_text(double bps) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.2f", bps);
  return buf;
}

std::string venues_summary(const ConsolidatedBook& b) {
  std::string s;
  for (const auto& v : b.venues()) s += (s.empty() ? "" : "; ") + v.why();
  return s.empty() ? "no venue configured to price from" : s;
}

}  // namespace

ListingPricer::ListingPricer(const Listing& listing, std::vector<ConsolidatedBook::Source> sources,
                             PricingParams params)
    : listing_(&listing),
      params_(std::move(params)),
      book_(listing, std::move(sources), params_),
      vol_(params_.vol_half_life_ns, params_.vol_prior_bps_per_sqrt_s),
      jumps_(book_.venues().size(),
             JumpDetector(params_.jump_window_ns, params_.jump_sigmas, params_.jump_floor_ppm)),
      lead_(params_.lead_horizon_ns, params_.lead_half_life_ns),
      flow_(params_.impact_window_ns) {
  for (size_t i = 0; i < book_.venues().size(); ++i)
    if (!params_.leader.empty() && book_.venues()[i].instrument->key() == params_.leader)
      leader_ = i;
}

int64_t ListingPricer::followers_fair(size_t leader) const {
  int128 num = 0, den = 0;
  const auto& vs = book_.venues();
  for (size_t i = 0; i < vs.size(); ++i) {
    if (i == leader || vs[i].status != VenueStatus::Live) continue;
    int128 w = static_cast<int128>(vs[i].depth_bid) + vs[i].depth_ask + 1;
    num += w * vs[i].micro;
    den += w;
  }
  return den == 0 ? 0 : div_round(num, den, Rounding::HalfEven);
}

void ListingPricer::refresh(int64_t now_ns) {
  if (now_ns == refreshed_ns_) return;
  refreshed_ns_ = now_ns;
  book_.evaluate(now_ns);
  fair_ = book_.fair();
  fair_ns_ = book_.last_update_ns();
  // Jumps, venue by venue, against the volatility seen so far.
  const auto& vs = book_.venues();
  int fresh = 0, jumped = 0;
  size_t worst = vs.size();
  JumpDetector::Jump worst_jump;
  for (size_t i = 0; i < vs.size(); ++i) {
    if (vs[i].status != VenueStatus::Live && vs[i].status != VenueStatus::Outlier) continue;
    ++fresh;
    auto j = jumps_[i].observe(std::llround(vs[i].plain_mid), now_ns, vol_.sigma());
    if (!j.jumped) continue;
    ++jumped;
    if (worst == vs.size() || std::llabs(j.move_ppm) > std::llabs(worst_jump.move_ppm)) {
      worst = i;
      worst_jump = j;
    }
  }
  if (jumped > 0 && jumped * 2 > fresh && !breaker_.tripped) {
    breaker_.tripped = true;
    breaker_.at_ns = now_ns;
    breaker_.reason =
        std::to_string(jumped) + " of " + std::to_string(fresh) + " venues moved more than " +
        std::to_string(worst_jump.allowed_ppm / 100) + " bps within " +
        std::to_string(params_.jump_window_ns / 1'000'000) + " ms (" + vs[worst].instrument->key() +
        " " + (worst_jump.move_ppm > 0 ? "+" : "") + std::to_string(worst_jump.move_ppm / 100) +
        " bps; sigma " + sigma_text(vol_.sigma_bps()) + " bps per sqrt(s))";
  }
  if (fair_ <= 0) return;
  // Lead-lag: lean toward where the followers are going when the leader is live.
  if (leader_ < book_.venues().size() && book_.venues()[leader_].status == VenueStatus::Live) {
    const auto& L = book_.venues()[leader_];
    int64_t followers = followers_fair(leader_);
    if (followers > 0) {
      double e = lead_.observe(L.mid, followers, now_ns);
      int128 total = static_cast<int128>(book_.depth(Side::Buy)) + book_.depth(Side::Sell);
      double w_leader =
          total > 0 ? static_cast<double>(L.depth_bid + L.depth_ask) / static_cast<double>(total)
                    : 0.5;
      fair_ += std::llround((1.0 - w_leader) * lead_.beta() * e);
    }
  }
  vol_.observe(fair_, now_ns);
}

void ListingPricer::on_fill(Side taker_side, int64_t qty, int64_t now_ns) {
  flow_.add(taker_side, qty, now_ns);
}

PriceResult ListingPricer::price(Side side, int64_t qty, const Tier& tier, int64_t now_ns,
                                 bool killed) {
  const Listing& l = *listing_;
  auto qty_str = [&](int64_t q) { return Decimal{q, l.qty_scale}.to_trimmed_string(); };
  if (killed)
    return refuse(msg::REFUSAL_KILL_SWITCH,
                  "all quoting is stopped by the operator kill switch; nothing is priced until it "
                  "is released");
  refresh(now_ns);
  if (breaker_.tripped)
    return refuse(msg::REFUSAL_CIRCUIT_BREAKER,
                  l.name + " stopped quoting: " + breaker_.reason + "; an operator must re-arm it");
  if (qty < l.min_qty)
    return refuse(msg::REFUSAL_SIZE_TOO_SMALL, "size " + qty_str(qty) + " is below the minimum " +
                                                   qty_str(l.min_qty) + " for " + l.name);
  if (l.max_qty > 0 && qty > l.max_qty)
    return refuse(msg::REFUSAL_SIZE_TOO_LARGE, "size " + qty_str(qty) + " is above the maximum " +
                                                   qty_str(l.max_qty) + " for " + l.name);

  int min_venues = std::max(1, params_.min_venues);
  if (book_.live_count() < min_venues) {
    bool stale = std::any_of(book_.venues().begin(), book_.venues().end(),
                             [](const auto& v) { return v.status == VenueStatus::Stale; });
    auto reason = book_.live_count() > 0 ? msg::REFUSAL_TOO_FEW_VENUES
                  : stale                ? msg::REFUSAL_STALE_BOOK
                                         : msg::REFUSAL_NO_LIVE_BOOK;
    return refuse(reason, "cannot price " + qty_str(qty) + " " + l.name + ": " +
                              std::to_string(book_.live_count()) + " live venue(s), " +
                              std::to_string(min_venues) + " required (" + venues_summary(book_) +
                              ")");
  }
  if (now_ns - fair_ns_ > params_.fair_max_age_ns)
    return refuse(msg::REFUSAL_STALE_FAIR_VALUE,
                  l.name + " fair value last moved " +
                      std::to_string((now_ns - fair_ns_) / 1'000'000) + " ms ago (limit " +
                      std::to_string(params_.fair_max_age_ns / 1'000'000) + " ms)");
  int64_t fair = fair_;
  const int64_t unit = ConsolidatedBook::pricing_scale_factor();
  if (params_.max_notional > 0) {
    int64_t notional = div_round(static_cast<int128>(qty) * fair,
                                 static_cast<int128>(pow10(l.qty_scale)) * unit, Rounding::Up);
    if (notional > params_.max_notional)
      return refuse(msg::REFUSAL_NOTIONAL_TOO_LARGE,
                    "notional " + Decimal{notional, l.price_scale}.to_trimmed_string() + " " +
                        l.quote + " is above the maximum " +
                        Decimal{params_.max_notional, l.price_scale}.to_trimmed_string() + " for " +
                        l.name);
  }
  int64_t flow = flow_.peek(side, now_ns);
  if (params_.max_open_interest > 0 && flow + qty > params_.max_open_interest)
    return refuse(msg::REFUSAL_OPEN_INTEREST_LIMIT,
                  "taker " + std::string(to_string(side)) + " flow of " + qty_str(flow) + " " +
                      l.base + " in the last " +
                      std::to_string(params_.impact_window_ns / 1'000'000'000) + " s plus " +
                      qty_str(qty) + " exceeds the open-interest limit " +
                      qty_str(params_.max_open_interest) + " for " + l.name);

  ConsolidatedWalk w = book_.walk(side, qty);
  if (!w.complete)
    return refuse(msg::REFUSAL_INSUFFICIENT_DEPTH,
                  "cannot price " + qty_str(qty) + " " + l.name + ": only " + qty_str(w.filled) +
                      " available across " + std::to_string(book_.live_count()) + " live venue(s)");
  int64_t depth = book_.depth(side);
  if (depth <= 0)
    return refuse(msg::REFUSAL_INSUFFICIENT_DEPTH,
                  "cannot price " + l.name + ": no depth within " +
                      std::to_string(params_.depth_band_ppm / 100) + " bps of the mid");

  bool ask = side == Side::Buy;
  int d = ask ? 1 : -1;
  Price p;
  p.taker_side = side;
  p.qty = qty;
  p.tier = tier.name;
  PriceTerms& t = p.terms;
  t.fair = fair;
  int64_t cost = div_round(w.notional, qty, ask ? Rounding::Up : Rounding::Down);
  t.fee = div_round(w.fee_notional, qty, Rounding::HalfEven);
  t.hedge_vwap = cost - d * t.fee;
  t.base_spread = spread_of(fair, l.spread_ppm);
  t.sigma_bps = vol_.sigma_bps();
  double vol_frac =
      params_.vol_k * vol_.sigma() * std::sqrt(static_cast<double>(params_.vol_horizon_ns) / 1e9);
  t.vol_spread = spread_of(fair, std::llround(vol_frac * 1e6));
  t.impact_spread = params_.impact_ppm <= 0
                        ? 0
                        : div_round(static_cast<int128>(fair) * params_.impact_ppm *
                                        (2 * static_cast<int128>(flow) + qty),
                                    static_cast<int128>(2) * depth * kPpm, Rounding::Up);
  t.markup = spread_of(fair, tier.markup_ppm);
  if (params_.max_inventory > 0 && params_.skew_ppm_at_limit > 0) {
    int64_t inv = std::clamp(inventory_, -params_.max_inventory, params_.max_inventory);
    t.skew = -div_round(static_cast<int128>(fair) * params_.skew_ppm_at_limit * inv,
                        static_cast<int128>(params_.max_inventory) * kPpm, Rounding::HalfEven);
  }
  int64_t pre = cost + d * (t.base_spread + t.vol_spread + t.impact_spread + t.markup) + t.skew;
  // Never sell below or buy above the fair value, however long or short we are.
  if (ask && pre < fair) {
    t.skew += fair - pre;
    pre = fair;
  } else if (!ask && pre > fair) {
    t.skew -= pre - fair;
    pre = fair;
  }
  p.price = ask ? div_round(pre, unit, Rounding::Up) : div_round(pre, unit, Rounding::Down);
  t.rounding = p.price * unit - pre;
  if (p.price <= 0)
    return refuse(msg::REFUSAL_INSUFFICIENT_DEPTH,
                  "the price of " + qty_str(qty) + " " + l.name + " would not be positive");
  t.live_venues = book_.live_count();
  for (const auto& v : book_.venues())
    if (v.status == VenueStatus::Live)
      t.oldest_book_ms = std::max(t.oldest_book_ms, v.age_ns / 1'000'000);
  t.shares.reserve(w.venues_used);
  for (size_t k = 0; k < w.venues_used; ++k) {
    const auto& a = w.alloc[k];
    t.shares.push_back({book_.venues()[a.venue].instrument, a.qty,
                        div_round(a.notional, a.qty, Rounding::HalfEven)});
  }
  std::sort(t.shares.begin(), t.shares.end(),
            [](const auto& x, const auto& y) { return x.qty > y.qty; });
  PriceResult out;
  out.price = std::move(p);
  return out;
}

}  // namespace aq::pricer
