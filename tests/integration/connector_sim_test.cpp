// The real Binance connector against the venue simulator over real loopback sockets.
#include <doctest/doctest.h>

#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/post.hpp>
#include <cstdio>
#include <fstream>
#include <future>
#include <mutex>
#include <thread>

#include "aqueduct/connectors/binance/market_data_session.hpp"
#include "aqueduct/connectors/binance/order_protocol.hpp"
#include "aqueduct/connectors/binance/replay.hpp"
#include "aqueduct/connectors/rate_limiter.hpp"
#include "aqueduct/connectors/rest_order_entry.hpp"
#include "aqueduct/sim/binance_sim.hpp"
#include "aqueduct/testing/fixtures.hpp"
#include "aqueduct/testing/http.hpp"
#include "aqueduct/testing/loop_thread.hpp"
#include "aqueduct/testing/temp_dir.hpp"
#include "aqueduct/testing/wait.hpp"

using namespace aq;
using namespace std::chrono_literals;
namespace msg = aqueduct::msg;

namespace {

using testing::btcusdt;

using testing::LoopThread;

struct Recorder : connectors::BookListener {
  std::mutex m;
  std::vector<msg::BookState> states;
  int snapshots = 0;
  int deltas = 0;
  void on_book_snapshot(const Instrument&, const L2Book&, uint64_t, int64_t, int64_t) override {
    std::lock_guard l(m);
    ++snapshots;
  }
  void on_book_delta(const Instrument&, const connectors::BookChange& c) override {
    std::lock_guard l(m);
    CHECK(c.prev_seq < c.seq);
    ++deltas;
  }
  void on_book_state(const Instrument&, msg::BookState s, const std::string&) override {
    std::lock_guard l(m);
    states.push_back(s);
  }
  msg::BookState last() {
    std::lock_guard l(m);
    return states.empty() ? msg::BOOK_STATE_UNSPECIFIED : states.back();
  }
  bool saw(msg::BookState s) {
    std::lock_guard l(m);
    return std::find(states.begin(), states.end(), s) != states.end();
  }
};

sim::BinanceSimOptions sim_options() {
  sim::BinanceSimOptions o;
  sim::SimInstrument si;
  si.instrument = btcusdt();
  si.start_mid = 3000000;
  si.book.level_step = 50;
  si.book.base_qty = 20000;
  o.instruments = {si};
  o.api_key = "sim-key";
  o.api_secret = "sim-secret";
  o.tick = 50ms;
  return o;
}

}  // namespace

TEST_CASE("the connector syncs from the simulator, resyncs after a gap, and marks silence stale") {
  LoopThread venue, conn;
  auto sim = std::make_unique<sim::BinanceSim>(venue.io, sim_options());
  venue.call([&] { sim->start(); return 0; });
  Recorder rec;
  binance::SessionOptions so;
  so.port = sim->port();
  so.stale_after = 400ms;
  auto session = std::make_unique<binance::MarketDataSession>(conn.io, btcusdt(), so, rec);
  conn.call([&] { session->start(); return 0; });

  REQUIRE(testing::wait_until([&] { return rec.last() == msg::BOOK_LIVE; }, 5000ms));
  REQUIRE(testing::wait_until([&] { std::lock_guard l(rec.m); return rec.deltas > 10; }, 5000ms));

  SUBCASE("the local book equals the venue's book at the same update id") {
    sim->set_frozen("BTCUSDT", true);
    std::this_thread::sleep_for(300ms);  // let the last diffs land
    auto venue_book = binance::parse_depth_snapshot(
        testing::http_call(sim->port(), "GET", "/api/v3/depth?symbol=BTCUSDT&limit=1000").body, btcusdt());
    auto local = conn.call([&] { return std::make_pair(session->sync().update_id(), session->sync().book()); });
    CHECK(local.first == venue_book.last_update_id);
    CHECK(local.second.bids() == venue_book.bids);
    CHECK(local.second.asks() == venue_book.asks);
    CHECK(local.second.bids().size() == 40);
  }

  SUBCASE("a sequence gap resyncs by itself within a second") {
    auto before = conn.call([&] { return session->resyncs(); });
    sim->inject_gap("BTCUSDT");
    REQUIRE(testing::wait_until([&] { return rec.saw(msg::BOOK_RESYNCING); }, 1000ms));
    REQUIRE(testing::wait_until([&] { return rec.last() == msg::BOOK_LIVE; }, 2000ms));
    CHECK(conn.call([&] { return session->resyncs(); }) == before + 1);
    std::lock_guard l(rec.m);
    CHECK(rec.snapshots >= 2);
  }

  SUBCASE("silence is marked stale within a second, and live again when updates resume") {
    sim->set_silent("BTCUSDT", true);
    REQUIRE(testing::wait_until([&] { return rec.last() == msg::BOOK_STALE; }, 1000ms));
    sim->set_silent("BTCUSDT", false);
    // Diffs sent while silent were never sent at all: the ids jump, so it resyncs to live.
    REQUIRE(testing::wait_until([&] { return rec.last() == msg::BOOK_LIVE; }, 2000ms));
  }

  SUBCASE("a venue that goes away is reported down") {
    venue.call([&] { sim->stop(); return 0; });
    REQUIRE(testing::wait_until([&] { return rec.saw(msg::BOOK_DOWN); }, 2000ms));
  }

  conn.call([&] { session->stop(); return 0; });
  conn.stop();
  venue.stop();
  session.reset();
  sim.reset();
}

