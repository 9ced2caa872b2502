#include "aqueduct/hedging/hedge_planner.hpp"

#include <algorithm>
#include <map>
#include <optional>
#include <queue>

#include "aqueduct/hedging/contract_math.hpp"

namespace aq::hedging {

namespace {

constexpr int64_t kPpm = 1'000'000;
constexpr int64_t kPpb = 1'000'000'000;
constexpr int64_t kDayNs = 86'400LL * 1'000'000'000;

// A level's price in USD per base at kUnitPriceScale.
int64_t unit_usd(const HedgeCandidate& c, int64_t price) {
  return ratio_at({c.inst->price(price), c.quote_usd}, {}, kUnitPriceScale, Rounding::HalfEven);
}

// base (kAssetScale) x USD per base (kUnitPriceScale) -> USD at kUsdScale.
int64_t usd_of(int64_t base, int64_t per_base) {
  return ratio_at({Decimal{base, kAssetScale}, Decimal{per_base, kUnitPriceScale}}, {}, kUsdScale,
                  Rounding::HalfEven);
}

int64_t abs64(int64_t v) {
  return v < 0 ? -v : v;
}

struct Slice {
  size_t cand;
  size_t level;
  int64_t unit_cost;           // USD per base, kUnitPriceScale, all terms
  int64_t fee, carry, health;  // per base, kUnitPriceScale
};

struct Working {
  HedgeLeg leg;
  int64_t headroom = 0;  // base still allowed, kAssetScale (abs)
  int64_t mid_usd = 0;
  int128 usd_sum = 0;  // Σ base x unit price, for the VWAP
  bool used = false;
  std::string why;  // why it took nothing
  std::string capped_by;  // what set the headroom below the hedge (a limit, the free margin)
  int64_t best_cost = 0;
  bool live = false;       // has levels to offer
  size_t next_level = 0;   // the next level to price
  int64_t cumulative = 0;  // base of the levels priced so far (abs)
  int64_t holding = 0;     // spot held that a sell uses before borrowing (abs)
};

}  // namespace

int64_t hedge_limit_price(int64_t worst, Side side, int64_t slippage_ppm, int64_t tick) {
  bool buy = side == Side::Buy;
  int64_t raw = mul_div(worst, buy ? kPpm + slippage_ppm : kPpm - slippage_ppm, kPpm,
                        buy ? Rounding::Down : Rounding::Up);
  if (tick <= 0) return raw;
  return buy ? raw / tick * tick : (raw + tick - 1) / tick * tick;
}

namespace {

// One pass. `excluded[i]` non-empty: candidate i takes nothing, for that reason. Candidates
// whose share came out below their minimum are listed in `dropped`, with why.
HedgePlan plan_once(int64_t base_qty, int64_t fair_usd, const std::vector<HedgeCandidate>& cands,
                    const PlanParams& params, const std::vector<std::string>& excluded,
                    std::vector<std::pair<size_t, std::string>>& dropped) {
  HedgePlan plan;
  if (base_qty == 0) return plan;
  const int64_t dir = base_qty > 0 ? 1 : -1;
  const Side side = dir > 0 ? Side::Buy : Side::Sell;
  int64_t remaining = abs64(base_qty);

  std::vector<Working> work(cands.size());
  for (size_t i = 0; i < cands.size(); ++i) {
    const auto& c = cands[i];
    auto& w = work[i];
    w.leg.inst = c.inst;
    w.leg.side = side;
    if (!excluded[i].empty()) {
      w.why = excluded[i];
      continue;
    }
    if (!c.usable) {
      w.why = "venue not usable: " + c.unusable_reason;
      continue;
    }
    if (c.levels.empty()) {
      w.why = std::string("no ") + (side == Side::Buy ? "asks" : "bids") + " in its book";
      continue;
    }
    const Instrument& in = *c.inst;
    bool perp = in.kind != InstrumentKind::Spot;
    if (in.kind == InstrumentKind::Quanto && c.settle_usd.units <= 0) {
      w.why = "quanto without the price of its settle coin";
      continue;
    }
    int64_t best_usd = unit_usd(c, c.levels.front().price);
    int64_t opp = c.opposite_best > 0 ? c.opposite_best : c.levels.front().price;
    w.mid_usd = (best_usd + unit_usd(c, opp)) / 2;
    // Headroom: the position limit, then margin for perps.
    w.headroom = remaining;
    if (c.max_position_base > 0) {
      int64_t allowed = c.max_position_base - dir * c.position_base;
      if (allowed <= 0) {
        w.why = "at its position limit (" +
                Decimal{c.position_base, kAssetScale}.to_trimmed_string() + " of " +
                Decimal{c.max_position_base, kAssetScale}.to_trimmed_string() + ")";
        continue;
      }
      if (allowed < w.headroom) w.capped_by = "its position limit";
      w.headroom = std::min(w.headroom, allowed);
    }
    if (c.venue_headroom_base >= 0) {
      if (c.venue_headroom_base == 0) {
        w.why = "the venue is at its exposure limit";
        continue;
      }
      if (c.venue_headroom_base < w.headroom) w.capped_by = "the venue's exposure limit";
      w.headroom = std::min(w.headroom, c.venue_headroom_base);
    }
    if (perp && c.initial_margin_ppm > 0) {
      // Added notional ≤ margin / rate; base ≤ notional / price. Closing the venue's open
      // position on this instrument frees margin: that part needs none.
      int64_t closing = dir * c.position_base < 0
                            ? (c.position_base < 0 ? -c.position_base : c.position_base)
                            : 0;
      int64_t max_base =
          closing +
          ratio_at({Decimal{std::max<int64_t>(c.margin_free_usd, 0), kUsdScale}, Decimal{kPpm, 0}},
                   {Decimal{c.initial_margin_ppm, 0}, Decimal{best_usd, kUnitPriceScale}},
                   kAssetScale, Rounding::Down);
      if (max_base <= 0) {
        w.why = "no free margin (" + Decimal{c.margin_free_usd, kUsdScale}.to_trimmed_string() +
                " USD)";
        continue;
      }
      if (max_base < w.headroom)
        w.capped_by = "its free margin (" +
                      Decimal{c.margin_free_usd, kUsdScale}.to_trimmed_string() + " USD)";
      w.headroom = std::min(w.headroom, max_base);
    }
    // Spot sold beyond what the venue holds is borrowed: from the level where the cumulative
    // base passes the holding, every level carries the borrow cost.
    w.holding = (!perp && dir < 0 && c.position_base > 0) ? c.position_base : 0;
    w.live = true;
  }

  // Levels are priced lazily, best first per candidate, and merged across candidates by cost:
  // a venue's cost per unit only rises down its book (price, and fee, carry and health in
  // proportion to it), so the cheapest slice left is always at the head of some candidate.
  // Only the levels the hedge reaches are priced, not every level of every book.
  auto next_slice = [&](size_t i) -> std::optional<Slice> {
    const auto& c = cands[i];
    auto& w = work[i];
    const Instrument& in = *c.inst;
    bool perp = in.kind != InstrumentKind::Spot;
    while (w.next_level < c.levels.size()) {
      size_t j = w.next_level++;
      const Level& l = c.levels[j];
      if (l.qty <= 0 || l.price <= 0) continue;
      int64_t px = unit_usd(c, l.price);
      int64_t fee = mul_div(px, in.taker_fee_ppm, kPpm, Rounding::Up);
      int64_t carry = 0;
      if (perp && c.funding_interval_ns > 0) {
        int64_t per_interval = mul_div(px, c.funding_ppb, kPpb, Rounding::HalfEven);
        carry = dir *
                mul_div(per_interval, params.holding_ns, c.funding_interval_ns, Rounding::HalfEven);
      } else if (!perp && dir < 0 && w.cumulative >= w.holding && c.borrow_ppb_per_day > 0) {
        int64_t per_day = mul_div(px, c.borrow_ppb_per_day, kPpb, Rounding::Up);
        carry = mul_div(per_day, params.holding_ns, kDayNs, Rounding::Up);
      }
      int64_t health = mul_div(px, c.health_penalty_ppm, kPpm, Rounding::Up);
      int64_t cost = dir * (px - fair_usd) + fee + carry + health;
      if (j == 0) w.best_cost = cost;
      w.cumulative += abs64(position_delta(in, l.qty, l.price, c.settle_usd).base_qty);
      return Slice{i, j, cost, fee, carry, health};
    }
    return std::nullopt;
  };
  // Cheapest first; equal costs by candidate, then level (the order a stable sort of every
  // slice would give).
  auto later = [](const Slice& a, const Slice& b) {
    if (a.unit_cost != b.unit_cost) return a.unit_cost > b.unit_cost;
    if (a.cand != b.cand) return a.cand > b.cand;
    return a.level > b.level;
  };
  std::priority_queue<Slice, std::vector<Slice>, decltype(later)> heads(later);
  for (size_t i = 0; i < cands.size(); ++i)
    if (work[i].live)
      if (auto first = next_slice(i)) heads.push(*first);

  int legs = 0;
  while (remaining > 0 && !heads.empty()) {
    Slice s = heads.top();
    heads.pop();
    const auto& c = cands[s.cand];
    auto& w = work[s.cand];
    if (w.headroom <= 0) continue;                              // full: its deeper levels too
    if (!w.used && legs >= params.max_legs) continue;           // no leg left for it
    if (auto deeper = next_slice(s.cand)) heads.push(*deeper);  // its next level competes next
    const Instrument& in = *c.inst;
    const Level& l = c.levels[s.level];
    int64_t level_base = abs64(position_delta(in, l.qty, l.price, c.settle_usd).base_qty);
    int64_t want = std::min({remaining, level_base, w.headroom});
    int64_t contracts = abs64(contracts_for(in, want, l.price, c.settle_usd));
    contracts = std::min(contracts, in.lot > 0 ? l.qty / in.lot * in.lot : l.qty);
    if (contracts <= 0) {
      // Not even a lot fits in what is left to it: say what left so little.
      if (!w.used && want == w.headroom && !w.capped_by.empty())
        w.why = "no room for a lot: " + w.capped_by + " allows " +
                Decimal{w.headroom, kAssetScale}.to_trimmed_string() + " " +
                contract_terms(in).base;
      continue;
    }
    int64_t took =
        std::min(want, abs64(position_delta(in, contracts, l.price, c.settle_usd).base_qty));
    if (took <= 0) continue;
    if (!w.used) {
      w.used = true;
      ++legs;
    }
    int64_t px = unit_usd(c, l.price);
    remaining -= took;
    w.headroom -= took;
    auto& leg = w.leg;
    leg.qty += contracts;
    leg.base += took;
    leg.worst_price = l.price;
    w.usd_sum += static_cast<int128>(took) * px;
    leg.cost.walk += usd_of(took, dir * (px - w.mid_usd));
    leg.cost.basis += usd_of(took, dir * (w.mid_usd - fair_usd));
    leg.cost.fee += usd_of(took, s.fee);
    leg.cost.carry += usd_of(took, s.carry);
    leg.cost.health += usd_of(took, s.health);
  }

  for (size_t i = 0; i < work.size(); ++i) {
    auto& w = work[i];
    const std::string name = cands[i].inst->key();
    if (!w.used) {
      if (w.why.empty())
        w.why = "costlier: " + Decimal{w.best_cost, kUnitPriceScale}.to_trimmed_string() +
                " USD per unit at its best level, or not needed";
      plan.passed_over.push_back(name + ": " + w.why);
      continue;
    }
    auto& leg = w.leg;
    if (leg.qty < cands[i].inst->min_qty) {
      remaining += leg.base;
      std::string why = "its share " + cands[i].inst->qty(leg.qty).to_trimmed_string() +
                        " is below the minimum " +
                        cands[i].inst->qty(cands[i].inst->min_qty).to_trimmed_string();
      plan.passed_over.push_back(name + ": " + why);
      dropped.emplace_back(i, why);
      continue;
    }
    leg.vwap_usd = div_round(w.usd_sum, leg.base, Rounding::HalfEven);
    leg.base *= dir;
    plan.planned_base += leg.base;
    plan.legs.push_back(leg);
  }
  plan.residual_base = dir * remaining;
  return plan;
}

}  // namespace

HedgePlan plan_hedge(int64_t base_qty, int64_t fair_usd, const std::vector<HedgeCandidate>& cands,
                     const PlanParams& params) {
  // A share below an instrument's minimum is not sent; the size is planned again without that
  // instrument, so the others take it instead of leaving it as residual.
  std::vector<std::string> excluded(cands.size());
  HedgePlan plan;
  for (size_t round = 0; round <= cands.size(); ++round) {
    std::vector<std::pair<size_t, std::string>> dropped;
    plan = plan_once(base_qty, fair_usd, cands, params, excluded, dropped);
    if (dropped.empty() || plan.residual_base == 0) break;
    for (auto& [i, why] : dropped) excluded[i] = std::move(why);
  }
  return plan;
}

}  // namespace aq::hedging
