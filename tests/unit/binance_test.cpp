#include <doctest/doctest.h>

#include "aqueduct/connectors/binance/book_sync.hpp"
#include "aqueduct/connectors/binance/parse.hpp"
#include "aqueduct/connectors/binance/signing.hpp"
#include "aqueduct/net/hmac.hpp"
#include "aqueduct/testing/fixtures.hpp"

using namespace aq;
using namespace aq::binance;

namespace {
using testing::btcusdt;

DepthUpdate diff(uint64_t U, uint64_t u, std::vector<Level> bids = {}, std::vector<Level> asks = {}) {
  DepthUpdate d;
  d.symbol = "BTCUSDT";
  d.first_id = U;
  d.final_id = u;
  d.bids = std::move(bids);
  d.asks = std::move(asks);
  return d;
}

DepthSnapshot snapshot(uint64_t id) {
  DepthSnapshot s;
  s.last_update_id = id;
  s.bids = {{6700000, 100000}, {6699900, 200000}};
  s.asks = {{6700100, 100000}, {6700200, 300000}};
  return s;
}
}  // namespace

TEST_CASE("depthUpdate parses the documented shape into fixed point") {
  auto u = parse_depth_update(
      R"({"e":"depthUpdate","E":1717171717123,"s":"BTCUSDT","U":48211006011,"u":48211006019,
          "b":[["67011.98000000","0.41200000"],["67011.50000000","0.00000000"]],
          "a":[["67012.00000000","1.05210000"]]})",
      btcusdt());
  CHECK(u.event_time_ms == 1717171717123);
  CHECK(u.first_id == 48211006011ULL);
  CHECK(u.final_id == 48211006019ULL);
  REQUIRE(u.bids.size() == 2);
  CHECK(u.bids[0] == Level{6701198, 41200});
  CHECK(u.bids[1] == Level{6701150, 0});
  CHECK(u.asks[0] == Level{6701200, 105210});
}

TEST_CASE("malformed venue messages are refused with the field named") {
  auto inst = btcusdt();
  struct Case { const char* json; const char* says; };
  Case cases[] = {
      {"not json", "invalid JSON"},
      {"[]", "expected a JSON object"},
      {R"({"e":"trade","E":1,"s":"X","U":1,"u":2,"b":[],"a":[]})", "not depthUpdate"},
      {R"({"e":"depthUpdate","E":1,"s":"X","u":2,"b":[],"a":[]})", "'U'"},
      {R"({"e":"depthUpdate","E":1,"s":"X","U":3,"u":2,"b":[],"a":[]})", "after final id"},
      {R"({"e":"depthUpdate","E":1,"s":"X","U":1,"u":2,"b":[["1.001","1"]],"a":[]})", "decimal places"},
      {R"({"e":"depthUpdate","E":1,"s":"X","U":1,"u":2,"b":[[1.5,"1"]],"a":[]})", "[\"price\",\"qty\"]"},
      {R"({"e":"depthUpdate","E":1,"s":"X","U":1,"u":2,"b":[["-1","1"]],"a":[]})", "positive"},
      {R"({"e":"depthUpdate","E":1,"s":"X","U":-1,"u":2,"b":[],"a":[]})", "non-negative"},
  };
  for (const auto& c : cases) {
    CAPTURE(c.json);
    CHECK_THROWS_WITH_AS(parse_depth_update(c.json, inst), doctest::Contains(c.says), binance::ParseError);
  }
}

TEST_CASE("formatting and parsing agree (the simulator and the connector share one shape)") {
  auto inst = btcusdt();
  auto u = diff(10, 12, {{6700000, 12345}}, {{6700100, 0}});
  u.event_time_ms = 5;
  auto back = parse_depth_update(format_depth_update(u, inst), inst);
  CHECK(back.first_id == 10);
  CHECK(back.final_id == 12);
  CHECK(back.bids == u.bids);
  CHECK(back.asks == u.asks);
  auto s = snapshot(77);
  auto sb = parse_depth_snapshot(format_depth_snapshot(s, inst), inst);
  CHECK(sb.last_update_id == 77);
  CHECK(sb.bids == s.bids);
}

TEST_CASE("book sync: the worked case of venues.md section 1.4") {
  BookSync sync;
  CHECK(sync.on_update(diff(990, 995)).event == SyncEvent::Buffered);
  CHECK(sync.on_update(diff(996, 1003, {{6700000, 1}})).event == SyncEvent::Buffered);
  CHECK(sync.on_update(diff(1004, 1010, {{6699900, 7}})).event == SyncEvent::Buffered);
  auto r = sync.on_snapshot(snapshot(1000));
  CHECK(r.event == SyncEvent::SnapshotApplied);
  CHECK(sync.live());
  CHECK(sync.update_id() == 1010);
  CHECK(sync.book().best_bid()->qty == 1);    // 996..1003 applied
  CHECK(sync.book().bids()[1].qty == 7);      // 1004..1010 applied
  auto gap = sync.on_update(diff(1012, 1015));
  CHECK(gap.event == SyncEvent::Gap);
  CHECK(gap.detail.find("1011") != std::string::npos);
  CHECK_FALSE(sync.live());
  CHECK(sync.book().empty());
}

