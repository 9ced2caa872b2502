// Free margin from a venue's own account read: the read's `available`, less what perp trades
// since the read added; nothing free without a usable read, and why.
#include <doctest/doctest.h>

#include "aqueduct/hedging/contract_math.hpp"
#include "aqueduct/hedging/venue_margin.hpp"

using namespace aq;
using namespace aq::hedging;

namespace {
constexpr int64_t kUsd = 1'000'000;      // kUsdScale
constexpr int64_t kSec = 1'000'000'000;  // ns
constexpr int64_t kBtc = 100'000'000;    // kAssetScale

VenueMarginRead read_of(const char* coin, const char* available, int64_t at_ns,
                        int64_t added_usd = 0) {
  VenueMarginRead r;
  r.coin = coin;
  r.available = Decimal::parse_or_throw(available, 8);
  r.read_at_ns = at_ns;
  r.added_usd = added_usd;
  return r;
}
}  // namespace

TEST_CASE("venue margin: the read's available, less 10% of the notional added since") {
  auto r = read_of("USDT", "1500", 100 * kSec);
  // Nothing added: all 1,500 USD free.
  auto v = venue_free_margin("okx", &r, 100'000, 15'000, Decimal{1, 0}, 101 * kSec);
  CHECK(v.why.empty());
  CHECK(v.free_usd == 1'500 * kUsd);
  // 4,000.000001 USD added: 400.0000001 held, rounded up to 400.000001.
  r.added_usd = 4'000 * kUsd + 1;
  v = venue_free_margin("okx", &r, 100'000, 15'000, Decimal{1, 0}, 101 * kSec);
  CHECK(v.free_usd == 1'500 * kUsd - 400 * kUsd - 1);
  // Far more added than is free: 0, never below.
  r.added_usd = 100'000 * kUsd;
  v = venue_free_margin("okx", &r, 100'000, 15'000, Decimal{1, 0}, 101 * kSec);
  CHECK(v.free_usd == 0);
  CHECK(v.why.empty());
}

TEST_CASE("venue margin: what a trade adds is the growth of the position's size") {
  Decimal px{30'000, 0};
  CHECK(added_notional_usd(0, kBtc / 10, px) == 3'000 * kUsd);           // opens 0.1 long
  CHECK(added_notional_usd(-kBtc / 10, -kBtc / 4, px) == 4'500 * kUsd);  // short grows 0.15
  CHECK(added_notional_usd(kBtc / 4, kBtc / 10, px) == 0);               // reduces: nothing
  CHECK(added_notional_usd(-kBtc / 10, kBtc / 5, px) == 6'000 * kUsd);   // flips: the new 0.2
  CHECK(added_notional_usd(0, 1, Decimal{1, 1}) == 1);                   // rounded up
}

TEST_CASE("venue margin: a coin account is valued at the coin's USD price, rounded down") {
  auto r = read_of("BTC", "0.12345678", 0);
  auto v = venue_free_margin("bitmex", &r, 100'000, 15'000, Decimal{3'000'012, 2}, kSec);
  // 0.12345678 x 30,000.12 = 3,703.718214... -> 3,703.718214
  CHECK(v.free_usd == 3'703'718'214);
  v = venue_free_margin("bitmex", &r, 100'000, 15'000, std::nullopt, kSec);
  CHECK(v.free_usd == 0);
  CHECK(v.why == "no USD price for bitmex's margin coin BTC");
}

TEST_CASE("venue margin: no read, a failed read, a stale read, an unvalued trade: nothing free") {
  auto v = venue_free_margin("bybit", nullptr, 100'000, 15'000, Decimal{1, 0}, kSec);
  CHECK(v.free_usd == 0);
  CHECK(v.why == "no account read from bybit yet");
  VenueMarginRead failed;
  failed.error = "bybit wallet-balance: HTTP 200, retCode 10003: API key is invalid.";
  v = venue_free_margin("bybit", &failed, 100'000, 15'000, Decimal{1, 0}, kSec);
  CHECK(v.free_usd == 0);
  CHECK(v.why ==
        "the last account read from bybit failed: bybit wallet-balance: HTTP 200, retCode 10003: "
        "API key is invalid.");
  auto r = read_of("USD", "900", 10 * kSec);
  // 15 s old exactly is allowed; 15.001 s is not.
  CHECK(venue_free_margin("bybit", &r, 100'000, 15'000, Decimal{1, 0}, 25 * kSec).free_usd ==
        900 * kUsd);
  v = venue_free_margin("bybit", &r, 100'000, 15'000, Decimal{1, 0}, 25 * kSec + 1'000'000);
  CHECK(v.free_usd == 0);
  CHECK(v.why == "the account read from bybit is 15.001 s old; at most 15 s is allowed");
  r.added_usd.reset();
  v = venue_free_margin("bybit", &r, 100'000, 15'000, Decimal{1, 0}, 11 * kSec);
  CHECK(v.free_usd == 0);
  CHECK(v.why == "a trade on bybit since its account read could not be valued");
}

TEST_CASE(
    "venue margin: a read counts the trades learned of since it was asked, not since it came") {
  MarginTradeLog log;
  log.on_trade(100, 40 * kUsd);
  log.on_trade(200, 60 * kUsd);  // after the router asked at 150, before its answer came
  log.on_trade(300, 0);          // one that closed notional adds none
  // The read asked at 150 may not show the trade at 200: it stays held against it.
  CHECK(log.added_since(150) == 60 * kUsd);
  // A read asked at 250 shows both; the one before its request is forgotten.
  CHECK(log.added_since(250) == 0);
  log.on_trade(400, std::nullopt);  // could not be valued
  log.on_trade(500, 5 * kUsd);
  CHECK_FALSE(log.added_since(350));        // nothing can be trusted until a read shows it
  CHECK(log.added_since(450) == 5 * kUsd);  // a read asked after it does
}
