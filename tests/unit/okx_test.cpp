#include <doctest/doctest.h>

#include "aqueduct/connectors/okx/book_sync.hpp"

using namespace aq;
using namespace aq::okx;

namespace {
using Pairs = std::vector<std::pair<std::string, std::string>>;

Instrument swap() {
  Instrument i;
  i.venue = "okx";
  i.symbol = "BTC-USDT-SWAP";
  i.price_scale = 1;
  i.qty_scale = 0;
  return i;
}

BookMessage msg(BookAction a, int64_t prev, int64_t seq, Pairs bids, Pairs asks, int64_t checksum = 0) {
  BookMessage m;
  m.channel = "books";
  m.inst_id = "BTC-USDT-SWAP";
  m.action = a;
  m.prev_seq_id = prev;
  m.seq_id = seq;
  m.checksum = checksum;
  auto conv = [](const Pairs& ps) {
    std::vector<BookLevel> out;
    for (const auto& [p, q] : ps)
      out.push_back({Decimal::parse(p, 1)->units, Decimal::parse(q, 0)->units, p, q});
    return out;
  };
  m.bids = conv(bids);
  m.asks = conv(asks);
  return m;
}
}  // namespace

TEST_CASE("OKX checksum: TV-C1, TV-C2, TV-C5 and string sensitivity") {
  CHECK(checksum({{"3366.1", "7"}, {"3366", "6"}}, {{"3366.8", "9"}, {"3368", "8"}}) == -1881014294);
  CHECK(checksum({{"3366.1", "7"}}, {{"3366.8", "9"}, {"3368", "8"}, {"3372", "8"}}) == 831078360);
  Pairs bids, asks;
  for (int i = 0; i < 30; ++i) {
    bids.emplace_back(std::to_string(30000 - i), "1");
    asks.emplace_back(std::to_string(30001 + i), "2");
  }
  CHECK(checksum(bids, asks) == 2017378180);  // only the first 25 a side count
  CHECK(checksum({{"0.10", "2"}}, {{"0.11", "1.50"}}) == -1363266894);
  CHECK(checksum({{"0.1", "2"}}, {{"0.11", "1.5"}}) == 252052835);
  CHECK(crc32("123456789") == 0xCBF43926u);  // the standard CRC-32 check value
}

TEST_CASE("OKX book: TV-C3 snapshot then TV-C4 update, each verified by its checksum") {
  BookSync s;
  auto snap = msg(BookAction::Snapshot, -1, 100, {{"64999.9", "12"}, {"64999.5", "3"}, {"64998", "150"}},
                  {{"65000", "8"}, {"65000.4", "1"}, {"65001.2", "40"}, {"65002", "5"}}, -638282617);
  CHECK(s.on_message(snap).event == SyncEvent::SnapshotApplied);
  auto upd = msg(BookAction::Update, 100, 107, {{"64999.9", "0"}, {"64999.7", "20"}}, {{"65000", "10"}}, -1617346001);
  CHECK(s.on_message(upd).event == SyncEvent::Applied);
  CHECK(s.book().best_bid()->price == 649997);
  SUBCASE("a wrong checksum resyncs") {
    auto bad = msg(BookAction::Update, 107, 110, {{"64999.7", "21"}}, {}, -1617346001);
    auto r = s.on_message(bad);
    CHECK(r.event == SyncEvent::ChecksumMismatch);
    CHECK(r.needs_resubscribe());
    CHECK_FALSE(s.live());
  }
}