std::unique_ptr<connectors::OrderProtocol> spot_orders(connectors::VenueCredentials c) {
  return std::make_unique<binance::OrderProtocol>(binance::Market::Spot, std::move(c));
}

TEST_CASE("limit IOC order entry against the simulator: fills, rejections, duplicates") {
  LoopThread venue, client;
  auto sim = std::make_unique<sim::BinanceSim>(venue.io, sim_options());
  venue.call([&] { sim->start(); return 0; });
  auto inst = btcusdt();
  auto place = [&](connectors::VenueCredentials creds, connectors::LimitOrder o) {
    std::promise<connectors::OrderOutcome> p;
    auto entry = std::make_shared<connectors::RestOrderEntry>(client.io, spot_orders(creds), "127.0.0.1", sim->port());
    client.call([&] {
      entry->place(o, inst, [&](connectors::OrderOutcome out) { p.set_value(out); });
      return 0;
    });
    auto out = p.get_future().get();
    client.call([&] { entry.reset(); return 0; });
    return out;
  };
  connectors::VenueCredentials good{"sim-key", "sim-secret", ""};

  auto filled = place(good, {"BTCUSDT", Side::Buy, 1000, 3100000, "t-1"});  // 0.01 BTC, limit 31000
  CHECK(filled.status == msg::ORDER_FILLED);
  CHECK(filled.filled_qty == 1000);
  CHECK_FALSE(filled.fills.empty());
  CHECK_FALSE(filled.venue_order_id.empty());

  auto none = place(good, {"BTCUSDT", Side::Buy, 1000, 100000, "t-2"});  // limit far below the book
  CHECK(none.status == msg::ORDER_EXPIRED);
  CHECK(none.filled_qty == 0);

  // The same client order id again (as after a restart): never a second order, and the
  // outcome is the first order's, found by reconciling.
  auto dup = place(good, {"BTCUSDT", Side::Buy, 1000, 3100000, "t-1"});
  CHECK(dup.status == msg::ORDER_FILLED);
  CHECK(dup.venue_order_id == filled.venue_order_id);
  CHECK(dup.filled_qty == 1000);
  CHECK(dup.detail.find("reconciled") != std::string::npos);

  auto bad_sig = place({"sim-key", "wrong", ""}, {"BTCUSDT", Side::Buy, 1000, 3100000, "t-3"});
  CHECK(bad_sig.status == msg::ORDER_REJECTED);
  CHECK(bad_sig.detail.find("-1022") != std::string::npos);

  auto bad_key = place({"nope", "sim-secret", ""}, {"BTCUSDT", Side::Buy, 1000, 3100000, "t-4"});
  CHECK(bad_key.status == msg::ORDER_REJECTED);
  CHECK(bad_key.detail.find("-2014") != std::string::npos);

  auto small = place(good, {"BTCUSDT", Side::Buy, 5, 3100000, "t-5"});  // below min_qty
  CHECK(small.status == msg::ORDER_REJECTED);
  CHECK(small.detail.find("LOT_SIZE") != std::string::npos);

  client.stop();
  venue.stop();
  sim.reset();
}

