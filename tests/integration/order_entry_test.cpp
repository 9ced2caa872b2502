// Order entry against the simulator over real sockets, for every venue with order entry
// (Binance spot and USD-M, OKX, Bybit, BitMEX), all on the one REST order path: fills, IOC expiry,
// refusals, and every way an order's outcome can be unknown (429, 503 after executing, an
// acknowledgement slower than our timeout), each settled by querying the order by its client id.
#include <doctest/doctest.h>

#include <atomic>
#include <future>
#include <thread>

#include "aqueduct/connectors/binance/order_protocol.hpp"
#include "aqueduct/connectors/bitmex/order_protocol.hpp"
#include "aqueduct/connectors/bybit/order_protocol.hpp"
#include "aqueduct/connectors/okx/order_protocol.hpp"
#include "aqueduct/connectors/rest_order_entry.hpp"
#include "aqueduct/hedging/contract_math.hpp"
#include "aqueduct/net/send_path_warmer.hpp"
#include "aqueduct/sim/binance_sim.hpp"
#include "aqueduct/sim/faces.hpp"
#include "aqueduct/sim/perp_marks.hpp"
#include "aqueduct/sim/sim_account.hpp"
#include "aqueduct/sim/stream_sim.hpp"
#include "aqueduct/testing/loop_thread.hpp"

using namespace aq;
using namespace std::chrono_literals;
namespace msg = aqueduct::msg;
using testing::LoopThread;

namespace {
// One instrument per venue, scaled so that "one unit of size" (`u`) is a normal hedge and the
// book has 20 of them at the best level, with prices around 30000.0.
struct VenueCase {
  std::string kind;
  Instrument inst;
  int64_t u;  // qty units of one order
};

VenueCase venue_case(const std::string& kind) {
  Instrument i;
  i.venue = kind;
  i.price_scale = 1;
  i.tick = 1;
  i.base = "BTC";
  i.quote = i.settle = kind == "bitmex" ? "USD" : "USDT";
  if (kind == "bitmex") i.settle = "XBT";
  if (kind == "okx") {
    i.symbol = "BTC-USDT";
    i.kind = InstrumentKind::Spot;
    i.qty_scale = 8;
    i.lot = 1;
    i.min_qty = 1000;
    return {kind, i, 1'000'000};
  }
  if (kind == "binance_spot") {
    i.symbol = "BTCUSDT";
    i.kind = InstrumentKind::Spot;
    i.qty_scale = 5;
    i.lot = 1;
    i.min_qty = 10;
    return {kind, i, 1000};
  }
  if (kind == "binance_usdm") {
    i.symbol = "BTCUSDT";
    i.kind = InstrumentKind::Linear;
    i.qty_scale = 3;
    i.lot = 1;
    i.min_qty = 1;
    return {kind, i, 10};
  }
  if (kind == "bybit") {
    i.symbol = "BTCUSDT";
    i.kind = InstrumentKind::Linear;
    i.qty_scale = 3;
    i.lot = 1;
    i.min_qty = 1;
    return {kind, i, 10};
  }
  i.symbol = "XBTUSD";
  i.kind = InstrumentKind::Inverse;
  i.qty_scale = 0;
  i.tick = 5;
  i.lot = 100;
  i.min_qty = 100;
  i.multiplier = Decimal{-100'000'000, 0};
  return {kind, i, 1000};
}

std::unique_ptr<connectors::OrderProtocol> protocol(const std::string& kind,
                                                    connectors::VenueCredentials c) {
  if (kind == "binance_spot")
    return std::make_unique<binance::OrderProtocol>(binance::Market::Spot, std::move(c));
  if (kind == "binance_usdm")
    return std::make_unique<binance::OrderProtocol>(binance::Market::UsdmFutures, std::move(c));
  if (kind == "okx") return std::make_unique<okx::OrderProtocol>(std::move(c));
  if (kind == "bybit") return std::make_unique<bybit::OrderProtocol>(std::move(c));
  return std::make_unique<bitmex::OrderProtocol>(std::move(c));
}
}  // namespace

