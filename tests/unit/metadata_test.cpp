// Instrument metadata parsers with the documented shapes (venues.md §1.8, §2.7, §3.6, §4.5,
// §5.3, §6.4), normalisation to our instrument model, and the comparison with configuration.
#include <doctest/doctest.h>

#include "aqueduct/connectors/metadata.hpp"

using namespace aq;
using namespace aq::connectors;

TEST_CASE("Binance spot and USD-M exchangeInfo: filters to tick, lot, minimums") {
  auto spot = parse_binance_exchange_info(
      R"({"timezone":"UTC","symbols":[{"symbol":"BTCUSDT","status":"TRADING","baseAsset":"BTC","quoteAsset":"USDT","filters":[{"filterType":"PRICE_FILTER","minPrice":"0.01000000","maxPrice":"1000000.00000000","tickSize":"0.01000000"},{"filterType":"LOT_SIZE","minQty":"0.00001000","maxQty":"9000.00000000","stepSize":"0.00001000"},{"filterType":"NOTIONAL","minNotional":"5.00000000","applyMinToMarket":true}]}]})",
      "binance", false);
  REQUIRE(spot.size() == 1);
  CHECK(spot[0].tick == Decimal{1, 2});
  CHECK(spot[0].lot == Decimal{1, 5});
  CHECK(spot[0].min_notional == Decimal{5, 0});
  auto inst = to_instrument(spot[0], 1000);
  CHECK(inst.price_scale == 2);
  CHECK(inst.qty_scale == 5);
  CHECK(inst.tick == 1);
  CHECK(inst.lot == 1);
  CHECK(check_instrument(inst, spot[0]).empty());

  auto fut = parse_binance_exchange_info(
      R"({"symbols":[{"symbol":"BTCUSDT","pair":"BTCUSDT","contractType":"PERPETUAL","status":"TRADING","marginAsset":"USDT","baseAsset":"BTC","quoteAsset":"USDT","filters":[{"filterType":"PRICE_FILTER","tickSize":"0.10"},{"filterType":"LOT_SIZE","stepSize":"0.001","minQty":"0.001"},{"filterType":"MIN_NOTIONAL","notional":"100"}]},{"symbol":"BTCUSDT_260925","contractType":"CURRENT_QUARTER","status":"TRADING","marginAsset":"USDT","baseAsset":"BTC","quoteAsset":"USDT","filters":[]}]})",
      "binance_usdm", true);
  REQUIRE(fut.size() == 1);  // deliveries are skipped
  CHECK(fut[0].kind == InstrumentKind::Linear);
  CHECK(fut[0].min_notional == Decimal{100, 0});
  CHECK_THROWS_WITH(parse_binance_exchange_info(R"({"symbols":[{"symbol":"X","status":"TRADING","baseAsset":"X","quoteAsset":"Y","filters":[]}]})", "b", false),
                    doctest::Contains("lacks PRICE_FILTER or LOT_SIZE"));
}

TEST_CASE("OKX instruments: spot and SWAP with ctVal as the contract multiplier") {
  auto v = parse_okx_instruments(
      R"({"code":"0","msg":"","data":[{"instType":"SWAP","instId":"BTC-USDT-SWAP","uly":"BTC-USDT","instFamily":"BTC-USDT","baseCcy":"","quoteCcy":"","settleCcy":"USDT","ctVal":"0.01","ctMult":"1","ctValCcy":"BTC","ctType":"linear","tickSz":"0.1","lotSz":"0.01","minSz":"0.01","state":"live"},{"instType":"SPOT","instId":"BTC-USDT","uly":"","baseCcy":"BTC","quoteCcy":"USDT","settleCcy":"","ctVal":"","ctType":"","tickSz":"0.1","lotSz":"0.00000001","minSz":"0.00001","state":"suspend"}]})",
      "okx");
  REQUIRE(v.size() == 2);
  CHECK(v[0].kind == InstrumentKind::Linear);
  CHECK(v[0].base == "BTC");
  CHECK(v[0].settle == "USDT");
  CHECK(v[0].multiplier == Decimal{1, 2});
  CHECK(v[1].kind == InstrumentKind::Spot);
  CHECK_FALSE(v[1].trading);
  auto swap = to_instrument(v[0], 500);
  CHECK(swap.qty_scale == 2);
  auto problems = check_instrument(to_instrument(v[0], 500), v[1]);
  CHECK(problems.size() >= 2);  // kind and status at least
  CHECK_THROWS_WITH(parse_okx_instruments(R"({"code":"51001","msg":"Instrument ID does not exist","data":[]})", "okx"),
                    doctest::Contains("Instrument ID does not exist"));
}

