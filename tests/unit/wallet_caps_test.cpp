// Indicative ladders cut to what the maker's wallet can pay out: asks by the base token held,
// bids by the quote token at each level's price; the crossing level shortened, later ones gone.
#include <doctest/doctest.h>

#include "aqueduct/rfq/wallet_caps.hpp"
#include "aqueduct/types/convert.hpp"

using namespace aq;
using namespace aq::rfq;

namespace {

const Token kWbtc{"WBTC", "BTC", {}, 8, {}};
const Token kUsdt{"USDT", "USDT", {}, 6, {}};

LevelIncrements ladder(std::initializer_list<std::pair<const char*, const char*>> levels) {
  LevelIncrements out;
  for (auto [q, p] : levels) {
    auto* lv = out.Add();
    to_proto(Decimal::parse_or_throw(q, 4), lv->mutable_qty());
    to_proto(Decimal::parse_or_throw(p, 2), lv->mutable_price());
  }
  return out;
}

std::string qty(const LevelIncrements& l, int i) {
  return from_proto(l.Get(i).qty()).to_string();
}

}  // namespace

TEST_CASE("asks stop at the base token the wallet can deliver") {
  auto asks = ladder({{"0.5", "100000"}, {"0.5", "100100"}, {"1", "100200"}});
  cap_ask_increments(asks, UInt256(75'000'000), kWbtc);  // 0.75 WBTC
  REQUIRE(asks.size() == 2);
  CHECK(qty(asks, 0) == "0.5000");
  CHECK(qty(asks, 1) == "0.2500");
  auto all = ladder({{"0.5", "100000"}, {"0.5", "100100"}});
  cap_ask_increments(all, UInt256(100'000'000), kWbtc);
  CHECK(all.size() == 2);
  auto none = ladder({{"0.5", "100000"}});
  cap_ask_increments(none, UInt256(0), kWbtc);
  CHECK(none.empty());
}

TEST_CASE("bids stop at the quote token the wallet can pay, level by level at its price") {
  auto bids = ladder({{"0.1", "100000"}, {"0.1", "99000"}, {"1", "98000"}});
  // 0.1 x 100000 + 0.1 x 99000 = 19900 USDT; 25000 leaves 5100 for the third: 0.052 BTC.
  cap_bid_increments(bids, UInt256(25'000'000'000ULL), kWbtc, kUsdt);
  REQUIRE(bids.size() == 3);
  CHECK(qty(bids, 0) == "0.1000");
  CHECK(qty(bids, 1) == "0.1000");
  CHECK(qty(bids, 2) == "0.0520");
  auto tiny = ladder({{"0.1", "100000"}});
  cap_bid_increments(tiny, UInt256(9'999'999), kWbtc, kUsdt);  // 9.99 USDT: under 0.0001 BTC
  CHECK(tiny.empty());
}