TEST_CASE("book sync: in-order diffs apply, old ones are ignored, deletions are legal") {
  BookSync sync;
  sync.on_update(diff(1001, 1001));
  REQUIRE(sync.on_snapshot(snapshot(1000)).event == SyncEvent::SnapshotApplied);
  CHECK(sync.update_id() == 1001);
  CHECK(sync.on_update(diff(1002, 1004, {{6700000, 0}, {6600000, 0}})).event == SyncEvent::Applied);
  CHECK(sync.book().best_bid()->price == 6699900);
  CHECK(sync.on_update(diff(1003, 1004)).event == SyncEvent::Ignored);
  CHECK(sync.on_update(diff(1005, 1005, {}, {{6700100, 5}})).event == SyncEvent::Applied);
  CHECK(sync.book().best_ask()->qty == 5);
}

TEST_CASE("book sync: a snapshot older than the first buffered diff is refused") {
  BookSync sync;
  sync.on_update(diff(2000, 2005));
  auto r = sync.on_snapshot(snapshot(1000));
  CHECK(r.event == SyncEvent::SnapshotTooOld);
  CHECK(r.needs_snapshot());
  CHECK_FALSE(sync.live());
  CHECK(sync.buffered() == 1);  // still buffering for the next snapshot
  CHECK(sync.on_snapshot(snapshot(2003)).event == SyncEvent::SnapshotApplied);
  CHECK(sync.update_id() == 2005);
}

TEST_CASE("book sync: a snapshot that leaves a hole before the first diff is too old") {
  BookSync sync;
  sync.on_update(diff(1005, 1008));  // 1001..1004 never seen
  auto r = sync.on_snapshot(snapshot(1000));
  CHECK(r.event == SyncEvent::SnapshotTooOld);
  CHECK_FALSE(sync.live());
  // Exactly contiguous is fine: U == lastUpdateId + 1.
  CHECK(sync.on_snapshot(snapshot(1004)).event == SyncEvent::SnapshotApplied);
  CHECK(sync.update_id() == 1008);
}

TEST_CASE("book sync: a hole inside the buffered diffs is a gap") {
  BookSync sync;
  sync.on_update(diff(1001, 1002));
  sync.on_update(diff(1005, 1006));  // 1003..1004 lost
  auto r = sync.on_snapshot(snapshot(1000));
  CHECK(r.event == SyncEvent::Gap);
  CHECK_FALSE(sync.live());
}

TEST_CASE("book sync: a diff that crosses the book discards it") {
  BookSync sync;
  sync.on_update(diff(1001, 1001));
  sync.on_snapshot(snapshot(1000));
  auto r = sync.on_update(diff(1002, 1002, {{6700500, 1}}));  // bid above best ask
  CHECK(r.event == SyncEvent::Crossed);
  CHECK_FALSE(sync.live());
}

TEST_CASE("book sync: the buffer is bounded") {
  BookSync sync(3);
  for (uint64_t i = 1; i <= 10; ++i) sync.on_update(diff(i, i));
  CHECK(sync.buffered() == 3);
}

TEST_CASE("signing reproduces the venues.md test vectors byte for byte") {
  const std::string secret = "NhqPtmdSJYdKjVHjA7PZj4Mge3R5YNiP1e3UZjInClVN65XAbvqqM6A7H5fATj0j";
  // TV-B1, the official documentation example.
  CHECK(net::hmac_sha256_hex(secret,
                             "symbol=LTCBTC&side=BUY&type=LIMIT&timeInForce=GTC&quantity=1&price=0.1"
                             "&recvWindow=5000&timestamp=1499827319559") ==
        "c8db56825ae71d6d79447849e617115f4a920fa2acdcab2b053c4b2838bd6b71");
  // TV-B2: our LIMIT IOC query builder must produce exactly the signed payload.
  NewOrder o{"BTCUSDT", Side::Buy, 100, 3000000, "mm-0001"};
  auto q = new_order_query(o, btcusdt(), 5000, 1700000000000);
  CHECK(q ==
        "symbol=BTCUSDT&side=BUY&type=LIMIT&timeInForce=IOC&quantity=0.00100&price=30000.00"
        "&newClientOrderId=mm-0001&recvWindow=5000&timestamp=1700000000000");
  CHECK(sign_query(q, secret) ==
        q + "&signature=b80d0318dfbdd678ede9b47d2c392bc4abe1fa9bffeebb1a36615410b9985842");
  // TV-B3: USD-M futures sign the same way; the futures instrument's scales (tick 0.1, step
  // 0.001) give the documented bytes.
  Instrument fut = btcusdt();
  fut.price_scale = 1;
  fut.qty_scale = 3;
  NewOrder f{"BTCUSDT", Side::Sell, 2, 300001, "mm-0002"};
  auto fq = new_order_query(f, fut, 5000, 1700000000000);
  CHECK(fq ==
        "symbol=BTCUSDT&side=SELL&type=LIMIT&timeInForce=IOC&quantity=0.002&price=30000.1"
        "&newClientOrderId=mm-0002&recvWindow=5000&timestamp=1700000000000");
  CHECK(sign_query(fq, secret) ==
        fq + "&signature=a84824969b78668b4d98656656d7cc4b65d898b2f094da402ffc262e183af83f");
  // TV-B4: cancel payload.
  CHECK(net::hmac_sha256_hex(secret, "symbol=BTCUSDT&orderId=12345678&recvWindow=5000&timestamp=1700000000500") ==
        "0201bea7b73a8b6176440c67082f4349244aa65bc86d50eb9d50e0bb796efd8a");
}