void run_order_entry(const std::string& kind) {
  LoopThread venue, client;
  auto vc = venue_case(kind);
  connectors::VenueCredentials creds{kind + "-key", kind + "-secret", kind + "-pass"};
  sim::SimInstrument si;
  si.instrument = vc.inst;
  si.start_mid = 300'000;  // 30000.0
  si.max_step_ticks = 0;
  si.book.level_step = vc.inst.tick * 5;
  si.book.half_spread = vc.inst.tick;
  si.book.base_qty = vc.u * 20;
  // The derivatives account each simulator keeps: 1,000 USDT, or 1 XBT on BitMEX.
  sim::SimMarginTerms terms;
  terms.coin = kind == "bitmex" ? "BTC" : "USDT";
  terms.collateral = Decimal{kind == "bitmex" ? 1 : 1'000, 0};
  terms.value = [](const Instrument& i, int64_t qty, int64_t price) {
    return hedging::settle_value(i, qty, price);
  };
  // The venue: the Binance simulator in the dialect asked for, or the venue's stream simulator.
  struct Venue {
    std::unique_ptr<sim::BinanceSim> binance;
    std::unique_ptr<sim::StreamSim> stream;
    uint16_t port() const { return binance ? binance->port() : stream->port(); }
    void set_order_fault(sim::OrderFault f) {
      binance ? binance->set_order_fault(f) : stream->set_order_fault(f);
    }
    uint64_t orders_received() const {
      return binance ? binance->orders_received() : stream->orders_received();
    }
    void jump_bps(const std::string& s, int64_t bps) {
      binance ? binance->jump_bps(s, bps) : stream->jump_bps(s, bps);
    }
    void stop() { binance ? binance->stop() : stream->stop(); }
  };
  auto sim = venue.call([&] {
    auto v = std::make_unique<Venue>();
    if (kind.rfind("binance", 0) == 0) {
      sim::BinanceSimOptions o;
      o.dialect =
          kind == "binance_spot" ? sim::BinanceDialect::Spot : sim::BinanceDialect::UsdmFutures;
      o.instruments = {si};
      o.api_key = creds.api_key;
      o.api_secret = creds.api_secret;
      o.account = terms;
      v->binance = std::make_unique<sim::BinanceSim>(venue.io, o);
      v->binance->start();
    } else {
      sim::StreamSimOptions o;
      o.instruments = {si};
      o.credentials = creds;
      o.account = terms;
      v->stream = std::make_unique<sim::StreamSim>(venue.io, sim::make_face(kind), o);
      v->stream->start();
    }
    return v;
  });
  auto inst = vc.inst;
  const auto sym = inst.symbol;
  const auto u = vc.u;
  // A fresh RestOrderEntry on the client's loop: `start` runs there with it, then what `start`
  // promised is awaited here, and the entry is dropped on the loop again.
  auto on_entry = [&](auto& promised, connectors::VenueCredentials c, auto start) {
    auto entry = client.call([&] {
      auto e = std::make_shared<connectors::RestOrderEntry>(
          client.io, protocol(kind, c), "127.0.0.1", sim->port(), wall_clock(), 300ms);
      start(*e);
      return e;
    });
    auto out = promised.get_future().get();
    client.call([&] {
      entry.reset();
      return 0;
    });
    return out;
  };
  auto place = [&](connectors::VenueCredentials c, connectors::LimitOrder order) {
    std::promise<connectors::OrderOutcome> p;
    return on_entry(p, c, [&](connectors::RestOrderEntry& e) {
      e.place(order, inst, [&](connectors::OrderOutcome out) { p.set_value(out); });
    });
  };

  // A warm-up signs a placement and drops it: the venue sees nothing and the account's order
  // budget is untouched (room for one order in every bucket; it still goes through after 50
  // warm-ups).
  {
    std::promise<connectors::OrderOutcome> p;
    // Room for exactly one placement and the two queries that may follow it in every bucket.
    std::vector<connectors::BucketSpec> room_for_one;
    auto placing = protocol(kind, creds)->place({sym, Side::Buy, u, 100'000, "h_x"}, inst, 0).cost;
    auto querying = protocol(kind, creds)->query({sym, Side::Buy, u, 100'000, "h_x"}, inst, 0).cost;
    for (size_t b = 0; b < std::max(placing.size(), querying.size()); ++b) {
      int64_t need =
          (b < placing.size() ? placing[b] : 0) + 2 * (b < querying.size() ? querying[b] : 0);
      room_for_one.push_back(
          {"bucket " + std::to_string(b), std::max<int64_t>(need, 1), 60'000'000'000});
    }
    auto limiter = std::make_shared<connectors::RateLimiter>(room_for_one);
    auto received = sim->orders_received();
    auto entry = client.call([&] {
      auto e = std::make_shared<connectors::RestOrderEntry>(
          client.io, protocol(kind, creds), "127.0.0.1", sim->port(), wall_clock(), 300ms, limiter);
      for (int i = 0; i < 50; ++i) e->warm(inst);
      return e;
    });
    std::this_thread::sleep_for(50ms);
    CHECK(sim->orders_received() == received);
    client.call([&] {
      entry->place({sym, Side::Buy, u, 100'000, "h_warm_after"}, inst,
                   [&](connectors::OrderOutcome out) { p.set_value(out); });
      return 0;
    });
    auto out = p.get_future().get();
    CHECK(out.status == msg::ORDER_EXPIRED);  // placed (far below the book), not refused
    CHECK(sim->orders_received() == received + 1);
    client.call([&] {
      entry.reset();
      return 0;
    });
  }
  {
    net::SendPathWarmer warmer;
    REQUIRE(warmer.ready());
    for (int i = 0; i < 2000; ++i) warmer.warm(i % 2 ? 450 : 5000);  // 5000 is capped at 1024
    CHECK(warmer.written() == 1000 * 450 + 1000 * 1024);
    for (int i = 0; i < 1000 && warmer.drained() != warmer.written(); ++i) {
      std::this_thread::sleep_for(1ms);  // loopback delivers within the send, almost always
      warmer.warm(0);                    // writes nothing, drains
    }
    CHECK(warmer.drained() == warmer.written());
  }

  // The account, read over its own connection: as deposited before anything filled. Binance
  // spot has no margin account, and is not asked.
  struct AccountRead {
    bool asked = false;
    std::optional<connectors::MarginAccount> account;
    std::string why;
  };
  auto read_account = [&](connectors::VenueCredentials c) {
    std::promise<AccountRead> p;
    return on_entry(p, c, [&](connectors::RestOrderEntry& e) {
      bool asked =
          e.fetch_account([&p](std::optional<connectors::MarginAccount> a, std::string why) {
            p.set_value({true, std::move(a), std::move(why)});
          });
      if (!asked) p.set_value({});
    });
  };
  std::string deposit = kind == "bitmex" ? "1.00000000" : "1000.00000000";
  {
    auto r = read_account(creds);
    CHECK(r.asked == (kind != "binance_spot"));
    if (r.asked) {
      REQUIRE_MESSAGE(r.account, r.why);
      CHECK(r.account->equity.to_string() == deposit);
      CHECK(r.account->available.to_string() == deposit);
      // A request the venue cannot authenticate reads nothing, and says what the venue said.
      auto bad = read_account({creds.api_key, "wrong-secret", creds.passphrase});
      CHECK(bad.asked);
      CHECK_FALSE(bad.account);
      CHECK_MESSAGE(bad.why.find(kind == "bybit"    ? "10004"
                                 : kind == "okx"    ? "50113"
                                 : kind == "bitmex" ? "Signature not valid"
                                                    : "-1022") != std::string::npos,
                    bad.why);
    }
  }

  // Acknowledged, then found filled, with its trades.
  auto filled = place(creds, {sym, Side::Buy, u, 310'000, "h_0001"});  // 0.01 BTC, limit 31000
  CHECK(filled.status == msg::ORDER_FILLED);
  CHECK(filled.filled_qty == u);
  REQUIRE_FALSE(filled.fills.empty());
  int64_t quote = 0;
  for (const auto& f : filled.fills) quote += f.price * f.qty;
  CHECK(filled.filled_quote == quote);
  CHECK_FALSE(filled.venue_order_id.empty());

  // The account after that fill, as the venue's wire format carries it: a perp position bought
  // at the ask is worth less at the mark, and the fee is paid, so equity is below the deposit
  // and the initial margin the position holds leaves less available. Exactly the simulator's
  // figures: the fill's trades valued at the mark the simulator publishes (a still market).
  if (kind != "binance_spot") {
    auto r = read_account(creds);
    REQUIRE_MESSAGE(r.account, r.why);
    std::vector<sim::AccountFill> fills;
    for (const auto& f : filled.fills) fills.push_back({&inst, Side::Buy, f.price, f.qty, false});
    auto expected =
        sim::margin_account(terms, fills, [&](const Instrument& i) -> std::optional<int64_t> {
          return sim::perp_marks(i, 300'000, 0).mark;
        });
    REQUIRE(expected);
    if (inst.kind == InstrumentKind::Spot) {
      CHECK(r.account->equity.to_string() == deposit);  // a spot fill is not margin
      CHECK(r.account->available.to_string() == deposit);
    } else {
      CHECK(r.account->equity.units < Decimal::parse_or_throw(deposit, 8).units);
      CHECK(r.account->available.units < r.account->equity.units);
      CHECK(r.account->equity.to_string() == expected->equity.to_string());
      CHECK(r.account->available.to_string() == expected->available.to_string());
    }
  }

  // Cancelling an order that already filled is refused by the venue; that refusal is not a
  // failure but the fill, found by the query.
  auto cancel = [&](connectors::LimitOrder order) {
    std::promise<connectors::OrderOutcome> p;
    return on_entry(p, creds, [&](connectors::RestOrderEntry& e) {
      e.cancel(order, inst, [&](connectors::OrderOutcome out) { p.set_value(out); });
    });
  };
  auto cancelled_fill = cancel({sym, Side::Buy, u, 310'000, "h_0001"});
  CHECK(cancelled_fill.status == msg::ORDER_FILLED);
  CHECK(cancelled_fill.filled_qty == u);
  CHECK(cancelled_fill.venue_order_id == filled.venue_order_id);
  CHECK_FALSE(cancelled_fill.fills.empty());
  auto cancelled_nothing = cancel({sym, Side::Buy, u, 310'000, "h_never"});
  CHECK(cancelled_nothing.status == msg::ORDER_REJECTED);

  auto none = place(creds, {sym, Side::Buy, u, 100'000, "h_0002"});  // far below the book
  CHECK(none.status == msg::ORDER_EXPIRED);
  CHECK(none.filled_qty == 0);

  auto bad_pass = place({"okx-key", "okx-secret", "wrong"}, {sym, Side::Buy, u, 310'000, "h_0003"});
  CHECK(bad_pass.status == msg::ORDER_REJECTED);
  auto bad_sign = place({"okx-key", "nope", "okx-pass"}, {sym, Side::Buy, u, 310'000, "h_0004"});
  CHECK(bad_sign.status == msg::ORDER_REJECTED);
  auto bad_size =
      place(creds, {sym, Side::Buy, u + inst.lot / 2 + (inst.lot == 1 ? 0 : 0), 310'000, "h_0005"});
  if (inst.lot > 1) CHECK(bad_size.status == msg::ORDER_REJECTED);  // not a multiple of the lot
  auto tiny = place(creds, {sym, Side::Buy, inst.min_qty - 1, 310'000, "h_0010"});
  if (inst.min_qty > 1) CHECK(tiny.status == msg::ORDER_REJECTED);  // below the minimum

  // The same client id again: never a second order; the first one's outcome.
  auto again = place(creds, {sym, Side::Buy, u, 310'000, "h_0001"});
  CHECK(again.status == msg::ORDER_FILLED);
  CHECK(again.venue_order_id == filled.venue_order_id);

  auto before = sim->orders_received();
  sim->set_order_fault({sim::OrderFault::Kind::RateLimited, 1, 0ms});
  auto limited = place(creds, {sym, Side::Buy, u, 310'000, "h_0006"});
  CHECK(limited.status == msg::ORDER_REJECTED);
  CHECK(limited.detail.find("never reached the venue") != std::string::npos);

  sim->set_order_fault({sim::OrderFault::Kind::UnavailableExecuted, 1, 0ms});
  auto unavailable = place(creds, {sym, Side::Sell, u, 290'000, "h_0007"});
  CHECK(unavailable.status == msg::ORDER_FILLED);
  CHECK(unavailable.detail.find("reconciled") != std::string::npos);

  sim->set_order_fault({sim::OrderFault::Kind::SlowAck, 1, 1000ms});
  auto slow = place(creds, {sym, Side::Buy, u, 310'000, "h_0008"});
  CHECK(slow.status == msg::ORDER_FILLED);
  CHECK(slow.detail.find("reconciled") != std::string::npos);

  sim->set_order_fault({sim::OrderFault::Kind::PartialFill, 1, 0ms});
  auto partial = place(creds, {sym, Side::Buy, u, 310'000, "h_0009"});
  CHECK(partial.status == msg::ORDER_EXPIRED);
  CHECK(partial.filled_qty == u / 2 / inst.lot * inst.lot);
  int64_t sum = 0;
  for (const auto& f : partial.fills) sum += f.qty;
  CHECK(sum == partial.filled_qty);
  CHECK(sim->orders_received() == before + 4);

  // Worked orders: post-only, resting as a maker until a deadline. The book: bid 29999.x,
  // ask 30000.x (a tick either side of 30000.0).
  auto work = [&](connectors::LimitOrder order, std::chrono::milliseconds for_ms,
                  std::function<void()> meanwhile = {}) {
    order.tif = connectors::TimeInForce::PostOnly;
    std::promise<connectors::OrderOutcome> p;
    auto started = std::chrono::steady_clock::now();
    auto entry = client.call([&] {
      auto e = std::make_shared<connectors::RestOrderEntry>(
          client.io, protocol(kind, creds), "127.0.0.1", sim->port(), wall_clock(), 300ms);
      e->place(
          order, inst, [&](connectors::OrderOutcome out) { p.set_value(out); },
          wall_now_ns() + std::chrono::nanoseconds(for_ms).count());
      return e;
    });
    if (meanwhile) meanwhile();
    auto out = p.get_future().get();
    auto took = std::chrono::steady_clock::now() - started;
    client.call([&] {
      entry.reset();
      return 0;
    });
    return std::make_pair(out, took);
  };
  // One that would take (a bid above the ask) is refused or cancelled by the venue: it never
  // takes liquidity and ends at once.
  auto [taker, taker_took] = work({sym, Side::Buy, u, 310'000, "h_w001"}, 5000ms);
  CHECK(taker.filled_qty == 0);
  CHECK((taker.status == msg::ORDER_REJECTED || taker.status == msg::ORDER_EXPIRED ||
         taker.status == msg::ORDER_CANCELED));
  CHECK(taker_took < 3000ms);
  // One below the bid rests until its deadline, and is then cancelled unfilled.
  auto [rested, rested_took] = work({sym, Side::Buy, u, 299'000, "h_w002"}, 400ms);
  CHECK(rested.filled_qty == 0);
  CHECK((rested.status == msg::ORDER_CANCELED || rested.status == msg::ORDER_EXPIRED));
  CHECK(rested_took >= 390ms);
  CHECK(rested_took < 3000ms);
  auto cancelled_again =
      cancel({sym, Side::Buy, u, 299'000, "h_w002"});  // done: the query's answer
  CHECK(cancelled_again.filled_qty == 0);
  CHECK(cancelled_again.status != msg::ORDER_FILLED);
  // A seller reaches our bid (the market drops 10 bps): filled in full at our price as maker,
  // well before the deadline.
  auto [made, made_took] = work({sym, Side::Buy, u, 299'990, "h_w003"}, 10'000ms, [&] {
    std::this_thread::sleep_for(300ms);  // resting first
    sim->jump_bps(sym, -10);
  });
  CHECK(made.status == msg::ORDER_FILLED);
  CHECK(made.filled_qty == u);
  REQUIRE_FALSE(made.fills.empty());
  for (const auto& f : made.fills) CHECK(f.price == 299'990);
  CHECK(made_took < 5000ms);
  // A worked order no longer wanted: its deadline is brought to now, and it ends cancelled.
  {
    std::promise<connectors::OrderOutcome> p;
    auto started = std::chrono::steady_clock::now();
    auto entry = client.call([&] {
      auto e = std::make_shared<connectors::RestOrderEntry>(
          client.io, protocol(kind, creds), "127.0.0.1", sim->port(), wall_clock(), 300ms);
      connectors::LimitOrder o{sym,     Side::Buy, u,
                               299'000, "h_w005",  connectors::TimeInForce::PostOnly};
      e->place(
          o, inst, [&](connectors::OrderOutcome out) { p.set_value(out); },
          wall_now_ns() + 60'000'000'000);
      return e;
    });
    std::this_thread::sleep_for(300ms);
    CHECK_FALSE(client.call([&] { return entry->cancel_working("h_unknown"); }));
    CHECK(client.call([&] { return entry->cancel_working("h_w005"); }));
    auto out = p.get_future().get();
    CHECK(std::chrono::steady_clock::now() - started < 5s);
    CHECK(out.filled_qty == 0);
    CHECK((out.status == msg::ORDER_CANCELED || out.status == msg::ORDER_EXPIRED));
    CHECK_FALSE(client.call([&] { return entry->cancel_working("h_w005"); }));  // done
    client.call([&] {
      entry.reset();
      return 0;
    });
  }
  // A worked order whose placer is gone (a restart): reconciling it cancels it.
  std::atomic<bool> abandoned_reported{false};
  auto abandoned = client.call([&] {
    auto e = std::make_shared<connectors::RestOrderEntry>(
        client.io, protocol(kind, creds), "127.0.0.1", sim->port(), wall_clock(), 300ms);
    connectors::LimitOrder o{sym,     Side::Sell, u,
                             310'000, "h_w004",   connectors::TimeInForce::PostOnly};
    e->place(
        o, inst, [&](connectors::OrderOutcome) { abandoned_reported = true; },
        wall_now_ns() + 60'000'000'000);
    return e;
  });
  std::this_thread::sleep_for(300ms);  // at the venue, resting
  client.call([&] {
    abandoned.reset();
    return 0;
  });  // nobody is working it any more
  CHECK_FALSE(abandoned_reported.load());
  {
    std::promise<connectors::OrderOutcome> p;
    auto out = on_entry(p, creds, [&](connectors::RestOrderEntry& e) {
      e.reconcile({sym, Side::Sell, u, 310'000, "h_w004"}, inst,
                  [&](connectors::OrderOutcome o) { p.set_value(o); });
    });
    CHECK(out.filled_qty == 0);
    CHECK((out.status == msg::ORDER_CANCELED || out.status == msg::ORDER_EXPIRED));
    CHECK_FALSE(out.never_placed);
  }

  client.stop();
  venue.call([&] {
    sim->stop();
    return 0;
  });
  venue.stop();
}

TEST_CASE("order entry: binance spot") {
  run_order_entry("binance_spot");
}
TEST_CASE("order entry: binance usd-m futures") {
  run_order_entry("binance_usdm");
}
TEST_CASE("order entry: okx") {
  run_order_entry("okx");
}
TEST_CASE("order entry: bybit") {
  run_order_entry("bybit");
}
TEST_CASE("order entry: bitmex") {
  run_order_entry("bitmex");
}

// Funding history over the wire: each simulated perpetual settles every 200 ms here; its
// venue's public history endpoint, read through RestOrderEntry, lists those settlements,
// oldest first, one per interval, at the rate the simulator announced (1 bp plus an eighth of
// its premium: positive on this still market). A spot market has none and is not asked.
void run_funding_history(const std::string& kind) {
  constexpr int64_t kInterval = 200;
  LoopThread venue, client;
  auto vc = venue_case(kind);
  if (kind == "okx") {  // the order entry case trades OKX spot; funding is the swap's
    vc.inst.symbol = "BTC-USDT-SWAP";
    vc.inst.kind = InstrumentKind::Linear;
  }
  connectors::VenueCredentials creds{kind + "-key", kind + "-secret", kind + "-pass"};
  sim::SimInstrument si;
  si.instrument = vc.inst;
  si.start_mid = 300'000;
  si.max_step_ticks = 0;
  si.book.level_step = vc.inst.tick * 5;
  si.book.half_spread = vc.inst.tick;
  si.book.base_qty = vc.u * 20;
  std::unique_ptr<sim::BinanceSim> binance;
  std::unique_ptr<sim::StreamSim> stream;
  uint16_t port = venue.call([&] {
    if (kind.rfind("binance", 0) == 0) {
      sim::BinanceSimOptions o;
      o.dialect =
          kind == "binance_spot" ? sim::BinanceDialect::Spot : sim::BinanceDialect::UsdmFutures;
      o.instruments = {si};
      o.funding_interval_ms = kInterval;
      binance = std::make_unique<sim::BinanceSim>(venue.io, o);
      binance->start();
      return binance->port();
    }
    sim::StreamSimOptions o;
    o.instruments = {si};
    o.credentials = creds;
    o.funding_interval_ms = kInterval;
    stream = std::make_unique<sim::StreamSim>(venue.io, sim::make_face(kind), o);
    stream->start();
    return stream->port();
  });
  int64_t from = std::chrono::duration_cast<std::chrono::milliseconds>(
                     std::chrono::system_clock::now().time_since_epoch())
                     .count();
  std::this_thread::sleep_for(900ms);  // four settlements, or five
  int64_t to = from + 900;
  struct Read {
    bool asked = false;
    std::optional<connectors::FundingHistoryPage> page;
    std::string why;
  };
  std::promise<Read> p;
  auto entry = client.call([&] {
    auto e = std::make_shared<connectors::RestOrderEntry>(client.io, protocol(kind, creds),
                                                          "127.0.0.1", port, wall_clock(), 1000ms);
    bool asked = e->fetch_funding_history(
        vc.inst, from, to,
        [&p](std::optional<connectors::FundingHistoryPage> page, std::string why) {
          p.set_value({true, std::move(page), std::move(why)});
        });
    if (!asked) p.set_value({});
    return e;
  });
  auto r = p.get_future().get();
  if (kind == "binance_spot") {
    CHECK_FALSE(r.asked);
  } else {
    REQUIRE(r.asked);
    REQUIRE_MESSAGE(r.page, r.why);
    const auto& s = r.page->settlements;
    CHECK(s.size() >= 3);
    CHECK(s.size() <= 5);
    for (size_t i = 0; i < s.size(); ++i) {
      CHECK(s[i].at_ms % kInterval == 0);
      CHECK(s[i].at_ms >= from);
      CHECK(s[i].at_ms <= to);
      if (i > 0) CHECK(s[i].at_ms == s[i - 1].at_ms + kInterval);  // none missing, none twice
      CHECK(s[i].rate.units > 0);
      CHECK(s[i].rate == sim::perp_marks(vc.inst, 300'000, s[i].at_ms).funding_rate);
    }
    CHECK_FALSE(r.page->full);
  }
  client.call([&] {
    entry.reset();
    return 0;
  });
  client.stop();
  venue.call([&] {
    if (binance) binance->stop();
    if (stream) stream->stop();
    return 0;
  });
  venue.stop();
}

TEST_CASE("funding history over the wire: every simulated venue's perpetual, and spot") {
  for (const char* kind : {"binance_usdm", "bybit", "okx", "bitmex", "binance_spot"}) {
    CAPTURE(kind);
    run_funding_history(kind);
  }
}
