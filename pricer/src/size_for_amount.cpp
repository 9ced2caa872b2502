#include "aqueduct/pricer/size_for_amount.hpp"

namespace aq::pricer {
namespace msg = aqueduct::msg;

namespace {
int128 pow10_128(int n) {
  int128 v = 1;
  for (int i = 0; i < n; ++i) v *= 10;
  return v;
}
}  // namespace

SizedPrice price_for_amount(ListingPricer& pricer, Side taker_side, int64_t amount,
                            int amount_scale, const Tier& tier, int64_t now_ns, bool killed) {
  const Listing& l = pricer.listing();
  SizedPrice out;
  if (amount <= 0) {
    out.result.refusal = {msg::REFUSAL_BAD_REQUEST, "the amount must be greater than zero"};
    return out;
  }
  // Compare qty x price (scale qty+price) with the amount at the same scale.
  int scale = l.qty_scale + l.price_scale;
  int128 target = amount_scale <= scale ? int128{amount} * pow10_128(scale - amount_scale)
                                        : (int128{amount} + pow10_128(amount_scale - scale) - 1) /
                                              pow10_128(amount_scale - scale);
  auto cost = [&](int64_t qty, PriceResult& r) -> int128 {
    r = pricer.price(taker_side, qty, tier, now_ns, killed);
    return r.ok() ? int128{qty} * r.price->price : -1;
  };
  int64_t lo = std::max<int64_t>(l.min_qty, 1);
  int64_t hi = l.max_qty > 0 ? l.max_qty : lo << 40;
  PriceResult r;
  int128 c_lo = cost(lo, r);
  if (c_lo < 0) {
    out.result = r;
    return out;
  }
  if (c_lo >= target) {
    // The amount buys less than the listing's minimum size.
    Decimal min_cost{static_cast<int64_t>(c_lo), scale};
    out.result.refusal = {msg::REFUSAL_SIZE_TOO_SMALL,
                          "the amount is below the minimum size " +
                              Decimal{l.min_qty, l.qty_scale}.to_string() + " " + l.base +
                              " (about " + min_cost.to_trimmed_string() + " " + l.quote + ")"};
    return out;
  }
  int128 c_hi = cost(hi, r);
  if (c_hi < 0 && r.refusal.reason != msg::REFUSAL_INSUFFICIENT_DEPTH &&
      r.refusal.reason != msg::REFUSAL_NOTIONAL_TOO_LARGE &&
      r.refusal.reason != msg::REFUSAL_OPEN_INTEREST_LIMIT) {
    out.result = r;
    return out;
  }
  if (c_hi >= 0 && c_hi < target) {
    out.result.refusal = {msg::REFUSAL_SIZE_TOO_LARGE,
                          "the amount needs more than the maximum size " +
                              Decimal{l.max_qty, l.qty_scale}.to_string() + " " + l.base};
    return out;
  }
  // Invariant: cost(lo) < target; cost(hi) >= target or hi is refused for size reasons.
  while (hi - lo > 1) {
    int64_t mid = lo + (hi - lo) / 2;
    int128 c = cost(mid, r);
    if (c < 0 || c >= target)
      hi = mid;
    else
      lo = mid;
  }
  out.qty = hi;
  cost(hi, out.result);  // the refusal for hi, if the size is beyond depth or limits
  return out;
}

}  // namespace aq::pricer
