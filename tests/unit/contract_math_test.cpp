// Contract math of every instrument kind, against the worked examples of shared/domain.md
// ("Contract types") and venues.md §6.5 / §8, and hedge sizes on each kind.
#include <doctest/doctest.h>

#include <cstdlib>

#include "aqueduct/hedging/contract_math.hpp"
#include "aqueduct/testing/fixtures.hpp"

using namespace aq;
using namespace aq::hedging;
using aq::testing::ethusd;
using aq::testing::xbtusd;

namespace {
constexpr int64_t kUnit = 100'000'000;  // 1 of an asset at kAssetScale

// OKX BTC-USD-SWAP: inverse, ctVal 100 USD. OKX BTC-USDT-SWAP: linear, ctVal 0.01 BTC.
Instrument okx_inverse() {
  return testing::instrument(InstrumentKind::Inverse, "okx", "BTC-USD-SWAP", "BTC", "USD", "BTC", 1,
                             0, {100, 0});
}
Instrument okx_linear() {
  return testing::instrument(InstrumentKind::Linear, "okx", "BTC-USDT-SWAP", "BTC", "USDT", "USDT",
                             1, 0, {1, 2});
}
Instrument binance_spot() {
  return testing::instrument(InstrumentKind::Spot, "binance", "BTCUSDT", "BTC", "USDT", "USDT", 2,
                             5, {1, 0});
}
Instrument binance_perp() {
  return testing::instrument(InstrumentKind::Linear, "binance_usdm", "BTCUSDT", "BTC", "USDT",
                             "USDT", 1, 3, {1, 0});
}
// USD value of an amount at kAssetScale times a price, at kUsdScale.
int64_t usd(int64_t amount, Decimal price) {
  return ratio_at({Decimal{amount, kAssetScale}, price}, {}, kUsdScale, Rounding::HalfEven);
}
constexpr int64_t kUsd = 1'000'000;
}  // namespace

TEST_CASE("contract terms normalise OKX ctVal and BitMEX minor-unit multipliers") {
  struct Case {
    Instrument inst;
    Decimal size;
    const char* settle;
  };
  Case cases[] = {
      {binance_spot(), {1, 0}, "USDT"},    {binance_perp(), {1, 0}, "USDT"},
      {okx_linear(), {1, 2}, "USDT"},       // 0.01 BTC per contract
      {okx_inverse(), {100, 0}, "BTC"},     // 100 USD face
      {xbtusd(), {100'000'000, 8}, "BTC"},  // 1 USD face; XBT is BTC
      {ethusd(), {100, 8}, "BTC"},          // 0.000001 XBT per USD
  };
  for (const auto& c : cases) {
    CAPTURE(c.inst.key());
    auto t = contract_terms(c.inst);
    CHECK(t.size == c.size);
    CHECK(t.settle == c.settle);
  }
  auto bad = ethusd();
  bad.multiplier = {0, 0};
  CHECK_THROWS_WITH(contract_terms(bad), doctest::Contains("bitmex:ETHUSD: multiplier is zero"));
  bad = xbtusd();
  bad.settle = "EUR";
  CHECK_THROWS_WITH(contract_terms(bad), doctest::Contains("settle coins allowed: XBT, USDT"));
}

