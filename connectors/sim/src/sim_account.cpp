#include "aqueduct/sim/sim_account.hpp"

#include <map>

namespace aq::sim {

namespace {
int64_t abs64(int64_t v) {
  return v < 0 ? -v : v;
}
}  // namespace

std::optional<connectors::MarginAccount> margin_account(
    const SimMarginTerms& terms, const std::vector<AccountFill>& fills,
    const std::function<std::optional<int64_t>(const Instrument&)>& mark) {
  // Cash: what fills paid (−value bought) and their fees, in the coin; positions by instrument.
  int128 cash = 0;
  std::map<const Instrument*, int64_t> position;
  for (const auto& f : fills) {
    if (!f.inst || f.inst->kind == InstrumentKind::Spot) continue;
    int64_t q = f.side == Side::Buy ? f.qty : -f.qty;
    int64_t v = terms.value(*f.inst, q, f.price);
    int64_t fee_ppm = f.maker ? f.inst->maker_fee_ppm : f.inst->taker_fee_ppm;
    cash -= v;
    cash -= (static_cast<int128>(abs64(v)) * fee_ppm + 999'999) / 1'000'000;  // rounded up
    position[f.inst] += q;
  }
  int128 open_value = 0, held = 0;
  for (const auto& [inst, q] : position) {
    if (q == 0) continue;
    auto m = mark(*inst);
    if (!m || *m <= 0) return std::nullopt;
    int64_t v = terms.value(*inst, q, *m);
    open_value += v;
    // Initial margin on the position's value at its mark, rounded up as venues hold it.
    held += (static_cast<int128>(abs64(v)) * terms.initial_margin_ppm + 999'999) / 1'000'000;
  }
  const int scale = connectors::kAccountScale;
  int128 equity = static_cast<int128>(terms.collateral.rescaled(scale, Rounding::Exact).units) +
                  cash + open_value;
  int128 available = equity - held;
  if (available < 0) available = 0;  // venues report nothing free, never a negative amount
  auto narrow = [](int128 v) {
    if (v > INT64_MAX || v < INT64_MIN) throw DecimalError("simulated account beyond 64 bits");
    return static_cast<int64_t>(v);
  };
  return connectors::MarginAccount{terms.coin, Decimal{narrow(equity), scale},
                                   Decimal{narrow(available), scale}};
}

}  // namespace aq::sim