TEST_CASE("OKX sequencing: heartbeats, maintenance resets and gaps (venues.md section 3.4)") {
  BookSync s;
  CHECK(s.on_message(msg(BookAction::Update, 5, 10, {}, {})).event == SyncEvent::Ignored);  // no snapshot yet
  REQUIRE(s.on_message(msg(BookAction::Snapshot, -1, 10, {{"100", "1"}}, {{"101", "1"}})).event ==
          SyncEvent::SnapshotApplied);
  CHECK(s.on_message(msg(BookAction::Update, 10, 15, {{"100", "2"}}, {})).event == SyncEvent::Applied);
  CHECK(s.on_message(msg(BookAction::Update, 15, 15, {}, {})).event == SyncEvent::Heartbeat);
  CHECK(s.on_message(msg(BookAction::Update, 15, 3, {{"99", "4"}}, {})).event == SyncEvent::Applied);  // reset
  CHECK(s.on_message(msg(BookAction::Update, 3, 5, {}, {{"101", "0"}, {"102", "7"}})).event == SyncEvent::Applied);
  CHECK(s.seq_id() == 5);
  auto gap = s.on_message(msg(BookAction::Update, 6, 9, {}, {}));
  CHECK(gap.event == SyncEvent::Gap);
  CHECK(gap.detail.find("prevSeqId 6") != std::string::npos);
  CHECK_FALSE(s.live());
  // A new snapshot recovers.
  CHECK(s.on_message(msg(BookAction::Snapshot, -1, 50, {{"100", "1"}}, {{"101", "1"}})).event ==
        SyncEvent::SnapshotApplied);
}

TEST_CASE("OKX book: crossed updates resync and the window is capped at 400 levels") {
  BookSync s;
  Pairs bids;
  for (int i = 0; i < 450; ++i) bids.emplace_back(std::to_string(10000 - i), "1");
  s.on_message(msg(BookAction::Snapshot, -1, 1, bids, {{"10001", "1"}}));
  CHECK(s.book().bids().size() == 400);
  CHECK(s.book().bids().back().price == Decimal::parse("9601", 1)->units);
  CHECK(s.on_message(msg(BookAction::Update, 1, 2, {{"10002", "1"}}, {})).event == SyncEvent::Crossed);
}

TEST_CASE("OKX books messages parse from the documented shapes") {
  auto snap = parse_book_message(
      R"({"arg":{"channel":"books","instId":"BTC-USDT-SWAP"},"action":"snapshot",
          "data":[{"asks":[["65000","8","0","3"],["65000.4","1","0","1"]],
                   "bids":[["64999.9","12","0","5"],["64999.5","3","0","2"]],
                   "ts":"1717171717123","checksum":0,"prevSeqId":-1,"seqId":8931551220}]})",
      swap());
  CHECK(snap.action == BookAction::Snapshot);
  CHECK(snap.prev_seq_id == -1);
  CHECK(snap.seq_id == 8931551220);
  CHECK(snap.ts_ms == 1717171717123);
  REQUIRE(snap.asks.size() == 2);
  CHECK(snap.asks[1].price_text == "65000.4");
  CHECK(snap.asks[1].price == 650004);
  auto back = parse_book_message(format_book_message(snap), swap());
  CHECK(back.seq_id == snap.seq_id);
  CHECK(back.bids.size() == 2);
  struct Case { const char* json; const char* says; };
  Case cases[] = {
      {R"({"event":"subscribe","arg":{"channel":"books","instId":"X"}})", "not a books push"},
      {R"({"arg":{"channel":"books5","instId":"X"},"action":"snapshot","data":[{"asks":[],"bids":[],"ts":"1","checksum":0,"prevSeqId":-1,"seqId":1}]})", "is not books"},
      {R"({"arg":{"channel":"books","instId":"X"},"action":"partial","data":[]})", "snapshot or update"},
      {R"({"arg":{"channel":"books","instId":"X"},"action":"update","data":[{"asks":[],"bids":[],"ts":"1"}]})", "seqId and prevSeqId"},
      {R"({"arg":{"channel":"books","instId":"X"},"action":"update","data":[{"asks":[["1.25","1","0","1"]],"bids":[],"ts":"1","checksum":0,"prevSeqId":1,"seqId":2}]})", "at most 1 decimals"},
  };
  for (const auto& c : cases) {
    CAPTURE(c.json);
    CHECK_THROWS_WITH_AS(parse_book_message(c.json, swap()), doctest::Contains(c.says), okx::ParseError);
  }
}
