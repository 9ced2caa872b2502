// The pricer component over the bus: books from the market-data socket, fills from rfq's
// socket and positions from hedging's feed the pure core; quote and ladder requests, tiers and
// the operator's kill switch go over its request/reply socket. What the shell adds, checked
// against what the core alone computes.
#include <doctest/doctest.h>

#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/post.hpp>
#include <future>
#include <thread>

#include "aqueduct/bus/bus.hpp"
#include "aqueduct/pricer/pricer_service.hpp"
#include "aqueduct/testing/fixtures.hpp"
#include "aqueduct/testing/wait.hpp"
#include "aqueduct/types/convert.hpp"

using namespace aq;
using namespace std::chrono_literals;
namespace msg = aqueduct::msg;

namespace {

bus::Endpoints unique_endpoints() {
  static int n = 0;
  std::string p = "inproc://pricer-service-test-" + std::to_string(++n) + "-";
  bus::Endpoints e;
  e.connectors_pub = p + "md";
  e.pricer_rpc = p + "rpc";
  e.rfq_pub = p + "rfq";
  e.hedging_pub = p + "hedging";
  return e;
}

void add_level(google::protobuf::RepeatedPtrField<msg::BookLevel>* out, const char* price,
               const char* qty) {
  auto* l = out->Add();
  to_proto(*Decimal::parse_natural(price), l->mutable_price());
  to_proto(*Decimal::parse_natural(qty), l->mutable_qty());
}

// The pricer service on its own loop, and a client of it on the same loop.
struct Harness {
  zmq::context_t zmq;
  bus::Endpoints ep = unique_endpoints();
  Universe universe;
  boost::asio::io_context io;
  bus::Publisher md{zmq, ep.connectors_pub, "test-md"};
  bus::Publisher rfq{zmq, ep.rfq_pub, "test-rfq"};
  bus::Publisher hedging{zmq, ep.hedging_pub, "test-hedging"};
  std::unique_ptr<pricer::PricerService> service;
  std::unique_ptr<bus::RpcClient> rpc;
  std::map<uint64_t, std::promise<bus::Envelope>> waiting;
  std::thread thread;
  uint64_t next_id = 1;
  uint64_t seq = 1;