TEST_CASE("inverse XBTUSD (venues.md 6.5): long 10,000 @ 50,000 -> 55,000") {
  auto x = xbtusd();
  // BTC exposure N x face / P = 0.2 BTC at 50,000 (the multiplier form: -2e7 XBt).
  CHECK(position_delta(x, 10'000, 500'000).base_qty == 20'000'000);
  // ... and it shrinks as the price rises: 10,000 / 55,000 = 0.18181818 BTC.
  CHECK(position_delta(x, 10'000, 550'000).base_qty == 18'181'818);
  // PnL = 10,000 x (1/50,000 - 1/55,000) = +0.0181818182 XBT, at 1e-8 half-even.
  auto p = pnl_of(x, 10'000, 500'000, 550'000);
  CHECK(p.asset == "BTC");
  CHECK(p.amount == 1'818'182);
  CHECK(pnl_of(x, -10'000, 500'000, 550'000).amount == -1'818'182);  // short loses the same
  // Hedging 0.2 BTC of exposure takes 10,000 contracts at 50,000; at 50,050 it is 10,010,
  // rounded down to the 100-contract lot: 10,000.
  CHECK(contracts_for(x, 20'000'000, 500'000) == 10'000);
  CHECK(contracts_for(x, 20'000'000, 500'500) == 10'000);
  CHECK(contracts_for(x, -20'000'000, 500'000) == -10'000);
}

TEST_CASE("quanto ETHUSD (venues.md 6.5): long 1,000 @ 3,000 -> 3,100 with XBTUSD 60,000") {
  auto e = ethusd();
  auto d = position_delta(e, 1'000, 300'000, Decimal{60'000, 0});
  CHECK(d.settle == "BTC");
  CHECK(d.settle_value == 3 * kUnit);  // XBT value at entry: 3.0 XBT
  CHECK(d.base == "ETH");
  CHECK(d.base_qty == 60 * kUnit);  // ETH delta: 1,000 x 1e-6 x 60,000 = 60 ETH
  // USD notional: 3 XBT x 60,000 = 180,000 USD.
  CHECK(usd(d.settle_value, {60'000, 0}) == 180'000 * kUsd);
  auto p = pnl_of(e, 1'000, 300'000, 310'000);
  CHECK(p.asset == "BTC");
  CHECK(p.amount == kUnit / 10);  // +0.1 XBT
}

TEST_CASE("quanto worked example (domain.md): short 100,000 ETHUSD hedged with 1,000 ETH spot") {
  auto e = ethusd();
  // Short 100,000 at ETH $500, BTC $10,000: XBT value -50, ETH exposure -1,000.
  auto d = position_delta(e, -100'000, 50'000, Decimal{10'000, 0});
  CHECK(d.settle_value == -50 * kUnit);
  CHECK(d.base_qty == -1'000 * kUnit);
  // The contracts that carry 1,000 ETH at BTC $10,000 are those 100,000.
  CHECK(contracts_for(e, 1'000 * kUnit, 50'000, Decimal{10'000, 0}) == 100'000);
  // ETH to $750: the swap loses 25 XBT.
  auto loss = pnl_of(e, -100'000, 50'000, 75'000);
  CHECK(loss.amount == -25 * kUnit);
  int64_t spot_gain = usd(1'000 * kUnit, {250, 0});  // 1,000 ETH x +$250
  CHECK(spot_gain == 250'000 * kUsd);
  // ... BTC to $5,000: -25 XBT = -$125,000; net +$125,000.
  CHECK(usd(loss.amount, {5'000, 0}) == -125'000 * kUsd);
  CHECK(usd(loss.amount, {5'000, 0}) + spot_gain == 125'000 * kUsd);
  // ... BTC to $15,000 instead: -$375,000; net -$125,000 (the correlation risk).
  CHECK(usd(loss.amount, {15'000, 0}) == -375'000 * kUsd);
  CHECK(usd(loss.amount, {15'000, 0}) + spot_gain == -125'000 * kUsd);
  // Without the settle coin's price a quanto cannot be sized or valued: refused, not guessed.
  CHECK_THROWS_WITH(position_delta(e, 1, 50'000),
                    doctest::Contains("needs the price of BTC in USD"));
  CHECK_THROWS_WITH(contracts_for(e, kUnit, 50'000),
                    doctest::Contains("needs the price of BTC in USD"));
}

TEST_CASE("linear and spot: size x multiplier; hedge sizes round toward zero to the lot") {
  struct Case {
    Instrument inst;
    int64_t qty, price;   // instrument units
    int64_t base;         // kAssetScale
    int64_t pnl_to, pnl;  // exit price, PnL in the quote at kAssetScale
  };
  Case cases[] = {
      // OKX: 5 contracts of 0.01 BTC = 0.05 BTC; 30,000 -> 31,000 earns 50 USDT.
      {okx_linear(), 5, 300'000, 5 * kUnit / 100, 310'000, 50 * kUnit},
      // Binance USD-M: 0.250 BTC; short 29,000 -> 30,000 loses 250 USDT.
      {binance_perp(), -250, 290'000, -kUnit / 4, 300'000, -250 * kUnit},
      // Binance spot: 0.12345 BTC; 30,000.00 -> 30,000.01 earns 0.0012345 USDT.
      {binance_spot(), 12'345, 3'000'000, 12'345'000, 3'000'001, 123'450},
  };
  for (const auto& c : cases) {
    CAPTURE(c.inst.key());
    auto d = position_delta(c.inst, c.qty, c.price);
    CHECK(d.base == "BTC");
    CHECK(d.base_qty == c.base);
    CHECK(d.settle_value == 0);
    auto p = pnl_of(c.inst, c.qty, c.price, c.pnl_to);
    CHECK(p.asset == "USDT");
    CHECK(p.amount == c.pnl);
    CHECK(contracts_for(c.inst, c.base, c.price) == c.qty);  // the round trip is exact
  }
  // 0.123 BTC on OKX linear: 12.3 contracts -> 12; on spot 0.123456789 -> 0.12345.
  CHECK(contracts_for(okx_linear(), 12'300'000, 300'000) == 12);
  CHECK(contracts_for(binance_spot(), 12'345'678, 3'000'000) == 12'345);
  CHECK(contracts_for(binance_spot(), -12'345'678, 3'000'000) == -12'345);
}

TEST_CASE("OKX inverse: ctVal 100 USD per contract") {
  auto o = okx_inverse();
  CHECK(position_delta(o, 3, 300'000).base_qty == kUnit / 100);  // 300 USD / 30,000 = 0.01 BTC
  CHECK(contracts_for(o, 1'230'000, 300'000) == 3);  // 0.0123 BTC x 30,000 / 100 = 3.69 -> 3
  // 3 contracts from 30,000 to 33,000: 300 x (1/30,000 - 1/33,000) = 0.00090909 BTC.
  CHECK(pnl_of(o, 3, 300'000, 330'000).amount == 90'909);
}

TEST_CASE("settle value: its change between two prices is the PnL, for every kind") {
  // Inverse XBTUSD long 10,000: worth -0.2 XBT at 50,000 and -0.18181818 at 55,000.
  CHECK(settle_value(xbtusd(), 10'000, 500'000) == -20'000'000);
  CHECK(settle_value(xbtusd(), 10'000, 550'000) == -18'181'818);
  // Quanto ETHUSD long 1,000 at 3,000: 3 XBT.
  CHECK(settle_value(ethusd(), 1'000, 300'000) == 3 * kUnit);
  // Linear OKX 5 contracts of 0.01 BTC at 30,000: 1,500 USDT; short: -1,500.
  CHECK(settle_value(okx_linear(), 5, 300'000) == 1'500 * kUnit);
  CHECK(settle_value(okx_linear(), -5, 300'000) == -1'500 * kUnit);
  struct Case {
    Instrument inst;
    int64_t qty, from, to;
  };
  Case cases[] = {{xbtusd(), 10'000, 500'000, 550'000}, {xbtusd(), -7'300, 612'345, 598'000},
                  {ethusd(), 1'000, 300'000, 310'000},  {ethusd(), -100'000, 50'000, 75'000},
                  {okx_linear(), 5, 300'000, 310'000},  {binance_perp(), -250, 290'000, 300'000},
                  {okx_inverse(), 3, 300'000, 287'650}};
  for (const auto& c : cases) {
    CAPTURE(c.inst.key());
    int64_t change = settle_value(c.inst, c.qty, c.to) - settle_value(c.inst, c.qty, c.from);
    int64_t pnl = pnl_of(c.inst, c.qty, c.from, c.to).amount;
    // Each value is rounded once, the PnL once: they agree to one unit (1e-8) at most.
    CHECK(std::llabs(change - pnl) <= 1);
  }
  CHECK_THROWS_WITH(settle_value(xbtusd(), 1, 0), doctest::Contains("positive price"));
}
