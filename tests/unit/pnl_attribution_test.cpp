// PnL attribution of a fill and its hedges: the parts add up to the total to the smallest
// unit, and each part is what it says.
#include <doctest/doctest.h>

#include <random>

#include "aqueduct/hedging/pnl_attribution.hpp"

using namespace aq;
using namespace aq::hedging;

namespace {
// qty at 1e-5, prices at 1e-2: results at 1e-7.
constexpr int64_t kBtc = 100'000;
constexpr int64_t kDollar = 100;
constexpr int64_t kUsd7 = 10'000'000;  // 1 USD at 1e-7
}  // namespace

TEST_CASE(
    "a taker buys 1 BTC at 30,010 with fair 30,000; we buy it back at 30,002 with a 10 bps fee") {
  FillPnlInput in;
  in.qty_scale = 5;
  in.price_scale = 2;
  in.inventory_change = -kBtc;
  in.fill_price = 30'010 * kDollar;
  in.fair_at_fill = 30'000 * kDollar;
  in.hedges = {{kBtc, 30'002 * kDollar, 30'002 * kUsd7 / 1000}};  // fee 30.002 USD
  in.mark = 30'050 * kDollar;
  auto p = attribute_fill(in);
  CHECK(p.scale == 7);
  CHECK(p.spread == 10 * kUsd7);          // sold 10 above fair
  CHECK(p.hedge_slippage == -2 * kUsd7);  // bought back 2 above fair
  CHECK(p.fees == -30'002 * kUsd7 / 1000);
  CHECK(p.revaluation == 0);  // flat: the mark no longer matters
  CHECK(p.total == 8 * kUsd7 - 30'002 * kUsd7 / 1000);
  CHECK(p.parts() == p.total);
}

TEST_CASE("a partly hedged fill: the open part is revalued to the mark") {
  FillPnlInput in;
  in.qty_scale = 5;
  in.price_scale = 2;
  in.inventory_change = kBtc;  // the taker sold us 1 BTC at 29,990
  in.fill_price = 29'990 * kDollar;
  in.fair_at_fill = 30'000 * kDollar;
  in.hedges = {{-kBtc * 6 / 10, 29'995 * kDollar, 0}};  // sold 0.6 at 29,995
  in.mark = 29'900 * kDollar;
  auto p = attribute_fill(in);
  CHECK(p.spread == 10 * kUsd7);
  CHECK(p.hedge_slippage == -3 * kUsd7);  // 0.6 x 5 below fair
  CHECK(p.revaluation == -40 * kUsd7);    // 0.4 open x (29,900 − 30,000)
  CHECK(p.parts() == p.total);
  CHECK(p.total == -33 * kUsd7);
}

TEST_CASE("over random fills, hedges, fees and funding the parts always add up exactly") {
  std::mt19937_64 rng(42);
  for (int i = 0; i < 2000; ++i) {
    FillPnlInput in;
    in.qty_scale = 8;
    in.price_scale = 8;
    auto r = [&](int64_t lo, int64_t hi) {
      return lo + static_cast<int64_t>(rng() % static_cast<uint64_t>(hi - lo));
    };
    in.inventory_change = r(-1'000'000'000, 1'000'000'000);
    in.fill_price = r(1'000'000'000'000, 9'000'000'000'000);
    in.fair_at_fill = in.fill_price + r(-100'000'000, 100'000'000);
    int n = static_cast<int>(rng() % 4);
    for (int k = 0; k < n; ++k)
      in.hedges.push_back({r(-1'000'000'000, 1'000'000'000),
                           in.fair_at_fill + r(-500'000'000, 500'000'000),
                           r(0, 1'000'000'000'000)});
    in.funding = r(-1'000'000'000, 1'000'000'000);
    in.mark = in.fair_at_fill + r(-1'000'000'000, 1'000'000'000);
    auto p = attribute_fill(in);
    REQUIRE(p.parts() == p.total);
  }
}
