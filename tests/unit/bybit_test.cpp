#include <doctest/doctest.h>

#include "aqueduct/connectors/bybit/book.hpp"

using namespace aq;
using namespace aq::bybit;

namespace {
Instrument linear() {
  Instrument i;
  i.venue = "bybit";
  i.symbol = "BTCUSDT";
  i.price_scale = 2;
  i.qty_scale = 3;
  return i;
}
BookMessage msg(BookType t, uint64_t u, std::vector<Level> bids, std::vector<Level> asks, size_t depth = 50) {
  BookMessage m;
  m.topic = "orderbook." + std::to_string(depth) + ".BTCUSDT";
  m.depth = depth;
  m.type = t;
  m.update_id = u;
  m.bids = std::move(bids);
  m.asks = std::move(asks);
  return m;
}
}  // namespace

TEST_CASE("Bybit orderbook messages parse from the documented shapes") {
  auto snap = parse_book_message(
      R"({"topic":"orderbook.50.BTCUSDT","type":"snapshot","ts":1717171717123,
          "data":{"s":"BTCUSDT","b":[["64999.90","1.204"],["64999.80","0.550"]],"a":[["65000.00","0.731"]],
                  "u":18521288,"seq":7961638724},"cts":1717171717120})",
      linear());
  CHECK(snap.type == BookType::Snapshot);
  CHECK(snap.depth == 50);
  CHECK(snap.update_id == 18521288);
  CHECK(snap.cross_seq == 7961638724ULL);
  CHECK(snap.bids[0] == Level{6499990, 1204});
  auto delta = parse_book_message(
      R"({"topic":"orderbook.50.BTCUSDT","type":"delta","ts":1717171717143,
          "data":{"s":"BTCUSDT","b":[["64999.90","0"]],"a":[["65000.00","0.912"],["65000.50","2.000"]],
                  "u":18521289,"seq":7961638731},"cts":1717171717141})",
      linear());
  BookSync s;
  CHECK(s.on_message(snap).event == SyncEvent::SnapshotApplied);
  CHECK(s.on_message(delta).event == SyncEvent::Applied);
  CHECK(s.book().best_bid()->price == 6499980);
  CHECK(s.book().best_ask()->qty == 912);
  CHECK_THROWS_WITH_AS(parse_book_message(R"({"topic":"tickers.BTCUSDT","type":"snapshot","data":{"u":1}})", linear()),
                       doctest::Contains("is not orderbook"), bybit::ParseError);
  CHECK_THROWS_WITH_AS(parse_book_message(R"({"topic":"orderbook.50.BTCUSDT","type":"delta","data":{"b":[],"a":[]}})", linear()),
                       doctest::Contains("data.u"), bybit::ParseError);
}

TEST_CASE("Bybit sync: snapshots reset, u == 1 restarts, deltas chain by u, gaps resubscribe") {
  BookSync s;
  CHECK(s.on_message(msg(BookType::Delta, 5, {}, {})).event == SyncEvent::Ignored);
  REQUIRE(s.on_message(msg(BookType::Snapshot, 10, {{100, 1}}, {{101, 1}})).event == SyncEvent::SnapshotApplied);
  CHECK(s.on_message(msg(BookType::Delta, 11, {{100, 2}}, {})).event == SyncEvent::Applied);
  CHECK(s.on_message(msg(BookType::Delta, 11, {{100, 9}}, {})).event == SyncEvent::Ignored);  // repeated
  CHECK(s.book().best_bid()->qty == 2);
  // A snapshot mid-stream replaces everything (the level-1 3 s resend has the same u).
  CHECK(s.on_message(msg(BookType::Snapshot, 11, {{99, 5}}, {{102, 5}})).event == SyncEvent::SnapshotApplied);
  CHECK(s.book().bids().size() == 1);
  // A service restart numbers from 1 again, whatever the type says.
  CHECK(s.on_message(msg(BookType::Delta, 1, {{98, 1}}, {{103, 1}})).event == SyncEvent::SnapshotApplied);
  CHECK(s.book().best_bid()->price == 98);
  CHECK(s.on_message(msg(BookType::Delta, 2, {}, {})).event == SyncEvent::Applied);
  auto gap = s.on_message(msg(BookType::Delta, 4, {}, {}));
  CHECK(gap.event == SyncEvent::Gap);
  CHECK(gap.needs_resubscribe());
  CHECK_FALSE(s.live());
}

TEST_CASE("Bybit sync: the book is capped at the topic depth and a crossed book resyncs") {
  BookSync s;
  std::vector<Level> bids;
  for (int64_t i = 0; i < 60; ++i) bids.push_back({1000 - i, 1});
  s.on_message(msg(BookType::Snapshot, 7, bids, {{1001, 1}}, 50));
  CHECK(s.book().bids().size() == 50);
  CHECK(s.book().bids().back().price == 951);
  CHECK(s.on_message(msg(BookType::Delta, 8, {{1002, 1}}, {})).event == SyncEvent::Crossed);
}