TEST_CASE("Bybit instruments-info: spot basePrecision, linear qtyStep") {
  auto lin = parse_bybit_instruments(
      R"({"retCode":0,"retMsg":"OK","result":{"category":"linear","list":[{"symbol":"BTCUSDT","contractType":"LinearPerpetual","status":"Trading","baseCoin":"BTC","quoteCoin":"USDT","settleCoin":"USDT","priceScale":"2","priceFilter":{"minPrice":"0.10","maxPrice":"1999999.80","tickSize":"0.10"},"lotSizeFilter":{"maxOrderQty":"1190.000","minOrderQty":"0.001","qtyStep":"0.001","postOnlyMaxOrderQty":"1190.000","minNotionalValue":"5"},"fundingInterval":480}]}})",
      "bybit");
  REQUIRE(lin.size() == 1);
  CHECK(lin[0].kind == InstrumentKind::Linear);
  CHECK(lin[0].tick == Decimal{1, 1});
  CHECK(lin[0].lot == Decimal{1, 3});
  auto spot = parse_bybit_instruments(
      R"({"retCode":0,"retMsg":"OK","result":{"category":"spot","list":[{"symbol":"BTCUSDT","status":"Trading","baseCoin":"BTC","quoteCoin":"USDT","priceFilter":{"tickSize":"0.01"},"lotSizeFilter":{"basePrecision":"0.000001","quotePrecision":"0.00000001","minOrderQty":"0.000048","maxOrderQty":"71.73956243","minOrderAmt":"1","maxOrderAmt":"2000000"}}]}})",
      "bybit");
  REQUIRE(spot.size() == 1);
  CHECK(spot[0].lot == Decimal{1, 6});
  CHECK(spot[0].min_qty == Decimal{48, 6});
  CHECK_THROWS_WITH(parse_bybit_instruments(R"({"retCode":10001,"retMsg":"params error","result":{}})", "bybit"),
                    doctest::Contains("params error"));
}

TEST_CASE("BitMEX instrument: inverse and quanto read exactly, XBT named BTC") {
  auto v = parse_bitmex_instruments(
      R"([{"symbol":"XBTUSD","rootSymbol":"XBT","state":"Open","typ":"FFWCSX","underlying":"XBT","quoteCurrency":"USD","settlCurrency":"XBt","lotSize":100,"tickSize":0.5,"multiplier":-100000000,"isQuanto":false,"isInverse":true,"fundingRate":0.0001,"markPrice":65001.37},{"symbol":"ETHUSD","rootSymbol":"ETH","state":"Open","typ":"FFWCSX","underlying":"ETH","quoteCurrency":"USD","settlCurrency":"XBt","lotSize":1,"tickSize":0.05,"multiplier":100,"isQuanto":true,"isInverse":false},{"symbol":"XBTZ26","typ":"FFCCSX","lotSize":100,"tickSize":0.5}])",
      "bitmex");
  REQUIRE(v.size() == 2);  // the future is skipped
  CHECK(v[0].kind == InstrumentKind::Inverse);
  CHECK(v[0].base == "BTC");
  CHECK(v[0].settle == "XBT");
  CHECK(v[0].tick == Decimal{5, 1});
  CHECK(v[0].multiplier == Decimal{-100'000'000, 0});
  CHECK(v[1].kind == InstrumentKind::Quanto);
  CHECK(v[1].tick == Decimal{5, 2});
  CHECK_THROWS_WITH(parse_bitmex_instruments(R"([{"symbol":"XBTUSD","tickSize":5e-1,"lotSize":100}])", "bitmex"),
                    doctest::Contains("exponent"));
}

TEST_CASE("Coinbase products: one product or a list") {
  auto one = parse_coinbase_products(
      R"({"product_id":"BTC-USD","base_currency_id":"BTC","quote_currency_id":"USD","base_increment":"0.00000001","quote_increment":"0.01","price_increment":"0.01","base_min_size":"0.00000001","base_max_size":"3400","quote_min_size":"1","status":"online","trading_disabled":false})",
      "coinbase");
  REQUIRE(one.size() == 1);
  CHECK(one[0].tick == Decimal{1, 2});
  CHECK(one[0].lot == Decimal{1, 8});
  CHECK(one[0].trading);
  auto list = parse_coinbase_products(
      R"({"products":[{"product_id":"ETH-USD","base_currency_id":"ETH","quote_currency_id":"USD","base_increment":"0.00000001","price_increment":"0.01","base_min_size":"0.00000001","status":"online","trading_disabled":true}],"num_products":1})",
      "coinbase");
  REQUIRE(list.size() == 1);
  CHECK_FALSE(list[0].trading);
}

TEST_CASE("metadata paths name the category or instrument type") {
  CHECK(metadata_path("okx", "BTC-USDT-SWAP", InstrumentKind::Linear) == "/api/v5/public/instruments?instType=SWAP&instId=BTC-USDT-SWAP");
  CHECK(metadata_path("bybit", "BTCUSDT", InstrumentKind::Spot) == "/v5/market/instruments-info?category=spot&symbol=BTCUSDT");
  CHECK(metadata_path("binance_spot", "BTCUSDT", InstrumentKind::Spot) == "/api/v3/exchangeInfo?symbol=BTCUSDT");
  CHECK_THROWS_AS(metadata_path("kraken", "X", InstrumentKind::Spot), std::invalid_argument);
}