TEST_CASE("order responses and venue errors parse") {
  auto inst = btcusdt();
  OrderResult r;
  r.symbol = "BTCUSDT";
  r.order_id = "42";
  r.client_order_id = "h_1";
  r.status = "EXPIRED";
  r.executed_qty = 150;
  r.cumulative_quote = 3000000LL * 150;
  r.transact_time_ms = 9;
  r.fills = {{3000000, 150, "7"}};
  auto back = parse_order_result(format_order_result(r, inst, "BUY", "30000.00", "0.00200"), inst);
  CHECK(back.status == "EXPIRED");
  CHECK(back.executed_qty == 150);
  CHECK(back.cumulative_quote == r.cumulative_quote);
  REQUIRE(back.fills.size() == 1);
  CHECK(back.fills[0].trade_id == "7");
  auto e = parse_api_error(R"({"code":-1021,"msg":"Timestamp for this request is outside of the recvWindow."})");
  CHECK(e.code == -1021);
}

namespace {
DepthUpdate fdiff(uint64_t U, uint64_t u, uint64_t pu, std::vector<Level> bids = {}) {
  auto d = diff(U, u, std::move(bids));
  d.prev_final_id = pu;
  d.has_prev = true;
  return d;
}
}  // namespace

TEST_CASE("USD-M futures sync: the worked case of venues.md section 2.3") {
  BookSync sync(10'000, Chain::UsdmFutures);
  sync.on_update(fdiff(995, 999, 990));
  sync.on_update(fdiff(998, 1004, 999, {{6700000, 3}}));
  sync.on_update(fdiff(1005, 1009, 1004, {{6699900, 4}}));
  REQUIRE(sync.on_snapshot(snapshot(1000)).event == SyncEvent::SnapshotApplied);
  CHECK(sync.update_id() == 1009);
  CHECK(sync.book().best_bid()->qty == 3);
  auto r = sync.on_update(fdiff(1011, 1015, 1010));
  CHECK(r.event == SyncEvent::Gap);
  CHECK(r.detail.find("pu 1010") != std::string::npos);
}

TEST_CASE("USD-M futures sync: U may skip when pu chains; a missing pu or a late first diff resyncs") {
  BookSync sync(10'000, Chain::UsdmFutures);
  sync.on_update(fdiff(990, 1002, 985));
  REQUIRE(sync.on_snapshot(snapshot(1000)).event == SyncEvent::SnapshotApplied);
  CHECK(sync.on_update(fdiff(1010, 1020, 1002)).event == SyncEvent::Applied);  // U jumps, pu chains
  CHECK(sync.on_update(fdiff(1010, 1020, 1002)).event == SyncEvent::Ignored);  // duplicate
  CHECK(sync.on_update(diff(1021, 1022)).event == SyncEvent::Gap);            // no pu

  BookSync late(10'000, Chain::UsdmFutures);
  late.on_update(fdiff(1003, 1008, 1002));
  auto r = late.on_snapshot(snapshot(1000));
  CHECK(r.event == SyncEvent::SnapshotTooOld);
  CHECK(late.on_snapshot(snapshot(1005)).event == SyncEvent::SnapshotApplied);
  CHECK(late.update_id() == 1008);
}

TEST_CASE("the futures diff shape parses, pu included") {
  auto u = parse_depth_update(
      R"({"e":"depthUpdate","E":1717171717201,"T":1717171717198,"s":"BTCUSDT","U":7012345600100,"u":7012345600188,"pu":7012345600099,"b":[["67005.10","1.212"]],"a":[["67005.20","0.000"],["67006.00","3.451"]]})",
      btcusdt());
  CHECK(u.has_prev);
  CHECK(u.prev_final_id == 7012345600099ULL);
  CHECK(u.asks.size() == 2);
  CHECK_FALSE(parse_depth_update(R"({"e":"depthUpdate","E":1,"s":"X","U":1,"u":2,"b":[],"a":[]})", btcusdt()).has_prev);
}
