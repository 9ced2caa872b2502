// Indicative answers kept on the rfq loop: served only for the same ask and only while young;
// a refusal for the listing drops them; firm prices never come from here (QuoteDesk).
#include <doctest/doctest.h>

#include "aqueduct/rfq/indicative_cache.hpp"

using namespace aq;
using namespace aq::rfq;

namespace {
constexpr int64_t kMs = 1'000'000;
IndicativeKey ask(int64_t qty, Side side = Side::Sell, std::string_view listing = "BTC-USDT") {
  return {listing, side, qty, std::nullopt, "standard", false};
}
}  // namespace

TEST_CASE("an answer is served for the same ask while it is at most max_age old") {
  IndicativeCache<int> c(50 * kMs, 16);
  c.store(ask(100), 42, 1000 * kMs);
  REQUIRE(c.find(ask(100), 1000 * kMs) != nullptr);
  CHECK(*c.find(ask(100), 1050 * kMs) == 42);
  CHECK(c.find(ask(100), 1051 * kMs) == nullptr);  // too old: gone
  CHECK(c.find(ask(100), 1000 * kMs) == nullptr);  // and erased, not revived
  CHECK(c.hits() == 2);
}

TEST_CASE("a different size, side, listing, tier, fee terms or amount is a different ask") {
  IndicativeCache<int> c(50 * kMs, 16);
  c.store(ask(100), 1, 0);
  CHECK(c.find(ask(101), 0) == nullptr);
  CHECK(c.find(ask(100, Side::Buy), 0) == nullptr);
  CHECK(c.find(ask(100, Side::Sell, "ETH-USDT"), 0) == nullptr);
  auto vip = ask(100);
  vip.tier = "vip";
  CHECK(c.find(vip, 0) == nullptr);
  auto zero = ask(100);
  zero.zero_fee = true;
  CHECK(c.find(zero, 0) == nullptr);
  // 100 qty units and an amount of 100 quote units are not the same ask.
  auto by_amount = ask(0);
  by_amount.amount = Decimal{100, 0};
  CHECK(c.find(by_amount, 0) == nullptr);
  c.store(by_amount, 2, 0);
  CHECK(*c.find(by_amount, 0) == 2);
  CHECK(*c.find(ask(100), 0) == 1);
}

TEST_CASE("a refusal for a listing drops every answer kept for it, and only for it") {
  IndicativeCache<int> c(50 * kMs, 16);
  c.store(ask(100), 1, 0);
  c.store(ask(200, Side::Buy), 2, 0);
  c.store(ask(100, Side::Sell, "ETH-USDT"), 3, 0);
  c.forget_listing("BTC-USDT");
  CHECK(c.find(ask(100), 0) == nullptr);
  CHECK(c.find(ask(200, Side::Buy), 0) == nullptr);
  CHECK(*c.find(ask(100, Side::Sell, "ETH-USDT"), 0) == 3);
}

TEST_CASE("it never holds more than its capacity, and max_age 0 keeps nothing") {
  IndicativeCache<int> c(50 * kMs, 4);
  for (int i = 0; i < 100; ++i) c.store(ask(i + 1), i, 0);
  CHECK(c.size() <= 4);
  CHECK(*c.find(ask(100), 0) == 99);  // the newest survives the clearing

  IndicativeCache<int> off(0, 4);
  off.store(ask(100), 1, 0);
  CHECK(off.size() == 0);
  CHECK(off.find(ask(100), 0) == nullptr);
}

TEST_CASE("a clock that goes backwards does not make an old answer young") {
  IndicativeCache<int> c(50 * kMs, 16);
  c.store(ask(100), 1, 1000 * kMs);
  CHECK(c.find(ask(100), 900 * kMs) == nullptr);
}
