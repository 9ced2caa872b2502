// The pricer against three simulated venues (Binance spot, OKX spot, Bybit linear) over real
// sockets, with scripted faults: a flash crash on OKX alone must be left out of the price on
// the very update that shows it, and a jump on every venue must trip the listing's circuit
// breaker, which holds until an operator re-arms it. The market data the run produced is then
// replayed through a fresh pricer, which must take the same decisions.
#include <doctest/doctest.h>

#include <boost/asio/executor_work_guard.hpp>
#include <boost/json.hpp>
#include <cstdlib>
#include <future>
#include <thread>

#include "aqueduct/app/network.hpp"
#include "aqueduct/bus/bus.hpp"
#include "aqueduct/pricer/listing_pricer.hpp"
#include "aqueduct/record/database.hpp"
#include "aqueduct/rfq/rfq_store.hpp"
#include "aqueduct/testing/bus_tap.hpp"
#include "aqueduct/testing/http.hpp"
#include "aqueduct/testing/native_client.hpp"
#include "aqueduct/testing/test_database.hpp"
#include "aqueduct/testing/wait.hpp"

using namespace aq;
using namespace std::chrono_literals;
namespace json = boost::json;
namespace msg = aqueduct::msg;

namespace {

constexpr int64_t kCrashMs = 3'500, kJumpMs = 8'000;

std::string config_json() {
  return R"({
  "rfq": { "listen": "127.0.0.1", "port": 0, "pricer_timeout_ms": 1000 },
  "bus": { "transport": "inproc" },
  "simulator": { "enabled": true, "port": 0, "seed": 5, "tick_ms": 50,
                 "path": { "step_ms": 50, "correlation": 0.8, "vol_bps_per_step": { "BTC": 0.2 } },
                 "faults": [
                   { "at_ms": )" +
         std::to_string(kCrashMs) +
         R"(, "venue": "okx", "symbol": "BTC-USDT", "fault": "jump", "bps": -800 },
                   { "at_ms": )" +
         std::to_string(kJumpMs) +
         R"(, "venue": "binance", "symbol": "BTCUSDT", "fault": "jump", "bps": 600 },
                   { "at_ms": )" +
         std::to_string(kJumpMs) +
         R"(, "venue": "okx", "symbol": "BTC-USDT", "fault": "jump", "bps": 600 },
                   { "at_ms": )" +
         std::to_string(kJumpMs) +
         R"(, "venue": "bybit", "symbol": "BTCUSDT", "fault": "jump", "bps": 600 } ] },
  "venues": {
    "binance": { "host": "127.0.0.1", "port": 0, "api_key_env": "AQ_TEST_BINANCE_KEY", "api_secret_env": "AQ_TEST_BINANCE_SECRET" },
    "okx": { "protocol": "okx", "sim_lag_ms": 50, "host": "127.0.0.1", "port": 0 },
    "bybit": { "protocol": "bybit", "sim_lag_ms": 100, "host": "127.0.0.1", "port": 0 }
  },
  "instruments": [
    { "venue": "binance", "symbol": "BTCUSDT", "kind": "spot", "base": "BTC", "quote": "USDT",
      "price_scale": 2, "qty_scale": 5, "tick": "0.01", "lot": "0.00001", "min_qty": "0.0001",
      "taker_fee_bps": "10", "sim_start_mid": "30000.00", "sim_level_step": "0.50",
      "sim_best_qty": "0.20000", "sim_max_step_ticks": 40 },
    { "venue": "okx", "symbol": "BTC-USDT", "kind": "spot", "base": "BTC", "quote": "USDT",
      "price_scale": 1, "qty_scale": 8, "tick": "0.1", "lot": "0.00000001", "min_qty": "0.00001",
      "taker_fee_bps": "10", "sim_start_mid": "30002.0", "sim_level_step": "0.5",
      "sim_best_qty": "0.25000000", "sim_max_step_ticks": 4 },
    { "venue": "bybit", "symbol": "BTCUSDT", "kind": "linear", "base": "BTC", "quote": "USDT",
      "price_scale": 1, "qty_scale": 3, "tick": "0.1", "lot": "0.001", "min_qty": "0.001",
      "taker_fee_bps": "5.5", "sim_start_mid": "30004.0", "sim_level_step": "0.5",
      "sim_best_qty": "0.400", "sim_max_step_ticks": 4 }
  ],
  "listings": [
    { "name": "BTC-USDT", "base": "BTC", "quote": "USDT", "price_scale": 2, "qty_scale": 5,
      "spread_bps": "2", "min_qty": "0.0001", "max_qty": "5", "quote_ttl_ms": 5000,
      "hedge_threshold": "0.0001", "hedge_slippage_bps": "50", "hedge": ["binance:BTCUSDT"],
      "price_from": ["binance:BTCUSDT", "okx:BTC-USDT", "bybit:BTCUSDT"],
      "pricing": { "min_venues": 2, "outlier_bps": "50", "jump_window_ms": 1000, "jump_sigmas": 12,
                   "jump_floor_bps": "200", "max_book_age_ms": 3000 } }
  ],
  "pricer": { "max_book_age_ms": 3000, "tiers": [ { "name": "standard", "markup_bps": "1" } ] },
  "hedging": { "retry_after_empty_ms": 100 }
})";
}

// The pricer core fed from the bus, exactly as the pricer component feeds it.
struct ShadowPricer {
  std::map<std::string, std::unique_ptr<VenueBook>> books;
  std::unique_ptr<pricer::ListingPricer> pricer;
  explicit ShadowPricer(const app::AppConfig& c) {
    const Listing& l = c.universe.listings.front();
    std::vector<pricer::ConsolidatedBook::Source> sources;
    for (const auto& key : l.sources()) {
      books[key] = std::make_unique<VenueBook>(*c.universe.instrument(key));
      sources.push_back({c.universe.instrument(key), books[key].get()});
    }
    pricer = std::make_unique<pricer::ListingPricer>(l, sources, c.pricer.params.at(l.name));
  }
  // Returns the instrument key the message updated ("" when none of ours).
  std::string apply(const bus::Envelope& e, int64_t now) {
    std::string key;
    if (e.has_book_snapshot()) {
      key = e.book_snapshot().venue() + ":" + e.book_snapshot().symbol();
      if (auto it = books.find(key); it != books.end()) it->second->apply(e.book_snapshot(), now);
    } else if (e.has_book_delta()) {
      key = e.book_delta().venue() + ":" + e.book_delta().symbol();
      if (auto it = books.find(key); it != books.end() && it->second->usable())
        it->second->apply(e.book_delta(), now);
    } else if (e.has_venue_status()) {
      key = e.venue_status().venue() + ":" + e.venue_status().symbol();
      if (auto it = books.find(key); it != books.end())
        it->second->set_state(e.venue_status().state(), e.venue_status().reason());
    }
    if (!books.count(key)) return "";
    pricer->refresh(now);
    return key;
  }
  const pricer::ConsolidatedBook::Venue& venue(size_t i) const {
    return pricer->book().venues()[i];
  }
};

// A venue's raw mid in its own units, as a double (for an independent deviation check).
double mid_of(const VenueBook& b) {
  const auto& bk = b.book();
  if (bk.bids().empty() || bk.asks().empty()) return 0;
  double scale = 1;
  for (int i = 0; i < b.instrument().price_scale; ++i) scale *= 10;
  return static_cast<double>(bk.bids().front().price + bk.asks().front().price) / 2 / scale;
}

struct Recorded {
  bus::Envelope env;
  int64_t at;
};

}  // namespace

