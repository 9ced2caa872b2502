// Positions per asset, venue and instrument, and the exposure they add up to; PnL that adds up.
#include <doctest/doctest.h>

#include <random>

#include "aqueduct/hedging/position_book.hpp"
#include "aqueduct/testing/fixtures.hpp"

using namespace aq;
using namespace aq::hedging;

namespace {
constexpr int64_t kUnit = 100'000'000;
constexpr int64_t kUsd = 1'000'000;

const Instrument kEthUsd = testing::ethusd();
const Instrument kXbtUsd = testing::xbtusd();
const Instrument kEthSpot = testing::instrument(InstrumentKind::Spot, "binance", "ETHUSDT", "ETH",
                                                "USDT", "USDT", 2, 4, {1, 0});
const Instrument kBtcSpot = testing::instrument(InstrumentKind::Spot, "binance", "BTCUSDT", "BTC",
                                                "USDT", "USDT", 2, 5, {1, 0});
const Instrument kBtcPerp = testing::instrument(InstrumentKind::Linear, "binance_usdm", "BTCUSDT",
                                                "BTC", "USDT", "USDT", 1, 3, {1, 0});
}  // namespace

TEST_CASE(
    "the quanto worked example as positions: flat in ETH at entry, then the correlation shows") {
  PositionBook book;
  book.on_venue_fill(kEthUsd, Side::Sell, 100'000, 50'000);     // short 100,000 @ $500.00
  book.on_venue_fill(kEthSpot, Side::Buy, 10'000'000, 50'000);  // buy 1,000 ETH @ $500.00
  Marks m;
  m.instrument = {{"bitmex:ETHUSD", 50'000}, {"binance:ETHUSDT", 50'000}};
  m.usd = {{"BTC", {10'000, 0}}, {"ETH", {500, 0}}};
  auto e = book.exposures(m);
  CHECK(e["ETH"].qty == 0);                  // -1,000 ETH of quanto delta + 1,000 ETH spot
  CHECK(e["BTC"].qty == 0);                  // no PnL yet
  CHECK(e["USDT"].qty == -500'000 * kUnit);  // what the spot cost

  // ETH to $750, BTC to $5,000: the quanto's ETH delta halves (-500 ETH), and it owes 25 XBT.
  m.instrument = {{"bitmex:ETHUSD", 75'000}, {"binance:ETHUSDT", 75'000}};
  m.usd = {{"BTC", {5'000, 0}}, {"ETH", {750, 0}}};
  e = book.exposures(m);
  CHECK(e["ETH"].qty == 500 * kUnit);
  CHECK(e["BTC"].qty == -25 * kUnit);
  CHECK(e["BTC"].usd == -125'000 * kUsd);
  REQUIRE(book.unrealized(*book.position("binance:ETHUSDT"), m));
  CHECK(*book.unrealized(*book.position("binance:ETHUSDT"), m) == 250'000 * kUnit);  // USDT
  CHECK(*book.unrealized(*book.position("bitmex:ETHUSD"), m) == -25 * kUnit);        // XBT

  // Per venue: BitMEX alone holds the short ETH delta and the XBT loss.
  auto bitmex = book.exposures(m, "bitmex");
  CHECK(bitmex["ETH"].qty == -500 * kUnit);
  CHECK(bitmex["BTC"].qty == -25 * kUnit);
  CHECK_FALSE(bitmex.count("USDT"));
}

TEST_CASE(
    "takers' fills move inventory in both assets; an inverse hedge's BTC delta includes its PnL") {
  PositionBook book;
  // A taker sold us 0.2 BTC at 50,000 USDT.
  book.on_taker_fill("BTC", "USDT", Side::Sell, 20'000'000, {50'000, 0});
  CHECK(book.inventory("BTC") == 20'000'000);
  CHECK(book.inventory("USDT") == -10'000 * kUnit);
  // Hedged by shorting 10,000 XBTUSD at 50,000.0.
  book.on_venue_fill(kXbtUsd, Side::Sell, 10'000, 500'000);
  Marks m;
  m.instrument = {{"bitmex:XBTUSD", 500'000}};
  m.usd = {{"BTC", {50'000, 0}}};
  CHECK(book.exposures(m)["BTC"].qty == 0);
  // At 55,000 the short's coin delta is -10,000/55,000 and it has lost 0.01818182 BTC: its BTC
  // delta is -10,000/50,000 again, so the book stays flat in BTC (an inverse short is a
  // synthetic dollar).
  m.instrument = {{"bitmex:XBTUSD", 550'000}};
  auto e = book.exposures(m);
  CHECK(e["BTC"].qty == 20'000'000 - 18'181'818 - 1'818'182);
  CHECK(e["BTC"].qty == 0);
}

TEST_CASE("reducing a position realizes PnL against its average entry; through zero it reopens") {
  PositionBook book;
  book.on_venue_fill(kBtcSpot, Side::Buy, 200'000, 10'000'00);   // 2 BTC @ 10,000.00
  book.on_venue_fill(kBtcSpot, Side::Buy, 100'000, 13'000'00);   // 1 BTC @ 13,000.00 -> avg 11,000
  book.on_venue_fill(kBtcSpot, Side::Sell, 400'000, 12'000'00);  // sell 4 @ 12,000.00
  const auto* p = book.position("binance:BTCUSDT");
  REQUIRE(p);
  CHECK(p->realized == 3'000 * kUnit);       // 3 x (12,000 - 11,000)
  CHECK(p->qty == -100'000);                 // short 1 BTC
  CHECK(p->entry_value == -12'000 * kUnit);  // opened at 12,000
  CHECK(p->pnl_asset == "USDT");

  // Inverse: long 10,000 @ 50,000 closed at 55,000 realizes exactly the contract-math PnL.
  book.on_venue_fill(kXbtUsd, Side::Buy, 10'000, 500'000);
  book.on_venue_fill(kXbtUsd, Side::Sell, 10'000, 550'000);
  CHECK(book.position("bitmex:XBTUSD")->realized ==
        pnl_of(kXbtUsd, 10'000, 500'000, 550'000).amount);
  CHECK(book.position("bitmex:XBTUSD")->entry_value == 0);
}

TEST_CASE("realized + unrealized is the total PnL to the smallest unit, over random fills") {
  std::mt19937_64 rng(20261122);
  for (const Instrument* in : {&kBtcSpot, &kBtcPerp}) {
    CAPTURE(in->key());
    PositionBook book;
    int128 cash = 0;  // Σ −q·P at the product scale, exact
    int64_t qty = 0;
    for (int i = 0; i < 500; ++i) {
      int64_t q = static_cast<int64_t>(rng() % 3000) + 1;
      int64_t price =
          2'900'000 / (in->price_scale == 2 ? 1 : 10) + static_cast<int64_t>(rng() % 20000);
      Side s = rng() % 2 ? Side::Buy : Side::Sell;
      book.on_venue_fill(*in, s, q, price);
      int64_t sq = s == Side::Buy ? q : -q;
      qty += sq;
      cash -= static_cast<int128>(sq) * price;
    }
    int64_t mark = in->price_scale == 2 ? 3'000'000 : 300'000;
    Marks m;
    m.instrument[in->key()] = mark;
    const auto* p = book.position(in->key());
    REQUIRE(p);
    CHECK(p->qty == qty);
    int128 total = cash + static_cast<int128>(qty) * mark;  // at scale qty_scale + price_scale
    int shift = kAssetScale - in->qty_scale - in->price_scale;
    REQUIRE(shift >= 0);
    for (int k = 0; k < shift; ++k) total *= 10;
    CHECK(static_cast<int64_t>(total) == p->realized + *book.unrealized(*p, m));
  }
}

TEST_CASE("exposure that needs a missing mark is reported missing, never guessed") {
  PositionBook book;
  book.on_venue_fill(kXbtUsd, Side::Sell, 10'000, 500'000);
  book.on_venue_fill(kEthUsd, Side::Buy, 1'000, 300'000);
  book.on_venue_fill(kBtcPerp, Side::Buy, 100, 300'000);
  Marks m;
  m.instrument = {{"bitmex:ETHUSD", 300'000}, {"binance_usdm:BTCUSDT", 300'000}};
  m.usd = {{"ETH", {3'000, 0}}};  // no BTC price
  std::vector<MissingMark> missing;
  auto e = book.exposures(m, {}, &missing);
  CHECK_FALSE(e.count("BTC"));  // XBTUSD has no mark, the quanto needs BTC's price
  CHECK_FALSE(e.count("ETH"));  // the quanto's ETH delta needs BTC's price
  CHECK(e.count("USDT"));       // the perp's PnL in USDT is known
  std::string all;
  for (const auto& x : missing) all += x.what + "; ";
  CHECK(all.find("mark price of bitmex:XBTUSD") != std::string::npos);
  CHECK(all.find("USD price of BTC (for the quanto bitmex:ETHUSD)") != std::string::npos);
}

TEST_CASE("a linear perp counts its base without a mark; only its PnL waits for the mark") {
  // After a restart the books (and marks) come after the positions: a taker's sale that leaves
  // inventory flat against a long perp is +0.5 BTC of exposure, not flat.
  PositionBook book;
  book.on_taker_fill("BTC", "USDT", Side::Buy, kUnit / 2, {30'000, 0});   // we sold 0.5 BTC
  book.on_venue_fill(kBtcPerp, Side::Buy, 500, 300'000);                  // hedged on the perp
  book.on_taker_fill("BTC", "USDT", Side::Sell, kUnit / 2, {30'000, 0});  // and bought it back
  Marks m;
  m.usd = {{"BTC", {30'000, 0}}, {"USDT", {1, 0}}};
  std::vector<MissingMark> missing;
  auto e = book.exposures(m, {}, &missing);
  REQUIRE(e.count("BTC"));
  CHECK(e["BTC"].qty == kUnit / 2);
  CHECK_FALSE(e.count("USDT"));  // the perp's PnL in USDT needs its mark
  REQUIRE(missing.size() == 1);
  CHECK(missing[0].what == "mark price of binance_usdm:BTCUSDT");
}

TEST_CASE("equity and an asset's PnL: a fill at a spread, hedged on spot and perp, at the mark") {
  PositionBook book;
  // A taker buys 1 BTC from us at 30,010 (fair 30,000): we are short 1 BTC, +30,010 USDT.
  book.on_taker_fill("BTC", "USDT", Side::Buy, kUnit, {30'010, 0});
  CHECK(book.quote_cash("BTC") == 30'010 * kUnit);
  // Hedged: 0.5 on spot at 30,002, 0.5 on the perp at 30,004.
  book.on_venue_fill(kBtcSpot, Side::Buy, 50'000, 3'000'200);
  book.on_venue_fill(kBtcPerp, Side::Buy, 500, 300'040);
  Marks m;
  m.instrument = {{"binance:BTCUSDT", 3'005'000}, {"binance_usdm:BTCUSDT", 300'500}};
  m.usd = {{"BTC", {30'050, 0}}};
  // Inventory: −1 BTC x 30,050 + 30,010 USDT = −40. Spot: +0.5 x 30,050 − 15,001 = +24.
  // Perp: 0.5 x (30,050 − 30,004) = +23. Total +7 USD = (30,010 − 30,002) x 0.5 + (30,010 − 30,004)
  // x 0.5 + ...
  auto pnl = book.asset_pnl_usd("BTC", m);
  REQUIRE(pnl);
  CHECK(*pnl == 7 * kUsd);
  auto eq = book.equity_usd(m);
  REQUIRE(eq);
  CHECK(*eq == 7 * kUsd);  // the only asset traded
  // Without the perp's mark, neither can be valued.
  m.instrument.erase("binance_usdm:BTCUSDT");
  CHECK_FALSE(book.asset_pnl_usd("BTC", m));
  CHECK_FALSE(book.equity_usd(m));
}

TEST_CASE("a venue's gross derivatives notional: every perp position at its mark, spot left out") {
  PositionBook book;
  book.on_venue_fill(kBtcPerp, Side::Buy, 500, 300'000);         // long 0.5 BTC perp @ 30,000.0
  book.on_venue_fill(kBtcSpot, Side::Sell, 100'000, 3'000'000);  // spot: no margin
  book.on_venue_fill(kXbtUsd, Side::Sell, 15'000, 300'000);      // BitMEX: another venue
  Marks m;
  m.instrument = {{"binance_usdm:BTCUSDT", 310'000},
                  {"binance:BTCUSDT", 3'100'000},
                  {"bitmex:XBTUSD", 310'000}};
  m.usd = {{"BTC", {31'000, 0}}};
  // 0.5 BTC at 31,000 USD.
  REQUIRE(book.derivatives_gross_usd(m, "binance_usdm"));
  CHECK(*book.derivatives_gross_usd(m, "binance_usdm") == 15'500 * kUsd);
  // Short 15,000 USD of XBTUSD at 31,000: 0.48387097 BTC (its delta at the mark, PnL included
  // in the coin) at 31,000 USD, absolute: a short holds margin as a long does.
  auto bitmex = book.derivatives_gross_usd(m, "bitmex");
  REQUIRE(bitmex);
  CHECK(*bitmex > 14'000 * kUsd);
  CHECK(*bitmex < 16'000 * kUsd);
  CHECK(*book.derivatives_gross_usd(m, "binance") == 0);  // spot only
  CHECK(*book.derivatives_gross_usd(m, "okx") == 0);      // nothing there
  // A missing mark: not known, never guessed.
  m.instrument.erase("binance_usdm:BTCUSDT");
  CHECK_FALSE(book.derivatives_gross_usd(m, "binance_usdm"));
  m.instrument["binance_usdm:BTCUSDT"] = 310'000;
  m.usd.clear();
  CHECK_FALSE(book.derivatives_gross_usd(m, "binance_usdm"));
}
