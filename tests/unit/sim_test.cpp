#include <doctest/doctest.h>

#include "aqueduct/sim/price_process.hpp"
#include "aqueduct/sim/sim_book.hpp"

using namespace aq;
using namespace aq::sim;

namespace {
void apply(L2Book& b, const Diff& d) {
  for (const auto& l : d.bids) b.set(Side::Buy, l.price, l.qty);
  for (const auto& l : d.asks) b.set(Side::Sell, l.price, l.qty);
}
}  // namespace

TEST_CASE("the random walk is reproducible from its seed") {
  PriceProcess a(7, 3000000, 1, 40), b(7, 3000000, 1, 40), c(8, 3000000, 1, 40);
  bool differs = false;
  for (int i = 0; i < 100; ++i) {
    auto x = a.step();
    CHECK(x == b.step());
    differs |= x != c.step();
  }
  CHECK(differs);
}

TEST_CASE("simulator diffs chain by update id and rebuild the published book exactly") {
  SimBookParams p;
  SimBook book(p, 1);
  PriceProcess walk(3, 3000000, 1, 40);
  book.refresh(walk.mid());
  auto first = book.publish();
  L2Book replica;
  apply(replica, first);
  uint64_t last = first.final_id;
  for (int i = 0; i < 300; ++i) {
    book.refresh(walk.step());
    if (i % 7 == 0) book.match_ioc(i % 2 ? Side::Buy : Side::Sell, walk.mid() + (i % 2 ? 500 : -500), 30000);
    auto d = book.publish();
    if (d.empty()) continue;
    CHECK(d.first_id == last + 1);
    last = d.final_id;
    apply(replica, d);
    CHECK_FALSE(replica.crossed());
  }
  CHECK(replica.bids() == book.published().bids());
  CHECK(replica.asks() == book.published().asks());
  CHECK(book.published().bids().size() == static_cast<size_t>(p.levels_per_side));
  // Sizes grow away from the mid (within the +-20% jitter): the 10th level beats the best.
  CHECK(book.published().bids()[10].qty > book.published().bids()[0].qty);
}

TEST_CASE("limit IOC orders match against the book up to their limit") {
  SimBookParams p;
  p.base_qty = 1000;
  SimBook book(p, 1);
  book.refresh(1'000'000);
  book.publish();
  auto best_ask = book.published().best_ask()->price;
  auto fills = book.match_ioc(Side::Buy, best_ask, 1'000'000);  // more than the level holds
  REQUIRE(fills.size() == 1);
  CHECK(fills[0].price == best_ask);
  auto d = book.publish();
  REQUIRE(d.asks.size() == 1);
  CHECK(d.asks[0] == Level{best_ask, 0});  // the consumed level is in the next diff
  CHECK(book.match_ioc(Side::Sell, 2'000'000, 10).empty());  // limit above every bid
}

TEST_CASE("a scripted gap leaves a hole in the update ids") {
  SimBook book({}, 1);
  book.refresh(1'000'000);
  auto a = book.publish();
  book.refresh(1'000'500);
  auto b = book.publish(5);
  CHECK(b.first_id == a.final_id + 6);
}