TEST_CASE("order lifecycle under venue faults: 429, 503 after executing, slow ack past the timeout, partial fill") {
  LoopThread venue, client;
  auto sim = std::make_unique<sim::BinanceSim>(venue.io, sim_options());
  venue.call([&] { sim->start(); return 0; });
  auto inst = btcusdt();
  connectors::VenueCredentials good{"sim-key", "sim-secret", ""};
  auto place = [&](connectors::LimitOrder o) {
    std::promise<connectors::OrderOutcome> p;
    auto entry = std::make_shared<connectors::RestOrderEntry>(client.io, spot_orders(good), "127.0.0.1", sim->port(), wall_clock(), 300ms);
    client.call([&] {
      entry->place(o, inst, [&](connectors::OrderOutcome out) { p.set_value(out); });
      return 0;
    });
    auto out = p.get_future().get();
    client.call([&] { entry.reset(); return 0; });
    return out;
  };

  // 429: unknown until the query by client id says the order never reached the book.
  sim->set_order_fault({sim::OrderFault::Kind::RateLimited, 1, 0ms});
  auto limited = place({"BTCUSDT", Side::Buy, 1000, 3100000, "f-1"});
  CHECK(limited.status == msg::ORDER_REJECTED);
  CHECK(limited.detail.find("never reached the venue") != std::string::npos);
  CHECK(limited.filled_qty == 0);

  // 503 although the order executed: reconciled to the fill, never called rejected.
  sim->set_order_fault({sim::OrderFault::Kind::UnavailableExecuted, 1, 0ms});
  auto unavailable = place({"BTCUSDT", Side::Buy, 1000, 3100000, "f-2"});
  CHECK(unavailable.status == msg::ORDER_FILLED);
  CHECK(unavailable.filled_qty == 1000);
  CHECK(unavailable.detail.find("reconciled") != std::string::npos);

  // The ack arrives after our 300 ms timeout: unknown, then reconciled to the fill.
  sim->set_order_fault({sim::OrderFault::Kind::SlowAck, 1, 1000ms});
  auto slow = place({"BTCUSDT", Side::Sell, 1000, 2900000, "f-3"});
  CHECK(slow.status == msg::ORDER_FILLED);
  CHECK(slow.filled_qty == 1000);
  CHECK(slow.detail.find("reconciled") != std::string::npos);

  // With the account's limiter: the 429's Retry-After pauses order entry, and the orders
  // bucket refuses a burst, both before anything is sent.
  auto limiter = std::make_shared<connectors::RateLimiter>(
      std::vector<connectors::BucketSpec>{{"WEIGHT 1m", 6000, 60'000'000'000}, {"ORDERS 10s", 2, 10'000'000'000}});
  auto place_limited = [&](connectors::LimitOrder o) {
    std::promise<connectors::OrderOutcome> p;
    auto entry = std::make_shared<connectors::RestOrderEntry>(client.io, spot_orders(good), "127.0.0.1", sim->port(), wall_clock(), 300ms, limiter);
    client.call([&] {
      entry->place(o, inst, [&](connectors::OrderOutcome out) { p.set_value(out); });
      return 0;
    });
    auto out = p.get_future().get();
    client.call([&] { entry.reset(); return 0; });
    return out;
  };
  sim->set_order_fault({sim::OrderFault::Kind::RateLimited, 1, 0ms});
  auto t0 = std::chrono::steady_clock::now();
  auto r1 = place_limited({"BTCUSDT", Side::Buy, 1000, 3100000, "r-1"});
  CHECK(r1.status == msg::ORDER_REJECTED);
  CHECK(r1.detail.find("never reached the venue") != std::string::npos);
  // The reconciling query itself waited out the Retry-After: 1 before asking.
  CHECK(std::chrono::steady_clock::now() - t0 >= 900ms);
  CHECK(place_limited({"BTCUSDT", Side::Buy, 1000, 3100000, "r-3"}).status == msg::ORDER_FILLED);
  auto sent_before = sim->orders_received();
  auto burst = place_limited({"BTCUSDT", Side::Buy, 1000, 3100000, "r-4"});
  CHECK(burst.status == msg::ORDER_REJECTED);
  CHECK(burst.detail.find("not sent: rate limit (ORDERS 10s limit of 2") != std::string::npos);
  // When the limiter has room again: later than now, within its 10 s window.
  CHECK(burst.not_sent_until_ns > wall_now_ns());
  CHECK(burst.not_sent_until_ns <= wall_now_ns() + 10'000'000'000);
  CHECK(sim->orders_received() == sent_before);

  // Partial fill: the IOC remainder expires; the filled part is reported exactly.
  sim->set_order_fault({sim::OrderFault::Kind::PartialFill, 1, 0ms});
  auto partial = place({"BTCUSDT", Side::Buy, 1000, 3100000, "f-4"});
  CHECK(partial.status == msg::ORDER_EXPIRED);
  CHECK(partial.filled_qty == 500);
  int64_t sum = 0;
  for (const auto& f : partial.fills) sum += f.qty;
  CHECK(sum == 500);

  client.stop();
  venue.stop();
  sim.reset();
}

TEST_CASE("a recorded live session replays to the same book") {
  LoopThread venue, conn;
  auto sim = std::make_unique<sim::BinanceSim>(venue.io, sim_options());
  venue.call([&] { sim->start(); return 0; });
  Recorder rec;
  binance::SessionOptions so;
  so.port = sim->port();
  testing::TempDir tmp("aq-record");
  so.record_path = tmp.file("binance.jsonl");
  auto session = std::make_unique<binance::MarketDataSession>(conn.io, btcusdt(), so, rec);
  conn.call([&] { session->start(); return 0; });
  REQUIRE(testing::wait_until([&] { std::lock_guard l(rec.m); return rec.deltas > 20; }, 5000ms));
  sim->inject_gap("BTCUSDT");  // the recording then holds a resync: diffs, a new snapshot, diffs
  REQUIRE(testing::wait_until([&] { return conn.call([&] { return session->resyncs(); }) == 1; }, 2000ms));
  REQUIRE(testing::wait_until([&] { return rec.last() == msg::BOOK_LIVE; }, 2000ms));
  std::this_thread::sleep_for(300ms);
  sim->set_frozen("BTCUSDT", true);
  std::this_thread::sleep_for(300ms);
  auto live = conn.call([&] { return std::make_pair(session->sync().update_id(), session->sync().book()); });
  conn.call([&] { session->stop(); return 0; });

  std::ifstream in(so.record_path);
  auto r = binance::replay(in, btcusdt());
  CHECK(r.snapshots == 2);
  REQUIRE(r.sync.live());
  CHECK(r.sync.update_id() == live.first);
  CHECK(r.sync.book().bids() == live.second.bids());
  CHECK(r.sync.book().asks() == live.second.asks());
  conn.stop();
  venue.stop();
}

TEST_CASE("USD-M futures: the connector follows the pu chain from the futures simulator and resyncs on a dropped diff") {
  Instrument perp = btcusdt("binance_usdm", 500);
  perp.kind = InstrumentKind::Linear;
  perp.price_scale = 1;  // tick 0.1
  perp.qty_scale = 3;    // step 0.001
  LoopThread venue, conn;
  sim::BinanceSimOptions o;
  o.dialect = sim::BinanceDialect::UsdmFutures;
  sim::SimInstrument si;
  si.instrument = perp;
  si.start_mid = 300100;
  si.book.level_step = 5;
  si.book.base_qty = 500;
  o.instruments = {si};
  o.tick = 50ms;
  auto sim = std::make_unique<sim::BinanceSim>(venue.io, o);
  venue.call([&] { sim->start(); return 0; });
  // The futures REST path answers; the spot one does not.
  CHECK(testing::http_call(sim->port(), "GET", "/api/v3/depth?symbol=BTCUSDT").status == 404);
  Recorder rec;
  binance::SessionOptions so;
  so.port = sim->port();
  so.chain = binance::Chain::UsdmFutures;
  so.depth_path = "/fapi/v1/depth";
  auto session = std::make_unique<binance::MarketDataSession>(conn.io, perp, so, rec);
  conn.call([&] { session->start(); return 0; });
  REQUIRE(testing::wait_until([&] { return rec.last() == msg::BOOK_LIVE; }, 5000ms));
  REQUIRE(testing::wait_until([&] { std::lock_guard l(rec.m); return rec.deltas > 10; }, 5000ms));

  sim->inject_gap("BTCUSDT");  // one diff dropped: the next one's pu does not chain
  REQUIRE(testing::wait_until([&] { return rec.saw(msg::BOOK_RESYNCING); }, 1000ms));
  REQUIRE(testing::wait_until([&] { return rec.last() == msg::BOOK_LIVE; }, 2000ms));
  CHECK(conn.call([&] { return session->resyncs(); }) == 1);

  sim->set_frozen("BTCUSDT", true);
  std::this_thread::sleep_for(300ms);
  auto venue_book = binance::parse_depth_snapshot(
      testing::http_call(sim->port(), "GET", "/fapi/v1/depth?symbol=BTCUSDT&limit=1000").body, perp);
  auto local = conn.call([&] { return std::make_pair(session->sync().update_id(), session->sync().book()); });
  CHECK(local.first == venue_book.last_update_id);
  CHECK(local.second.bids() == venue_book.bids);
  CHECK(local.second.asks() == venue_book.asks);
  conn.call([&] { session->stop(); return 0; });
  conn.stop();
  venue.stop();
}
