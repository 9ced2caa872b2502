// Token pairs map onto listings; amounts convert exactly between token base units and
// listing units, rounding the way the caller asks (always in our favour at the call sites).
#include <doctest/doctest.h>

#include "aqueduct/rfq/tokens.hpp"
#include "aqueduct/testing/fixtures.hpp"

using namespace aq;
using namespace aq::rfq;

namespace {
eth::Address addr(const char* s) {
  return *eth::Address::parse(s);
}
const eth::Address kWBTC = addr("0x2260fac5e5542a773aa44fbcfedf7c193bc2c599");
const eth::Address kUSDT = addr("0xdac17f958d2ee523a2206206994597c13d831ec7");
const eth::Address kWETH = addr("0xc02aaa39b223fe8d0a0e5c4f27ead9083c756cc2");
UInt256 u(const char* d) {
  return *UInt256::from_decimal(d);
}
}  // namespace

TEST_CASE("a token pair routes to its listing and the taker's side") {
  Universe universe;
  universe.listings.push_back(testing::btcusdt_listing());
  TokenRegistry reg(
      {{"WBTC", "BTC", kWBTC, 8, {}}, {"USDT", "USDT", kUSDT, 6, {}}, {"WETH", "ETH", kWETH, 18, {}}},
      universe);
  std::string why;
  auto r = reg.route(kWBTC, kUSDT, why);  // the taker sells WBTC
  REQUIRE(r);
  CHECK(r->listing->name == "BTC-USDT");
  CHECK(r->taker_side == Side::Sell);
  CHECK(r->base->symbol == "WBTC");
  r = reg.route(kUSDT, kWBTC, why);
  REQUIRE(r);
  CHECK(r->taker_side == Side::Buy);
  CHECK_FALSE(reg.route(kWETH, kUSDT, why));  // no ETH listing here
  CHECK(why.find("no listing trades WETH against USDT") != std::string::npos);
  CHECK_FALSE(reg.route(addr("0x1111111111111111111111111111111111111111"), kUSDT, why));
  CHECK(why.find("is not traded") != std::string::npos);
  CHECK_FALSE(reg.route(kUSDT, kUSDT, why));
}

TEST_CASE("base units to listing units and back, exact or rounded as asked") {
  // 1.23456789 WBTC (8 dp) at a listing scale of 5.
  CHECK(to_qty_units(u("123456789"), 8, 5, Rounding::Down) == 123456);
  CHECK(to_qty_units(u("123456789"), 8, 5, Rounding::Up) == 123457);
  CHECK(to_qty_units(u("123456000"), 8, 5, Rounding::Up) == 123456);
  CHECK(to_qty_units(u("5"), 2, 5, Rounding::Down) == 5000);  // fewer decimals than the listing
  CHECK_FALSE(to_qty_units(UInt256::max(), 18, 5, Rounding::Down));  // does not fit int64
  CHECK(to_token_units(123456, 5, 8) == u("123456000"));
  CHECK(to_token_units(123456, 5, 3) == std::nullopt);  // 1.23456 has no exact 3-decimal form
  CHECK(to_token_units(123000, 5, 3) == u("1230"));
}

TEST_CASE("the other side of a trade at a price, in token base units, rounded as asked") {
  // 0.5 WBTC at 30000.01 USDT = 15000.005 USDT = 15000005000 base units exactly... (6 dp:
  // 15000005000)
  CHECK(quote_for_base(u("50000000"), 8, 3000001, 2, 6, Rounding::Down) == u("15000005000"));
  // 0.00000001 WBTC at 30000.01 = 0.0003000001 USDT -> 300 / 301 base units
  CHECK(quote_for_base(u("1"), 8, 3000001, 2, 6, Rounding::Down) == u("300"));
  CHECK(quote_for_base(u("1"), 8, 3000001, 2, 6, Rounding::Up) == u("301"));
  // 18-decimal base: 1.5 WETH at 2000.00 = 3000 USDT.
  CHECK(quote_for_base(u("1500000000000000000"), 18, 200000, 2, 6, Rounding::Up) ==
        u("3000000000"));
  // Buying with 3000 USDT at 2000.00: 1.5 WETH exactly; at 2000.01 it rounds.
  CHECK(base_for_quote(u("3000000000"), 6, 200000, 2, 18, Rounding::Down) ==
        u("1500000000000000000"));
  CHECK(base_for_quote(u("3000000000"), 6, 200001, 2, 18, Rounding::Down) ==
        u("1499992500037499812"));
  CHECK(base_for_quote(u("3000000000"), 6, 200001, 2, 18, Rounding::Up) ==
        u("1499992500037499813"));
  CHECK_FALSE(
      quote_for_base(UInt256::max(), 8, 3000001, 2, 6, Rounding::Down));  // overflow refused
  CHECK_FALSE(quote_for_base(u("1"), 8, 0, 2, 6, Rounding::Down));
}
