#include <doctest/doctest.h>

#include <sstream>

#include "aqueduct/connectors/binance/replay.hpp"
#include "aqueduct/sim/sim_book.hpp"
#include "aqueduct/testing/fixtures.hpp"

using namespace aq;
using namespace aq::binance;

namespace {
// A recording made from the simulator's book: snapshot first, then `n` diffs.
struct Recording {
  std::string text;
  sim::SimBook book{{}, 9};
  uint64_t skip_at = UINT64_MAX;
  Recording(int n, bool timestamps, uint64_t gap_at = UINT64_MAX) {
    auto inst = testing::btcusdt();
    book.refresh(3000000);
    book.publish();
    DepthSnapshot s{book.last_update_id(), book.published().bids(), book.published().asks()};
    std::ostringstream out;
    if (timestamps) out << 1000 << '\t';
    out << format_depth_snapshot(s, inst) << '\n';
    int64_t mid = 3000000;
    for (int i = 0; i < n; ++i) {
      mid += (i % 3 - 1) * 70;
      book.refresh(mid);
      auto d = book.publish(static_cast<uint64_t>(i) == gap_at ? 3 : 0);
      if (d.empty()) continue;
      DepthUpdate u{.event_time_ms = i, .symbol = "BTCUSDT", .first_id = d.first_id, .final_id = d.final_id, .bids = d.bids, .asks = d.asks};
      if (timestamps) out << 2000 + i << '\t';
      out << format_depth_update(u, inst) << '\n';
    }
    text = out.str();
  }
};
}  // namespace

TEST_CASE("replaying a recording rebuilds the venue's book exactly") {
  for (bool ts : {false, true}) {
    CAPTURE(ts);
    Recording rec(500, ts);
    std::istringstream in(rec.text);
    auto r = replay(in, testing::btcusdt());
    CHECK(r.snapshots == 1);
    CHECK(r.messages >= 400);
    CHECK(r.applied == r.messages);
    CHECK(r.gaps == 0);
    REQUIRE(r.sync.live());
    CHECK(r.sync.update_id() == rec.book.last_update_id());
    CHECK(r.sync.book().bids() == rec.book.published().bids());
    CHECK(r.sync.book().asks() == rec.book.published().asks());
  }
}

TEST_CASE("a gap in a recording is counted and leaves the book not live") {
  Recording rec(100, true, 50);
  std::istringstream in(rec.text);
  auto r = replay(in, testing::btcusdt());
  CHECK(r.gaps == 1);
  CHECK_FALSE(r.sync.live());
}

TEST_CASE("a malformed line is reported with its line number") {
  Recording rec(5, false);
  std::istringstream in(rec.text + "{\"e\":\"depthUpdate\"\n");
  CHECK_THROWS_WITH_AS(replay(in, testing::btcusdt()), doctest::Contains("line "), binance::ParseError);
}

TEST_CASE("the fast depth reader is strict about shape") {
  auto inst = testing::btcusdt();
  const char* ok = R"({"e":"depthUpdate","E":1,"s":"BTCUSDT","U":5,"u":6,"pu":4,"x":{"y":[1,2.5e3,true,null,"z"]},"b":[],"a":[["1.00","2.00000"]]})";
  auto u = parse_depth_update(ok, inst);  // unknown fields, however nested, are skipped
  CHECK(u.final_id == 6);
  CHECK(u.asks.size() == 1);
  struct Case { const char* json; const char* says; };
  Case cases[] = {
      {R"({"e":"depthUpdate","e":"depthUpdate","E":1,"s":"X","U":1,"u":2,"b":[],"a":[]})", "duplicate field 'e'"},
      {R"({"e":"depthUpdate","E":1,"s":"X","U":1,"u":2,"b":[],"a":[]} x)", "trailing"},
      {R"({"e":"depthUpdate","E":1,"s":"X\"Y","U":1,"u":2,"b":[],"a":[]})", "escaped"},
      {R"({"e":"depthUpdate","E":1,"s":"X","U":1,"u":2,"a":[]})", "missing field 'b'"},
      {R"({"e":"depthUpdate","E":1.5,"s":"X","U":1,"u":2,"b":[],"a":[]})", "non-negative integer"},
      {R"({"e":"depthUpdate","E":1,"s":"X","U":99999999999999999999,"u":2,"b":[],"a":[]})", "too large"},
      {R"({"e":"depthUpdate","E":1,"s":"X","U":1,"u":2,"b":[["1","1","1"]],"a":[]})", "[\"price\",\"qty\"]"},
      {R"({"e":"depthUpdate","E":1,"s":"X","U":1,"u":2,"b":[["1","1"],],"a":[]})", "each level must be"},
      {R"({"e":"depthUpdate","E":1,"s":"X","U":1,"u":2,"b":[["1","1"])", "invalid JSON"},
      {"", "invalid JSON"},
  };
  for (const auto& c : cases) {
    CAPTURE(c.json);
    CHECK_THROWS_WITH_AS(parse_depth_update(c.json, inst), doctest::Contains(c.says), binance::ParseError);
  }
}
