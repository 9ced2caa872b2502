// Free margin from a venue's own account read: the read's `available`, less what perp notional
// added since the read holds; nothing free without a usable read, and why.
#include <doctest/doctest.h>

#include "aqueduct/hedging/contract_math.hpp"
#include "aqueduct/hedging/venue_margin.hpp"

using namespace aq;
using namespace aq::hedging;

namespace {
constexpr int64_t kUsd = 1'000'000;      // kUsdScale
constexpr int64_t kSec = 1'000'000'000;  // ns

VenueMarginRead read_of(const char* coin, const char* available, int64_t at_ns, int64_t gross_usd) {
  VenueMarginRead r;
  r.coin = coin;
  r.available = Decimal::parse_or_throw(available, 8);
  r.read_at_ns = at_ns;
  r.gross_usd_at_read = gross_usd;
  return r;
}
}  // namespace

TEST_CASE("venue margin: the read's available, less 10% of the notional added since") {
  auto r = read_of("USDT", "1500", 100 * kSec, 2'000 * kUsd);
  // Nothing added: all 1,500 USD free.
  auto v = venue_free_margin("okx", &r, 100'000, 15'000, Decimal{1, 0}, 2'000 * kUsd, 101 * kSec);
  CHECK(v.why.empty());
  CHECK(v.free_usd == 1'500 * kUsd);
  // 4,000.000001 USD added: 400.0000001 held, rounded up to 400.000001.
  v = venue_free_margin("okx", &r, 100'000, 15'000, Decimal{1, 0}, 6'000 * kUsd + 1, 101 * kSec);
  CHECK(v.free_usd == 1'500 * kUsd - 400 * kUsd - 1);
  // Closing since the read frees nothing until the venue says so.
  v = venue_free_margin("okx", &r, 100'000, 15'000, Decimal{1, 0}, 0, 101 * kSec);
  CHECK(v.free_usd == 1'500 * kUsd);
  // Far more added than is free: 0, never below.
  v = venue_free_margin("okx", &r, 100'000, 15'000, Decimal{1, 0}, 100'000 * kUsd, 101 * kSec);
  CHECK(v.free_usd == 0);
  CHECK(v.why.empty());
}

TEST_CASE("venue margin: a coin account is valued at the coin's USD price, rounded down") {
  auto r = read_of("BTC", "0.12345678", 0, 0);
  auto v = venue_free_margin("bitmex", &r, 100'000, 15'000, Decimal{3'000'012, 2}, 0, kSec);
  // 0.12345678 x 30,000.12 = 3,703.718214... -> 3,703.718214
  CHECK(v.free_usd == 3'703'718'214);
  v = venue_free_margin("bitmex", &r, 100'000, 15'000, std::nullopt, 0, kSec);
  CHECK(v.free_usd == 0);
  CHECK(v.why == "no USD price for bitmex's margin coin BTC");
}

TEST_CASE("venue margin: no read, a failed read, a stale read, an unvalued book: nothing free") {
  auto v = venue_free_margin("bybit", nullptr, 100'000, 15'000, Decimal{1, 0}, 0, kSec);
  CHECK(v.free_usd == 0);
  CHECK(v.why == "no account read from bybit yet");
  VenueMarginRead failed;
  failed.error = "bybit wallet-balance: HTTP 200, retCode 10003: API key is invalid.";
  v = venue_free_margin("bybit", &failed, 100'000, 15'000, Decimal{1, 0}, 0, kSec);
  CHECK(v.free_usd == 0);
  CHECK(v.why ==
        "the last account read from bybit failed: bybit wallet-balance: HTTP 200, retCode 10003: "
        "API key is invalid.");
  auto r = read_of("USD", "900", 10 * kSec, 0);
  // 15 s old exactly is allowed; 15.001 s is not.
  CHECK(venue_free_margin("bybit", &r, 100'000, 15'000, Decimal{1, 0}, 0, 25 * kSec).free_usd ==
        900 * kUsd);
  v = venue_free_margin("bybit", &r, 100'000, 15'000, Decimal{1, 0}, 0, 25 * kSec + 1'000'000);
  CHECK(v.free_usd == 0);
  CHECK(v.why == "the account read from bybit is 15.001 s old; at most 15 s is allowed");
  v = venue_free_margin("bybit", &r, 100'000, 15'000, Decimal{1, 0}, std::nullopt, 11 * kSec);
  CHECK(v.free_usd == 0);
  CHECK(v.why == "a mark of bybit's perp positions is missing");
  r.gross_usd_at_read.reset();
  CHECK(venue_free_margin("bybit", &r, 100'000, 15'000, Decimal{1, 0}, 0, 11 * kSec).free_usd == 0);
}