  Harness() {
    universe.instruments = {testing::btcusdt("a", 1000), testing::btcusdt("b", 500)};
    Listing l = testing::btcusdt_listing();
    l.hedge_instruments = {"a:BTCUSDT", "b:BTCUSDT"};
    universe.listings = {l};
    pricer::PricerConfig cfg;
    pricer::PricingParams p;
    p.min_venues = 2;
    p.outlier_ppm = 10'000;
    p.vol_k = 0;
    p.impact_ppm = 100'000;
    p.max_inventory = 100'000;  // 1 BTC
    p.skew_ppm_at_limit = 1'000;
    cfg.params["BTC-USDT"] = p;
    cfg.tiers = {{"standard", 0}, {"vip", 300}};
    cfg.ladders["BTC-USDT"] = {10'000, 50'000, 100'000};
    service = std::make_unique<pricer::PricerService>(io, zmq, ep, universe, cfg);
    service->start();
    rpc = std::make_unique<bus::RpcClient>(
        io, zmq, ep.pricer_rpc, "test", [this](const bus::Envelope& e) {
          uint64_t id = e.has_quote_response() ? e.quote_response().request_id()
                        : e.has_levels()       ? e.levels().request_id()
                                               : 0;
          auto it = waiting.find(id);
          if (it == waiting.end()) return;
          it->second.set_value(e);
          waiting.erase(it);
        });
    rpc->start();
    thread = std::thread([this] {
      auto guard = boost::asio::make_work_guard(io);
      io.run();
    });
  }
  ~Harness() {
    io.stop();
    thread.join();
  }

  // Sends on the loop's thread (sockets belong to it); waits for the answer.
  bus::Envelope ask(bus::Envelope req, uint64_t id) {
    std::promise<bus::Envelope> done;
    auto fut = done.get_future();
    boost::asio::post(io, [&] {
      if (id) waiting.emplace(id, std::move(done));
      rpc->send(req);
      if (!id) done.set_value({});
    });
    auto ok = fut.wait_for(5s) == std::future_status::ready;
    REQUIRE_MESSAGE(ok, "the pricer did not answer");
    return fut.get();
  }
  msg::QuoteResponse quote(Side side, const char* qty, const std::string& tier = "",
                           bool zero_fee = false) {
    bus::Envelope e;
    auto* q = e.mutable_quote_request();
    uint64_t id = next_id++;
    q->set_request_id(id);
    q->set_client_id("c1");
    q->set_listing("BTC-USDT");
    q->set_side(to_proto(side));
    to_proto(*Decimal::parse_natural(qty), q->mutable_qty());
    q->set_firm(true);
    q->set_client_tier(tier);
    q->set_zero_fee(zero_fee);
    return ask(e, id).quote_response();
  }
  // Both books, published until the pricer has them (subscriptions take a moment to join).
  void publish_books() {
    for (const char* v : {"a", "b"}) {
      bus::Envelope e;
      auto* s = e.mutable_book_snapshot();
      s->set_venue(v);
      s->set_symbol("BTCUSDT");
      s->set_venue_seq(seq++);
      if (std::string(v) == "a") {
        add_level(s->mutable_bids(), "99", "1");
        add_level(s->mutable_asks(), "100", "1");
      } else {
        add_level(s->mutable_bids(), "99.95", "1");
        add_level(s->mutable_bids(), "99.90", "1");
        add_level(s->mutable_asks(), "100.05", "1");
        add_level(s->mutable_asks(), "100.08", "1");
      }
      boost::asio::post(
          io, [this, e, v]() mutable { md.publish(std::string("md.book.") + v + ".BTCUSDT", e); });
    }
  }
  void live() {
    REQUIRE(testing::wait_until(
        [&] {
          publish_books();
          return quote(Side::Buy, "0.1").has_quote();
        },
        5000ms));
  }
};

Decimal dec(const msg::Decimal& d) {
  return from_proto(d);
}

}  // namespace

TEST_CASE(
    "pricer service: books, tiers, positions and fills from the bus change the price the way the "
    "core says") {
  Harness h;
  h.live();
  auto base = h.quote(Side::Buy, "0.5");
  REQUIRE(base.has_quote());
  const auto& b = base.quote().breakdown();
  CHECK(b.live_venues() == 2);
  CHECK(b.tier() == "standard");
  CHECK(dec(b.markup()).units == 0);
  CHECK(dec(b.inventory_skew()).units == 0);
  // a's ask with its fee (100.1) beats b's (100.100025): the half BTC comes from a.
  REQUIRE(b.venues_size() == 1);
  CHECK(b.venues(0).venue() == "a:BTCUSDT");

  SUBCASE("a client's tier adds its markup; an unknown tier is the default") {
    auto vip = h.quote(Side::Buy, "0.5", "vip");
    REQUIRE(vip.has_quote());
    CHECK(vip.quote().breakdown().tier() == "vip");
    CHECK(dec(vip.quote().breakdown().markup()).units > 0);
    CHECK(compare(dec(vip.quote().price()), dec(base.quote().price())) > 0);
    CHECK(h.quote(Side::Buy, "0.5", "nobody").quote().breakdown().tier() == "standard");
    // An institutional (zero-fee) client pays no markup, whatever its tier.
    auto inst = h.quote(Side::Buy, "0.5", "vip", true);
    CHECK(inst.quote().breakdown().tier() == "vip (zero fee)");
    CHECK(dec(inst.quote().breakdown().markup()).units == 0);
  }
  SUBCASE("hedging's position skews both sides down when we are long") {
    bus::Envelope e;
    auto* p = e.mutable_position();
    p->set_asset("BTC");
    to_proto(Decimal{5, 1}, p->mutable_net_qty());  // long 0.5 BTC
    boost::asio::post(h.io, [&h, e]() mutable { h.hedging.publish(bus::topic::kPosition, e); });
    REQUIRE(testing::wait_until(
        [&] {
          return dec(h.quote(Side::Buy, "0.5").quote().breakdown().inventory_skew()).units < 0;
        },
        3000ms));
    auto ask = h.quote(Side::Buy, "0.5");
    // Half the limit at 10 bps: -5 bps of the fair value.
    Decimal fair = dec(ask.quote().breakdown().fair_value());
    Decimal skew = dec(ask.quote().breakdown().inventory_skew());
    CHECK(skew.units ==
          -div_round(static_cast<int128>(fair.units) * 500, 1'000'000, Rounding::HalfEven));
  }
  SUBCASE("hedging's risk state: a listing's stop loss stops its quotes until re-armed; a halt stops all") {
    auto risk = [&](const std::string& scope, const std::string& state, const std::string& why) {
      bus::Envelope e;
      auto* r = e.mutable_risk_state();
      r->set_scope(scope);
      r->set_state(state);
      r->set_why(why);
      boost::asio::post(h.io, [&h, e]() mutable { h.hedging.publish(bus::topic::kRisk, e); });
    };
    risk("listing BTC-USDT", "REDUCING", "PnL -5001 USD is below the stop loss of -5000 USD");
    REQUIRE(testing::wait_until([&] { return h.quote(Side::Buy, "0.5").has_refusal(); }, 3000ms));
    auto r = h.quote(Side::Sell, "0.5");
    REQUIRE(r.has_refusal());
    CHECK(r.refusal().reason() == msg::REFUSAL_HALTED);
    CHECK(r.refusal().detail() ==
          "BTC-USDT stopped by risk (PnL -5001 USD is below the stop loss of -5000 USD); an operator must re-arm it");
    risk("listing BTC-USDT", "ACTIVE", "re-armed");
    REQUIRE(testing::wait_until([&] { return h.quote(Side::Buy, "0.5").has_quote(); }, 3000ms));
    risk("portfolio", "HALTED", "drawdown 20001 USD from the peak 0 USD is beyond the limit of 20000 USD");
    REQUIRE(testing::wait_until([&] { return h.quote(Side::Buy, "0.5").has_refusal(); }, 3000ms));
    CHECK(h.quote(Side::Buy, "0.5").refusal().detail().find("trading is HALTED by risk (drawdown 20001 USD") == 0);
    risk("portfolio", "ACTIVE", "re-armed");
    REQUIRE(testing::wait_until([&] { return h.quote(Side::Buy, "0.5").has_quote(); }, 3000ms));
  }
  SUBCASE("fills widen the impact spread on their side, not on the other") {
    auto sell_before = h.quote(Side::Sell, "0.5");
    bus::Envelope e;
    auto* f = e.mutable_fill();
    f->set_fill_id("f_1");
    f->set_client_id("c1");
    f->set_listing("BTC-USDT");
    f->set_taker_side(msg::SIDE_BUY);
    to_proto(Decimal{10'010'000, 5}, f->mutable_price());
    to_proto(Decimal{1, 0}, f->mutable_qty());
    f->set_filled_ts_ns(wall_now_ns());
    boost::asio::post(h.io, [&h, e]() mutable { h.rfq.publish(bus::topic::kFill, e); });
    int64_t before = dec(base.quote().breakdown().impact_spread()).units;
    REQUIRE(testing::wait_until(
        [&] {
          return dec(h.quote(Side::Buy, "0.5").quote().breakdown().impact_spread()).units > before;
        },
        3000ms));
    // (1 + 0.25) / 2 instead of 0.25 / 2 of the depth: five times the impact.
    int64_t after = dec(h.quote(Side::Buy, "0.5").quote().breakdown().impact_spread()).units;
    CHECK(after >= 5 * before - 5);
    CHECK(after <= 5 * before + 5);
    CHECK(dec(h.quote(Side::Sell, "0.5").quote().breakdown().impact_spread()).units ==
          dec(sell_before.quote().breakdown().impact_spread()).units);
  }
  SUBCASE("ladders, and the kill switch stops quotes and ladders alike") {
    bus::Envelope lr;
    lr.mutable_levels_request()->set_request_id(999);
    lr.mutable_levels_request()->set_listing("BTC-USDT");
    auto lv = h.ask(lr, 999).levels();
    CHECK(lv.asks_size() == 3);
    CHECK(lv.bids_size() == 3);
    CHECK(lv.ask_increments_size() == 3);
    bus::Envelope kill;
    kill.mutable_pricer_control()->set_kill(true);
    h.ask(kill, 0);
    REQUIRE(testing::wait_until(
        [&] { return h.quote(Side::Buy, "0.1").refusal().reason() == msg::REFUSAL_KILL_SWITCH; },
        3000ms));
    lv = h.ask(lr, 999).levels();
    CHECK(lv.asks_size() == 0);
    CHECK(lv.ask_refusal().reason() == msg::REFUSAL_KILL_SWITCH);
    bus::Envelope release;
    release.mutable_pricer_control()->set_release(true);
    h.ask(release, 0);
    REQUIRE(testing::wait_until([&] { return h.quote(Side::Buy, "0.1").has_quote(); }, 3000ms));
  }
  SUBCASE("a venue the connector reports resyncing leaves the price at once") {
    bus::Envelope e;
    auto* s = e.mutable_venue_status();
    s->set_venue("b");
    s->set_symbol("BTCUSDT");
    s->set_state(msg::BOOK_RESYNCING);
    s->set_reason("sequence gap");
    boost::asio::post(h.io, [&h, e]() mutable { h.md.publish("md.status.b", e); });
    REQUIRE(testing::wait_until([&] { return h.quote(Side::Buy, "0.1").has_refusal(); }, 3000ms));
    auto r = h.quote(Side::Buy, "0.1");
    CHECK(r.refusal().reason() == msg::REFUSAL_TOO_FEW_VENUES);
    CHECK(r.refusal().detail().find("b:BTCUSDT: BOOK_RESYNCING (sequence gap)") !=
          std::string::npos);
  }
}
