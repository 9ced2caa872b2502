// The quote lifecycle shared by every protocol: reservations against listing and client
// limits, fill at most once (also while a fill is being made durable), decline, expiry.
#include <doctest/doctest.h>

#include "aqueduct/rfq/quote_ledger.hpp"

using namespace aq;
using namespace aq::rfq;

namespace {
IssuedQuote quote(const std::string& id, int64_t qty, int64_t expiry, Side side = Side::Buy,
                  const std::string& client = "c1") {
  IssuedQuote q;
  q.quote_id = id;
  q.client_id = client;
  q.listing = "BTC-USDT";
  q.side = side;
  q.price = 3000000;  // 30000.00 at scale 2
  q.qty = qty;        // at scale 5
  q.notional = notional_of(qty, 5, q.price, 2);
  q.expiry_ns = expiry;
  return q;
}
}  // namespace

TEST_CASE("notional is qty x price at 10^-6, rounded up") {
  CHECK(notional_of(100000, 5, 3000000, 2) == 30000'000000);  // 1 BTC at 30000.00
  CHECK(notional_of(1, 5, 3000001, 2) == 300001);  // 0.00001 x 30000.01 = 0.3000001 -> 0.300001
  CHECK(notional_of(3, 0, 7, 0) == 21'000000);
}

TEST_CASE("a quote fills once, before expiry, for its own client only") {
  QuoteLedger ledger(1000);
  REQUIRE(ledger.reserve(quote("q1", 100, 500), {}, {}, 0));
  IssuedQuote out;
  CHECK(ledger.begin_fill("nope", "c1", 100, 0, out) == FillError::Unknown);
  CHECK(ledger.begin_fill("q1", "c2", 100, 0, out) == FillError::NotYours);
  CHECK(ledger.begin_fill("q1", "c1", 0, 0, out) == FillError::BadQty);
  CHECK(ledger.begin_fill("q1", "c1", 101, 0, out) == FillError::BadQty);
  CHECK(ledger.begin_fill("q1", "c1", 100, 499, out) == FillError::None);
  CHECK(out.quote_id == "q1");
  // While the first fill is being recorded, a second is refused, not queued.
  CHECK(ledger.begin_fill("q1", "c1", 100, 499, out) == FillError::InProgress);
  ledger.commit_fill("q1");
  CHECK(ledger.state("q1") == QuoteState::Filled);
  CHECK(ledger.begin_fill("q1", "c1", 100, 499, out) == FillError::AlreadyFilled);
}

TEST_CASE("expiry is exclusive; settled quotes are remembered for the grace period") {
  QuoteLedger ledger(1000);
  REQUIRE(ledger.reserve(quote("q1", 100, 500), {}, {}, 0));
  IssuedQuote out;
  CHECK(ledger.begin_fill("q1", "c1", 100, 500, out) == FillError::Expired);
  CHECK(ledger.sweep(500) == 0);
  CHECK(ledger.state("q1") == QuoteState::Expired);
  CHECK(ledger.outstanding("BTC-USDT", Side::Buy) == 0);
  CHECK(ledger.begin_fill("q1", "c1", 100, 1499, out) == FillError::Expired);
  CHECK(ledger.sweep(1500) == 1);
  CHECK(ledger.begin_fill("q1", "c1", 100, 1500, out) == FillError::Unknown);
}

TEST_CASE("an on-chain settlement reported after expiry is still taken, once") {
  QuoteLedger ledger(1000);
  REQUIRE(ledger.reserve(quote("q1", 100, 500), {}, {}, 0));
  ledger.sweep(600);
  IssuedQuote out;
  FillCheck onchain{false, false};
  CHECK(ledger.begin_fill("q1", "whoever", 60, 600, out, onchain) == FillError::None);
  CHECK(ledger.outstanding("BTC-USDT", Side::Buy) == 100);  // held again until it settles
  ledger.commit_fill("q1");
  CHECK(ledger.outstanding("BTC-USDT", Side::Buy) == 0);
  CHECK(ledger.begin_fill("q1", "whoever", 60, 700, out, onchain) == FillError::AlreadyFilled);
}

TEST_CASE(
    "a fill that could not be recorded is aborted: live again, or expired if its time passed") {
  QuoteLedger ledger;
  REQUIRE(ledger.reserve(quote("q1", 100, 500), {}, {}, 0));
  REQUIRE(ledger.reserve(quote("q2", 100, 500), {}, {}, 0));
  IssuedQuote out;
  REQUIRE(ledger.begin_fill("q1", "c1", 100, 0, out) == FillError::None);
  ledger.abort_fill("q1", 10);
  CHECK(ledger.state("q1") == QuoteState::Live);
  CHECK(ledger.begin_fill("q1", "c1", 100, 11, out) == FillError::None);
  REQUIRE(ledger.begin_fill("q2", "c1", 100, 0, out) == FillError::None);
  ledger.abort_fill("q2", 600);
  CHECK(ledger.state("q2") == QuoteState::Expired);
  CHECK(ledger.outstanding("BTC-USDT", Side::Buy) == 100);  // only q1's, still filling
}

TEST_CASE("reservations: per listing side, per client quote and open notional") {
  QuoteLedger ledger;
  ListingLimit listing{250};
  ClientLimit client{40'000000, 70'000000};  // 0.001 BTC quotes are 30 USDT: 40 per quote, 70 open
  CHECK(ledger.reserve(quote("a", 100, 500), listing, client, 0));              // 30
  CHECK(ledger.reserve(quote("b", 100, 500, Side::Sell), listing, client, 0));  // other side: 30
  auto r = ledger.reserve(quote("c", 100, 500), listing, client, 0);            // open would be 90
  CHECK(r.error == ReserveError::ClientOpenNotional);
  CHECK(r.detail.find("limit of 70") != std::string::npos);
  CHECK(ledger.reserve(quote("c", 100, 500, Side::Buy, "c2"), listing, client, 0));  // buy side 200
  r = ledger.reserve(quote("d", 100, 500, Side::Buy, "c3"), listing, client,
                     0);  // buy side 300 > 250
  CHECK(r.error == ReserveError::ListingOutstanding);
  CHECK(r.detail.find("250") != std::string::npos);
  r = ledger.reserve(quote("e", 150, 500, Side::Sell, "c4"), listing, client,
                     0);  // 45 > 40 per quote
  CHECK(r.error == ReserveError::ClientQuoteNotional);
  CHECK(ledger.reserve(quote("a", 1, 500, Side::Sell, "c5"), listing, client, 0).error ==
        ReserveError::DuplicateId);
  // A refused reservation changed nothing.
  CHECK(ledger.outstanding("BTC-USDT", Side::Buy) == 200);
  CHECK(ledger.outstanding("BTC-USDT", Side::Sell) == 100);
  CHECK(ledger.open_notional("c1") == 60'000000);

  // Decline, fill and expiry each release.
  CHECK(ledger.decline("a"));
  CHECK_FALSE(ledger.decline("a"));
  CHECK(ledger.open_notional("c1") == 30'000000);
  IssuedQuote out;
  CHECK(ledger.begin_fill("a", "c1", 100, 1, out) == FillError::Declined);
  REQUIRE(ledger.begin_fill("b", "c1", 50, 1, out) == FillError::None);
  ledger.commit_fill("b");  // a partial fill settles the whole quote
  CHECK(ledger.open_notional("c1") == 0);
  CHECK(ledger.outstanding("BTC-USDT", Side::Sell) == 0);
  ledger.sweep(500);
  CHECK(ledger.outstanding("BTC-USDT", Side::Buy) == 0);
  CHECK(ledger.open_notional("c2") == 0);
}

TEST_CASE("sweeping touches only quotes whose time has come, in deadline order") {
  QuoteLedger ledger(1000);
  // 10,000 quotes expiring at 1..10000 (issued out of order), one of them filled, one Filling.
  for (int64_t i = 10'000; i >= 1; --i)
    REQUIRE(ledger.reserve(quote("q" + std::to_string(i), 1, i), {}, {}, 0));
  IssuedQuote out;
  REQUIRE(ledger.begin_fill("q3", "c1", 1, 0, out) == FillError::None);
  ledger.commit_fill("q3");
  REQUIRE(ledger.begin_fill("q4", "c1", 1, 0, out) == FillError::None);  // still being recorded
  std::vector<std::string> expired, forgotten;
  CHECK(ledger.sweep(5, &expired, &forgotten) == 0);
  // q1, q2, q3 (filled: reported so its row can go), q5; not q4 (Filling), not q6 onwards.
  CHECK(expired == std::vector<std::string>{"q1", "q2", "q3", "q5"});
  CHECK(ledger.state("q5") == QuoteState::Expired);
  CHECK(ledger.state("q6") == QuoteState::Live);
  CHECK(ledger.state("q4") == QuoteState::Filling);
  CHECK(ledger.outstanding("BTC-USDT", Side::Buy) == 10'000 - 4);  // q1 q2 q5 expired, q3 filled; q4 held
  ledger.commit_fill("q4");
  expired.clear();
  CHECK(ledger.sweep(1'001, &expired, &forgotten) == 1);  // q1's grace ends at 1001
  CHECK(forgotten == std::vector<std::string>{"q1"});
  CHECK(ledger.find("q1") == nullptr);
  CHECK(ledger.find("q2") != nullptr);
  CHECK(expired.size() == 1'001 - 5);  // q6..q1001
  // q4, held back while Filling, comes round again a second later and is then forgotten too.
  forgotten.clear();
  ledger.sweep(1'000'002'000, nullptr, &forgotten);
  CHECK(ledger.find("q4") == nullptr);
  CHECK(forgotten.size() == 10'000 - 1);
  CHECK(ledger.outstanding("BTC-USDT", Side::Buy) == 0);
}