TEST_CASE(
    "pricer under scripted faults: a flash crash on one venue is left out at once, a jump on every "
    "venue trips the breaker") {
  testing::TestDatabase db;
  auto key = testing::add_native_client(db.url(), "taker-1");
  setenv("AQ_TEST_BINANCE_KEY", "k-guards", 1);
  setenv("AQ_TEST_BINANCE_SECRET", "s-guards", 1);
  zmq::context_t zmq;
  auto config = app::parse_config(config_json());
  ShadowPricer shadow(config);
  std::vector<Recorded> recorded;
  // What the shadow pricer decided at each OKX update: okx's status and its independent
  // deviation from the median of the three venues' raw mids.
  struct OkxStep {
    pricer::VenueStatus status;
    double deviation_bps;
  };
  std::vector<OkxStep> okx_steps;
  std::vector<int64_t> trips;
  bool was_tripped = false;

  app::Network net(config, {app::parse_components("all")}, zmq, db.url());
  testing::BusTap tap(zmq, net.config().endpoints.connectors_pub, "md.",
                      [&](std::string_view, const bus::Envelope& e, int64_t at) {
                        if (!e.has_book_snapshot() && !e.has_book_delta() && !e.has_venue_status())
                          return;
                        recorded.push_back({e, at});
                        std::string k = shadow.apply(e, at);
                        if (shadow.pricer->breaker().tripped && !was_tripped) trips.push_back(at);
                        was_tripped = shadow.pricer->breaker().tripped;
                        if (k != "okx:BTC-USDT") return;
                        double m[3];
                        for (size_t i = 0; i < 3; ++i)
                          m[i] = mid_of(*shadow.books.at(config.universe.listings[0].sources()[i]));
                        if (m[0] <= 0 || m[1] <= 0 || m[2] <= 0) return;
                        double med =
                            std::max(std::min(m[0], m[1]), std::min(std::max(m[0], m[1]), m[2]));
                        okx_steps.push_back({shadow.venue(1).status, (m[1] / med - 1.0) * 1e4});
                      });
  net.start();
  auto post = [&](const std::string& body) {
    return testing::NativeClient{net.rfq_port(), key}.post("/v1/quote", body);
  };
  const std::string body = R"({"listing":"BTC-USDT","side":"buy","qty":"0.1"})";

  // Before the crash the network quotes from all three venues.
  testing::Reply r;
  bool three = testing::wait_until(
      [&] {
        r = post(body);
        return r.status == 200 &&
               json::parse(r.body).at("breakdown").at("live_venues").as_int64() == 3;
      },
      10'000ms);
  CHECK_MESSAGE(three, r.body);

  // The breaker holds after the all-venue jump, in the network's own pricer too.
  bool tripped = testing::wait_until(
      [&] {
        r = post(body);
        return r.status == 503 && json::parse(r.body).at("error").as_string() == "circuit_breaker";
      },
      std::chrono::milliseconds(kJumpMs + 10'000));
  REQUIRE(tripped);
  CHECK(r.body.find("re-arm") != std::string::npos);
  // Still tripped seconds later, though the venues have calmed down.
  std::this_thread::sleep_for(2'500ms);
  r = post(body);
  CHECK(r.status == 503);
  CHECK(json::parse(r.body).at("error").as_string() == "circuit_breaker");

  // An operator re-arms it over the pricer's socket; quoting resumes once the venues agree.
  {
    boost::asio::io_context io;
    std::promise<msg::PricerControlReply> reply;
    bus::RpcClient rpc(io, zmq, net.config().endpoints.pricer_rpc, "operator",
                       [&](const bus::Envelope& e) {
                         if (e.has_pricer_control_reply())
                           reply.set_value(e.pricer_control_reply());
                         io.stop();
                       });
    rpc.start();
    bus::Envelope req;
    req.mutable_pricer_control()->set_rearm("BTC-USDT");
    req.mutable_pricer_control()->set_actor("e2e test");
    REQUIRE(rpc.send(req));
    std::thread t([&] {
      auto guard = boost::asio::make_work_guard(io);
      io.run_for(5s);
    });
    auto fut = reply.get_future();
    REQUIRE(fut.wait_for(6s) == std::future_status::ready);
    auto rep = fut.get();
    t.join();
    CHECK(rep.ok());
    CHECK(rep.detail() == "BTC-USDT re-armed");
  }
  bool resumed = testing::wait_until([&] { return post(body).status == 200; }, 10'000ms);
  CHECK(resumed);
  net.stop();
  tap.stop();

  // The crash: OKX was live before it, and on every OKX update that showed it more than
  // 100 bps from the median it was already left out — never priced from while crashed.
  size_t live_before = 0, crashed = 0, crashed_but_live = 0;
  for (const auto& s : okx_steps) {
    if (std::abs(s.deviation_bps) > 100) {
      ++crashed;
      if (s.status == pricer::VenueStatus::Live) ++crashed_but_live;
    } else if (crashed == 0 && s.status == pricer::VenueStatus::Live) {
      ++live_before;
    }
  }
  CHECK(live_before > 0);
  CHECK(crashed > 0);
  CHECK(crashed_but_live == 0);
  // The shadow pricer tripped exactly once, after the all-venue jump, not at the OKX crash.
  REQUIRE(trips.size() == 1);

  // Replay: the same messages at the same times through a fresh pricer take the same decisions.
  ShadowPricer replay(config);
  std::vector<int64_t> replay_trips;
  size_t okx_i = 0, mismatches = 0;
  bool rt = false;
  for (const auto& m : recorded) {
    std::string k = replay.apply(m.env, m.at);
    if (replay.pricer->breaker().tripped && !rt) replay_trips.push_back(m.at);
    rt = replay.pricer->breaker().tripped;
    if (k == "okx:BTC-USDT" && okx_i < okx_steps.size()) {
      double m3[3];
      for (size_t i = 0; i < 3; ++i)
        m3[i] = mid_of(*replay.books.at(config.universe.listings[0].sources()[i]));
      if (m3[0] <= 0 || m3[1] <= 0 || m3[2] <= 0) continue;
      if (replay.venue(1).status != okx_steps[okx_i].status) ++mismatches;
      ++okx_i;
    }
  }
  CHECK(okx_i == okx_steps.size());
  CHECK(mismatches == 0);
  CHECK(replay_trips == trips);
}
