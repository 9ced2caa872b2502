#include <doctest/doctest.h>

#include "aqueduct/hedging/hedge_policy.hpp"
#include "aqueduct/testing/fixtures.hpp"

using namespace aq;
using namespace aq::hedging;

namespace {
Instrument btc() { return testing::btcusdt(); }
// 1 BTC in position units.
constexpr int64_t kBtc = 100'000'000;
}  // namespace

TEST_CASE("a taker buy leaves us short and the policy buys it back within the slippage bound") {
  ExposureBook book;
  book.on_fill("BTC", Side::Buy, kBtc / 2, 3000000, 2);  // taker bought 0.5 @ 30000.00
  CHECK(book.at("BTC").net == -kBtc / 2);
  PolicyParams p;
  p.slippage_ppm = 2000;
  auto d = decide_hedge(book.at("BTC"), btc(), p, 0);
  REQUIRE(d);
  CHECK(d->side == Side::Buy);
  CHECK(d->qty == 50'000);               // 0.50000 in instrument units
  CHECK(d->limit_price == 3006000);      // 30000 * 1.002 = 30060.00
  CHECK(d->signed_position_qty == kBtc / 2);
}

TEST_CASE("in-flight hedges count, so a fill is never hedged twice") {
  ExposureBook book;
  book.on_fill("BTC", Side::Sell, kBtc, 3000000, 2);  // we bought 1 BTC
  auto d = decide_hedge(book.at("BTC"), btc(), {}, 0);
  REQUIRE(d);
  CHECK(d->side == Side::Sell);
  CHECK(d->limit_price == 2994000);  // 30000 * (1 - 0.002) rounded up to the tick
  book.on_hedge_sent("BTC", d->signed_position_qty);
  CHECK_FALSE(decide_hedge(book.at("BTC"), btc(), {}, 0));
  // The IOC fills 0.4 only: the remaining 0.6 is hedged next.
  book.on_hedge_done("BTC", d->signed_position_qty, -kBtc * 4 / 10);
  auto next = decide_hedge(book.at("BTC"), btc(), {}, 0);
  REQUIRE(next);
  CHECK(next->qty == 60'000);
}

TEST_CASE("residuals below the lot or the venue minimum are carried, not dropped") {
  ExposureBook book;
  auto inst = btc();
  book.on_fill("BTC", Side::Buy, 123'456, 3000000, 2);  // 0.00123456 BTC
  auto d = decide_hedge(book.at("BTC"), inst, {}, 0);
  REQUIRE(d);
  CHECK(d->qty == 123);  // 0.00123 — lot rounding leaves 0.00000456 carried
  book.on_hedge_sent("BTC", d->signed_position_qty);
  book.on_hedge_done("BTC", d->signed_position_qty, d->signed_position_qty);
  CHECK(book.at("BTC").net == -456);
  CHECK_FALSE(decide_hedge(book.at("BTC"), inst, {}, 0));
  // More flow pushes the carried residual over the minimum.
  book.on_fill("BTC", Side::Buy, 9'600, 3000000, 2);
  auto d2 = decide_hedge(book.at("BTC"), inst, {}, 0);
  REQUIRE(d2);
  CHECK(d2->qty == 10);  // 0.00010056 -> 0.00010
}

TEST_CASE("no new hedge while an outcome is unknown, nor before the retry time, nor without a price") {
  ExposureBook book;
  book.on_fill("BTC", Side::Buy, kBtc, 3000000, 2);
  book.on_hedge_unknown("BTC");
  CHECK_FALSE(decide_hedge(book.at("BTC"), btc(), {}, 0));
  book.at("BTC").unknown = 0;
  book.at("BTC").retry_after_ns = 100;
  CHECK_FALSE(decide_hedge(book.at("BTC"), btc(), {}, 99));
  CHECK(decide_hedge(book.at("BTC"), btc(), {}, 100));
  AssetExposure no_price;
  no_price.net = kBtc;
  CHECK_FALSE(decide_hedge(no_price, btc(), {}, 0));
}

TEST_CASE("the threshold holds small exposures") {
  ExposureBook book;
  book.on_fill("BTC", Side::Buy, kBtc / 100, 3000000, 2);  // 0.01
  PolicyParams p;
  p.threshold = kBtc / 10;
  CHECK_FALSE(decide_hedge(book.at("BTC"), btc(), p, 0));
  book.on_fill("BTC", Side::Buy, kBtc / 10, 3000000, 2);
  CHECK(decide_hedge(book.at("BTC"), btc(), p, 0));
}
