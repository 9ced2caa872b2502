#include "aqueduct/hedging/pnl_attribution.hpp"

#include <stdexcept>

namespace aq::hedging {

namespace {

// V = N·m·(M − P)·S at the result scale: N·m at its own scale, M − P and S at the price scale.
int128 quanto_value(const HedgeExecution& h, int64_t mark, int64_t settle_now,
                    const FillPnlInput& in) {
  int128 v = static_cast<int128>(h.quanto_per_price.units) * (mark - h.price);
  // |N·m·(M − P)| stays far below 2^127 / S for any real position; checked, not assumed.
  constexpr int128 kMax = static_cast<int128>(~static_cast<uint128>(0) >> 1);
  if (settle_now != 0 && (v > kMax / settle_now || v < -kMax / settle_now))
    throw std::invalid_argument("quanto leg of " + h.settle_asset +
                                " too large to value in 128 bits");
  v *= settle_now;
  int digits = h.quanto_per_price.scale + 2 * in.price_scale - (in.qty_scale + in.price_scale);
  return digits >= 0 ? shift_half_even(v, digits) : v * pow10_128(-digits);
}

}  // namespace

FillPnl attribute_fill(const FillPnlInput& in) {
  FillPnl p;
  p.scale = in.qty_scale + in.price_scale;
  auto mul = [](int64_t a, int64_t b) { return static_cast<int128>(a) * b; };
  int128 s = in.inventory_change;
  int128 open = s;
  int128 cash = -mul(in.inventory_change, in.fill_price);
  p.spread = s * (in.fair_at_fill - in.fill_price);
  int128 quanto_values = 0;  // Σ V_i, in the total instead of the legs' cash and position
  for (const auto& h : in.hedges) {
    p.hedge_slippage += mul(h.base, in.fair_at_fill - h.price);
    p.fees -= h.fee;
    open += h.base;
    if (h.quanto_per_price.units != 0) {
      auto s_now = in.settle_marks.find(h.settle_asset);
      if (s_now == in.settle_marks.end() || s_now->second <= 0)
        throw std::invalid_argument("no USD price of " + h.settle_asset +
                                    " now, to value a quanto hedge settled in it");
      int128 v = quanto_value(h, in.mark, s_now->second, in);
      p.quanto += v - mul(h.base, in.mark - h.price);
      quanto_values += v;
      cash -= h.fee;
      continue;
    }
    cash -= mul(h.base, h.price) + h.fee;
  }
  p.funding = in.funding;
  cash += in.funding;
  p.revaluation = open * (in.mark - in.fair_at_fill);
  int128 linear_open = open;
  for (const auto& h : in.hedges)
    if (h.quanto_per_price.units != 0) linear_open -= h.base;
  p.total = cash + linear_open * in.mark + quanto_values;
  return p;
}

int128 pow10_128(int n) {
  int128 p = 1;
  for (int i = 0; i < n; ++i) p *= 10;
  return p;
}

int128 shift_half_even(int128 num, int digits) {
  if (digits <= 0) return num;
  int128 den = pow10_128(digits);
  int128 q = num / den, r = num % den;
  int128 twice = (r < 0 ? -r : r) * 2;
  if (twice > den || (twice == den && q % 2 != 0)) q += num < 0 ? -1 : 1;
  return q;
}

std::string exact_text(int128 v, int scale) {
  bool neg = v < 0;
  uint128 u = neg ? static_cast<uint128>(-(v + 1)) + 1 : static_cast<uint128>(v);
  std::string digits;
  do {
    digits.insert(digits.begin(), static_cast<char>('0' + static_cast<int>(u % 10)));
    u /= 10;
  } while (u > 0);
  if (scale > 0) {
    if (digits.size() <= static_cast<size_t>(scale))
      digits.insert(0, static_cast<size_t>(scale) + 1 - digits.size(), '0');
    digits.insert(digits.size() - static_cast<size_t>(scale), ".");
  }
  return (neg ? "-" : "") + digits;
}

}  // namespace aq::hedging
