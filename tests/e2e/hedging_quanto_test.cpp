// A quanto hedge end to end, and the settle coin's part of the fill's PnL: the whole network in
// one process with the Binance spot simulator (prices, and BTC's USD price) and the BitMEX
// simulator, whose ETHUSD pays 0.000001 XBT per USD of ETH price. ETH-USDT hedges on ETHUSD
// only. A taker's 1 ETH buy is hedged with N = 1 / (0.000001 × BTC price) contracts. The fill's
// PnL carries the quanto leg at its value N·m·(M − P)·S, split into its linear equivalent and
// the correlation N·m·(M − P)·(S − S₀); the parts add up to the total in the record. The PnL is
// final as soon as the residual is carried, within milliseconds of the trade, so BTC has barely
// moved and the correlation is nearly zero, while the leg's linear part, h·(M − P), is not: an
// N·m the service got wrong (a misread multiplier) would show as the difference.
// (unit_hedging checks the correlation itself, with the settle coin moving.)
#include <doctest/doctest.h>

#include <boost/json.hpp>
#include <cmath>
#include <cstdlib>

#include "aqueduct/testing/network_config.hpp"
#include "aqueduct/testing/network_under_test.hpp"
#include "aqueduct/testing/wait.hpp"

using namespace aq;
using namespace std::chrono_literals;
namespace json = boost::json;

namespace {
std::string quanto_config() {
  auto v = json::parse(testing::network_config_json());
  auto& c = v.as_object();
  c["venues"].as_object()["bitmex"] =
      json::parse(testing::simulated_venue_json("bitmex", "BITMEX"));
  c["instruments"].as_array().push_back(json::parse(R"(
    { "venue": "bitmex", "symbol": "ETHUSD", "kind": "quanto", "base": "ETH", "quote": "USD",
      "settle": "XBT", "price_scale": 2, "qty_scale": 0, "tick": "0.05", "lot": "1", "min_qty": "1",
      "multiplier": "100", "taker_fee_bps": "5", "maker_fee_bps": "2", "sim_start_mid": "2001.00",
      "sim_level_step": "0.10", "sim_best_qty": "500", "sim_max_step_ticks": 2 })"));
  auto& eth = c["listings"].as_array()[1].as_object();
  eth["hedge"] = json::array{"bitmex:ETHUSD"};
  eth["price_from"] = json::array{"binance:ETHUSDT"};
  eth["quote_ttl_ms"] = 3000;
  return json::serialize(v);
}
}  // namespace

TEST_CASE(
    "quanto hedge: sized by the settle coin's price; its PnL is split exactly, the correlation its "
    "own part") {
  testing::NetworkUnderTest t(quanto_config(), "taker-q", {"BINANCE", "BITMEX"});
  auto& db = t.db;
  auto& takers = t.takers;
  takers.listing = "ETH-USDT";
  takers.qty_scale = 4;

  REQUIRE(takers.fill(true, 10'000));  // the taker buys 1 ETH: we buy it back on ETHUSD
  REQUIRE(testing::wait_until([&] { return db.scalar("SELECT count(*) FROM fill_pnl") == "1"; },
                              10'000ms));
  // One ETH at BTC near 30,000 is 1 / 0.03 = 33.3 contracts: 33 (whole lots); the 0.01 ETH
  // left is below one contract (0.03 ETH) and carried.
  CHECK(db.scalar("SELECT string_agg(side || ' ' || qty::text, ',') FROM hedge_orders "
                  "WHERE symbol = 'ETHUSD' AND status = 'ORDER_FILLED'") == "buy 33");
  // Parts add up (the record's own constraint checks it too).
  CHECK(db.scalar("SELECT spread + hedge_slippage + fees + funding + revaluation + quanto = total "
                  "FROM fill_pnl") == "t");
  CHECK(std::stoi(db.scalar("SELECT hedges FROM fill_pnl")) >= 1);
  // The venue's fee (5 bp) on 33 contracts (0.99 ETH) at about 2001: about 0.99 USD.
  double fees = std::stod(db.scalar("SELECT fees FROM fill_pnl"));
  CHECK(fees < -0.9);
  CHECK(fees > -1.1);
  // The leg's linear part, h·(M − P) = Σ q·m·S₀·(M − P) over its trades, at BTC about 30,000.
  double linear =
      30'000 * std::stod(db.scalar("SELECT sum(t.qty * 0.000001 * (p.mark - t.price)) FROM "
                                   "venue_trades t JOIN hedge_orders h "
                                   "USING (hedge_id), fill_pnl p WHERE h.symbol = 'ETHUSD'"));
  double quanto = std::stod(db.scalar("SELECT quanto FROM fill_pnl"));
  MESSAGE("quanto part " << quanto << " USD; the leg's linear part about " << linear << " USD");
  // BTC moves at most a few basis points in those milliseconds: the correlation is under 1% of
  // the linear part (an N·m off by a factor of ten would make it 900%).
  CHECK(std::abs(quanto) <= 0.01 * std::abs(linear) + 1e-9);
  t.net.stop();
}
