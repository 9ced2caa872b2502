// The venue conformance suite: every venue's real connector against the simulator speaking
// that venue's protocol, over real loopback sockets. Each venue runs the same script on two
// instruments: snapshot to live; the book built from snapshot + deltas equals the venue's;
// a sequence gap, a dropped and a duplicated message, silence, a crossed book and a
// disconnect — each seen as a VenueStatus change within 1 s where the venue can see it, each
// healed by the connector alone, the other instrument untouched where the protocol allows,
// and no crossed book ever reported live.
#include <doctest/doctest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <map>
#include <mutex>
#include <thread>

#include "aqueduct/connectors/binance/market_data_session.hpp"
#include "aqueduct/connectors/bitmex/stream_protocol.hpp"
#include "aqueduct/connectors/bybit/stream_protocol.hpp"
#include "aqueduct/connectors/coinbase/stream_protocol.hpp"
#include "aqueduct/connectors/okx/stream_protocol.hpp"
#include "aqueduct/connectors/stream_replay.hpp"
#include "aqueduct/connectors/stream_session.hpp"
#include "aqueduct/connectors/verified_feed.hpp"
#include "aqueduct/sim/binance_sim.hpp"
#include "aqueduct/sim/faces.hpp"
#include "aqueduct/sim/stream_sim.hpp"
#include "aqueduct/testing/loop_thread.hpp"
#include "aqueduct/testing/temp_dir.hpp"
#include "aqueduct/testing/wait.hpp"

using namespace aq;
using namespace std::chrono_literals;
namespace msg = aqueduct::msg;
using testing::LoopThread;
using testing::wait_until;
using Steady = std::chrono::steady_clock;

namespace {

Instrument make(const std::string& venue, const std::string& symbol, InstrumentKind kind, int ps, int qs,
                int64_t tick, int64_t lot) {
  Instrument i;
  i.venue = venue;
  i.symbol = symbol;
  i.kind = kind;
  i.price_scale = ps;
  i.qty_scale = qs;
  i.tick = tick;
  i.lot = lot;
  i.min_qty = lot;
  return i;
}

sim::SimInstrument simmed(Instrument i, int64_t mid, int64_t step, int64_t qty) {
  sim::SimInstrument s;
  s.instrument = std::move(i);
  s.start_mid = mid;
  s.max_step_ticks = 4;
  s.book.level_step = step;
  s.book.half_spread = s.instrument.tick;
  s.book.base_qty = qty;
  return s;
}

// What the connector reported, per instrument, with the time of each state change; and a
// mirror book rebuilt only from what was reported (as the pricer does), which must chain.
struct Observer : connectors::BookListener, connectors::PerpListener, connectors::TopListener {
  std::map<std::string, connectors::PerpStats> perp;  // last stats seen, per symbol
  int perp_messages = 0;
  std::map<std::string, connectors::TopOfBook> tops;  // last best bid and offer, per symbol
  int top_messages = 0;
  bool top_insane = false;  // a crossed or one-sided top was reported
  void on_top_of_book(const Instrument& inst, const connectors::TopOfBook& t) override {
    std::lock_guard l(m);
    CHECK(t.local_ts_ns > 0);
    if (!t.sane()) top_insane = true;
    tops[inst.symbol] = t;
    ++top_messages;
  }
  std::optional<connectors::TopOfBook> top_of(const std::string& sym) {
    std::lock_guard l(m);
    auto it = tops.find(sym);
    if (it == tops.end()) return std::nullopt;
    return it->second;
  }
  void on_perp_stats(const Instrument& inst, const connectors::PerpStats& st) override {
    std::lock_guard l(m);
    auto& p = perp[inst.symbol];
    if (st.mark) p.mark = st.mark;
    if (st.index) p.index = st.index;
    if (st.funding_rate) p.funding_rate = st.funding_rate;
    if (st.next_funding_ts_ns) p.next_funding_ts_ns = st.next_funding_ts_ns;
    p.local_ts_ns = st.local_ts_ns;
    ++perp_messages;
  }
  connectors::PerpStats perp_of(const std::string& sym) {
    std::lock_guard l(m);
    return perp[sym];
  }

  struct Track {
    std::vector<std::pair<Steady::time_point, msg::BookState>> states;
    L2Book mirror;
    uint64_t seq = 0;
    bool chained = true;
    bool crossed_live = false;
    int snapshots = 0;
    int deltas = 0;
    msg::BookState state = msg::BOOK_STATE_UNSPECIFIED;
  };
  std::mutex m;
  std::map<std::string, Track> tracks;

  void on_book_snapshot(const Instrument& inst, const L2Book& book, uint64_t seq, int64_t, int64_t local_ns) override {
    std::lock_guard l(m);
    auto& t = tracks[inst.symbol];
    CHECK(local_ns > 0);
    t.mirror = book;
    t.seq = seq;
    t.chained = true;
    ++t.snapshots;
    if (t.state == msg::BOOK_LIVE && book.crossed()) t.crossed_live = true;
  }
  void on_book_delta(const Instrument& inst, const connectors::BookChange& c) override {
    std::lock_guard l(m);
    auto& t = tracks[inst.symbol];
    CHECK(c.local_ts_ns > 0);
    if (c.prev_seq != t.seq) t.chained = false;
    for (const auto& x : *c.bids) t.mirror.set(Side::Buy, x.price, x.qty);
    for (const auto& x : *c.asks) t.mirror.set(Side::Sell, x.price, x.qty);
    t.seq = c.seq;
    ++t.deltas;
    if (t.state == msg::BOOK_LIVE && t.mirror.crossed()) t.crossed_live = true;
  }
  void on_book_state(const Instrument& inst, msg::BookState s, const std::string&) override {
    std::lock_guard l(m);
    auto& t = tracks[inst.symbol];
    t.state = s;
    t.states.emplace_back(Steady::now(), s);
  }

  msg::BookState state(const std::string& sym) {
    std::lock_guard l(m);
    return tracks[sym].state;
  }
  // The first time `sym` entered `s` at or after `since`.
  std::optional<Steady::time_point> entered(const std::string& sym, msg::BookState s, Steady::time_point since) {
    std::lock_guard l(m);
    for (const auto& [when, st] : tracks[sym].states)
      if (when >= since && st == s) return when;
    return std::nullopt;
  }
  size_t changes_since(const std::string& sym, Steady::time_point since) {
    std::lock_guard l(m);
    size_t n = 0;
    for (const auto& [when, st] : tracks[sym].states) n += when >= since ? 1U : 0U;
    return n;
  }
  Track copy(const std::string& sym) {
    std::lock_guard l(m);
    return tracks[sym];
  }
};

// A venue under test: its simulator, its connector sessions, and its fault switches.
struct Venue {
  virtual ~Venue() = default;
  virtual void start(LoopThread& venue_loop, LoopThread& conn_loop, Observer& obs) = 0;
  virtual void stop(LoopThread& venue_loop, LoopThread& conn_loop) = 0;
  virtual std::vector<std::string> symbols() const = 0;
  virtual Instrument first_instrument() const = 0;
  virtual void gap(const std::string& s) = 0;
  virtual void drop(const std::string& s) = 0;
  virtual void duplicate(const std::string& s) = 0;
  virtual void cross(const std::string& s) = 0;
  virtual void silent(const std::string& s, bool on) = 0;
  virtual void frozen(const std::string& s, bool on) = 0;
  virtual void disconnect() = 0;
  virtual L2Book venue_book(LoopThread& venue_loop, const std::string& s) = 0;
  virtual L2Book connector_book(LoopThread& conn_loop, const std::string& s) = 0;
  // Whether a gap on one instrument leaves the others alone (false where the venue's sequence
  // is per connection), and whether a dropped message is detectable at once.
  virtual bool isolates_gaps() const { return true; }
  virtual bool drops_detectable() const { return true; }
};

// The simulator and its fault switches, the same for both simulator kinds.
template <typename Sim>
struct SimVenue : Venue {
  std::vector<sim::SimInstrument> insts;
  std::unique_ptr<Sim> sim;
  explicit SimVenue(std::vector<sim::SimInstrument> i) : insts(std::move(i)) {}
  std::vector<std::string> symbols() const override {
    std::vector<std::string> v;
    for (const auto& s : insts) v.push_back(s.instrument.symbol);
    return v;
  }
  Instrument first_instrument() const override { return insts.at(0).instrument; }
  void gap(const std::string& s) override { sim->inject_gap(s); }
  void drop(const std::string& s) override { sim->drop_next(s); }
  void duplicate(const std::string& s) override { sim->duplicate_next(s); }
  void cross(const std::string& s) override { sim->cross_next(s); }
  void silent(const std::string& s, bool on) override { sim->set_silent(s, on); }
  void frozen(const std::string& s, bool on) override { sim->set_frozen(s, on); }
  void disconnect() override { sim->disconnect_all(); }
};

struct StreamVenue : SimVenue<sim::StreamSim> {
  std::string kind;
  std::unique_ptr<connectors::StreamSession> session;
  std::string record_path;
  std::chrono::milliseconds max_age{0};

  StreamVenue(std::string k, std::vector<sim::SimInstrument> i) : SimVenue(std::move(i)), kind(std::move(k)) {}

  std::unique_ptr<connectors::StreamProtocol> protocol() {
    std::vector<Instrument> v;
    for (const auto& s : insts) v.push_back(s.instrument);
    if (kind == "okx") return std::make_unique<okx::StreamProtocol>(v);
    if (kind == "bybit") return std::make_unique<bybit::StreamProtocol>(v);
    if (kind == "bitmex") return std::make_unique<bitmex::StreamProtocol>(v);
    return std::make_unique<coinbase::StreamProtocol>(v);
  }
  void start(LoopThread& vl, LoopThread& cl, Observer& obs) override {
    sim::StreamSimOptions o;
    o.tick = 50ms;
    o.instruments = insts;
    vl.call([&] {
      sim = std::make_unique<sim::StreamSim>(vl.io, sim::make_face(kind), o);
      sim->start();
      return 0;
    });
    connectors::StreamSessionOptions so;
    so.port = sim->port();
    so.stale_after = 500ms;
    so.reconnect_min = 50ms;
    so.record_path = record_path;
    if (max_age.count() > 0) so.max_connection_age = max_age;
    cl.call([&] {
      session = std::make_unique<connectors::StreamSession>(cl.io, protocol(), so, obs, wall_clock(), &obs, &obs);
      session->start();
      return 0;
    });
  }
  void stop(LoopThread& vl, LoopThread& cl) override {
    cl.call([&] { session.reset(); return 0; });
    vl.call([&] { sim->stop(); sim.reset(); return 0; });
  }
  L2Book venue_book(LoopThread&, const std::string& s) override { return sim->published(s); }
  L2Book connector_book(LoopThread& cl, const std::string& s) override {
    return cl.call([&] {
      for (size_t i = 0; i < session->size(); ++i)
        if (session->instrument(i).symbol == s) return session->book(i);
      return L2Book{};
    });
  }
  bool isolates_gaps() const override { return kind != "coinbase"; }
  bool drops_detectable() const override { return kind != "bitmex"; }
};

struct BinanceVenue : SimVenue<sim::BinanceSim> {
  sim::BinanceDialect dialect;
  std::vector<std::unique_ptr<binance::MarketDataSession>> sessions;
  std::chrono::milliseconds max_age{0};

  BinanceVenue(sim::BinanceDialect d, std::vector<sim::SimInstrument> i) : SimVenue(std::move(i)), dialect(d) {}

  void start(LoopThread& vl, LoopThread& cl, Observer& obs) override {
    sim::BinanceSimOptions o;
    o.dialect = dialect;
    o.tick = 50ms;
    o.instruments = insts;
    vl.call([&] {
      sim = std::make_unique<sim::BinanceSim>(vl.io, o);
      sim->start();
      return 0;
    });
    cl.call([&] {
      for (const auto& si : insts) {
        binance::SessionOptions so;
        so.port = sim->port();
        so.stale_after = 500ms;
        so.reconnect_min = 50ms;
        if (max_age.count() > 0) so.max_connection_age = max_age;
        if (dialect == sim::BinanceDialect::UsdmFutures) {
          so.chain = binance::Chain::UsdmFutures;
          so.depth_path = "/fapi/v1/depth";
        }
        sessions.push_back(
            std::make_unique<binance::MarketDataSession>(cl.io, si.instrument, so, obs, wall_clock(), &obs, &obs));
        sessions.back()->start();
      }
      return 0;
    });
  }
  void stop(LoopThread& vl, LoopThread& cl) override {
    cl.call([&] { sessions.clear(); return 0; });
    vl.call([&] { sim->stop(); sim.reset(); return 0; });
  }
  L2Book venue_book(LoopThread& vl, const std::string& s) override {
    return vl.call([&] { return *sim->published(s); });
  }
  L2Book connector_book(LoopThread& cl, const std::string& s) override {
    return cl.call([&] {
      for (auto& x : sessions)
        if (x->instrument(0).symbol == s) return x->book(0);
      return L2Book{};
    });
  }
};

std::unique_ptr<Venue> venue(const std::string& kind) {
  using K = InstrumentKind;
  if (kind == "binance_spot" || kind == "binance_usdm") {
    bool spot = kind == "binance_spot";
    auto d = spot ? sim::BinanceDialect::Spot : sim::BinanceDialect::UsdmFutures;
    return std::make_unique<BinanceVenue>(
        d, std::vector<sim::SimInstrument>{
               simmed(make(kind, "BTCUSDT", spot ? K::Spot : K::Linear, 2, 5, 1, 1), 3'000'000, 50, 20'000),
               simmed(make(kind, "ETHUSDT", spot ? K::Spot : K::Linear, 2, 4, 1, 1), 200'000, 5, 30'000)});
  }
  if (kind == "okx")
    return std::make_unique<StreamVenue>(kind, std::vector<sim::SimInstrument>{
        simmed(make(kind, "BTC-USDT", K::Spot, 1, 8, 1, 1), 300'000, 5, 20'000'000),
        simmed(make(kind, "ETH-USDT", K::Spot, 2, 6, 1, 1), 200'000, 5, 3'000'000)});
  if (kind == "bybit")
    return std::make_unique<StreamVenue>(kind, std::vector<sim::SimInstrument>{
        simmed(make(kind, "BTCUSDT", K::Linear, 1, 3, 1, 1), 300'000, 5, 500),
        simmed(make(kind, "ETHUSDT", K::Linear, 2, 2, 1, 1), 200'000, 5, 300)});
  if (kind == "bitmex") {
    auto xbt = make(kind, "XBTUSD", K::Inverse, 1, 0, 5, 100);
    auto eth = make(kind, "ETHUSD", K::Quanto, 2, 0, 5, 1);
    return std::make_unique<StreamVenue>(kind, std::vector<sim::SimInstrument>{
        simmed(xbt, 300'000, 10, 150'000), simmed(eth, 200'000, 10, 500)});
  }
  return std::make_unique<StreamVenue>(kind, std::vector<sim::SimInstrument>{
      simmed(make(kind, "BTC-USD", K::Spot, 2, 8, 1, 1), 3'000'000, 50, 51'200'000),
      simmed(make(kind, "ETH-USD", K::Spot, 2, 8, 1, 1), 200'000, 5, 300'000'000)});
}

void run_conformance(const std::string& kind) {
  LoopThread vl, cl;
  Observer obs;
  auto v = venue(kind);
  v->start(vl, cl, obs);
  auto syms = v->symbols();
  const std::string a = syms[0], b = syms[1];
  auto live = [&](const std::string& s) { return obs.state(s) == msg::BOOK_LIVE; };
  auto both_live = [&] { return live(a) && live(b); };

  // Seen within `limit` of `t0`: the state change the fault must cause.
  auto seen_within = [&](const std::string& s, msg::BookState st, Steady::time_point t0, std::chrono::milliseconds limit) {
    bool ok = wait_until([&] { return obs.entered(s, st, t0).has_value(); }, limit + 500ms);
    if (!ok) return false;
    auto when = *obs.entered(s, st, t0);
    CHECK_MESSAGE(when - t0 < limit, kind, ": ", msg::BookState_Name(st), " after ",
                  std::chrono::duration_cast<std::chrono::milliseconds>(when - t0).count(), " ms");
    return true;
  };
  // The connector's book and the book rebuilt from its reports both equal the venue's.
  auto consistent = [&](const std::string& s) {
    v->frozen(s, true);
    std::this_thread::sleep_for(250ms);  // in-flight deltas land; a frozen market sends none
    REQUIRE_MESSAGE(live(s), kind, " ", s, " is not live");
    auto venue_book = v->venue_book(vl, s);
    auto conn_book = v->connector_book(cl, s);
    auto t = obs.copy(s);
    CHECK_MESSAGE(!venue_book.empty(), kind, " ", s);
    CHECK_MESSAGE(conn_book.bids() == venue_book.bids(), kind, " ", s, " bids differ");
    CHECK_MESSAGE(conn_book.asks() == venue_book.asks(), kind, " ", s, " asks differ");
    CHECK_MESSAGE(t.mirror.bids() == venue_book.bids(), kind, " ", s, " reported bids differ");
    CHECK_MESSAGE(t.mirror.asks() == venue_book.asks(), kind, " ", s, " reported asks differ");
    CHECK_MESSAGE(t.chained, kind, " ", s, " reported deltas do not chain");
    v->frozen(s, false);
  };

  REQUIRE_MESSAGE(wait_until(both_live, 5s), kind, ": books did not go live");
  CHECK_MESSAGE(wait_until([&] { return obs.copy(a).deltas > 0; }, 2s), kind, ": no deltas reported");
  consistent(a);

  // Sequence gap: resync of that book only, by itself.
  {
    auto t0 = Steady::now();
    v->gap(a);
    CHECK_MESSAGE(seen_within(a, msg::BOOK_RESYNCING, t0, 1000ms), kind, ": gap not seen");
    CHECK_MESSAGE(wait_until([&] { return live(a); }, 5s), kind, ": no resync after the gap");
    if (v->isolates_gaps()) CHECK_MESSAGE(obs.changes_since(b, t0) == 0, kind, ": the other book was disturbed by a gap");
  }
  // Dropped message.
  if (v->drops_detectable()) {
    auto t0 = Steady::now();
    v->drop(a);
    CHECK_MESSAGE(seen_within(a, msg::BOOK_RESYNCING, t0, 1000ms), kind, ": dropped message not seen");
    CHECK_MESSAGE(wait_until([&] { return live(a); }, 5s), kind, ": no resync after a drop");
  }
  // Duplicated message: ignored or resynced, never applied twice.
  {
    v->duplicate(a);
    std::this_thread::sleep_for(300ms);
    CHECK_MESSAGE(wait_until([&] { return live(a); }, 5s), kind, ": not live after a duplicate");
    consistent(a);
  }
  // Silence: stale within 1 s, the other book stays live, live again when updates resume.
  {
    auto t0 = Steady::now();
    v->silent(a, true);
    CHECK_MESSAGE(seen_within(a, msg::BOOK_STALE, t0, 1000ms), kind, ": silence not seen");
    CHECK(live(b));
    v->silent(a, false);
    CHECK_MESSAGE(wait_until([&] { return live(a); }, 5s), kind, ": not live after silence ended");
  }
  // Crossed book: never live, resynced.
  {
    auto t0 = Steady::now();
    v->cross(a);
    CHECK_MESSAGE(seen_within(a, msg::BOOK_RESYNCING, t0, 1000ms), kind, ": crossed book not caught");
    CHECK_MESSAGE(wait_until([&] { return live(a); }, 5s), kind, ": no resync after a crossed book");
  }
  // Disconnect: down, then reconnected and resubscribed.
  {
    auto t0 = Steady::now();
    v->disconnect();
    CHECK_MESSAGE(seen_within(a, msg::BOOK_DOWN, t0, 1000ms), kind, ": disconnect not seen");
    CHECK_MESSAGE(wait_until(both_live, 5s), kind, ": did not reconnect");
  }
  consistent(a);
  consistent(b);
  CHECK_MESSAGE(!obs.copy(a).crossed_live, kind, ": a crossed book was reported live");
  CHECK_MESSAGE(!obs.copy(b).crossed_live, kind, ": a crossed book was reported live");
  v->stop(vl, cl);
}

}  // namespace

TEST_CASE("conformance: binance_spot") { run_conformance("binance_spot"); }
TEST_CASE("conformance: binance_usdm") { run_conformance("binance_usdm"); }
TEST_CASE("conformance: okx") { run_conformance("okx"); }
TEST_CASE("conformance: bybit") { run_conformance("bybit"); }
TEST_CASE("conformance: bitmex") { run_conformance("bitmex"); }
TEST_CASE("conformance: coinbase") { run_conformance("coinbase"); }

TEST_CASE("record and replay: a recorded stream session replays to the live book, across a resync") {
  for (const std::string kind : {"okx", "bybit", "bitmex", "coinbase"}) {
    CAPTURE(kind);
    testing::TempDir tmp("aq-record-" + kind);
    auto path = tmp.path() / "stream.jsonl";
    LoopThread vl, cl;
    Observer obs;
    auto v = venue(kind);
    auto* sv = dynamic_cast<StreamVenue*>(v.get());
    REQUIRE(sv);
    sv->record_path = path.string();
    v->start(vl, cl, obs);
    auto a = v->symbols()[0];
    REQUIRE(wait_until([&] { return obs.state(a) == msg::BOOK_LIVE; }, 5s));
    std::this_thread::sleep_for(200ms);
    v->gap(a);  // the recording holds the resync too
    REQUIRE(wait_until([&] { return obs.entered(a, msg::BOOK_RESYNCING, Steady::now() - 5s).has_value(); }, 3s));
    REQUIRE(wait_until([&] { return obs.state(a) == msg::BOOK_LIVE; }, 5s));
    std::this_thread::sleep_for(200ms);
    v->frozen(a, true);
    std::this_thread::sleep_for(250ms);
    auto live_book = v->connector_book(cl, a);
    v->stop(vl, cl);

    std::ifstream in(path);
    auto protocol = sv->protocol();
    auto r = connectors::replay_stream(in, *protocol);
    CHECK(r.snapshots >= 2);
    CHECK(r.deltas > 0);
    CHECK(r.resubscribes >= 1);
    size_t i = 0;
    while (protocol->instrument(i).symbol != a) ++i;
    REQUIRE(protocol->live(i));
    CHECK(protocol->book(i).bids() == live_book.bids());
    CHECK(protocol->book(i).asks() == live_book.asks());
  }
}

TEST_CASE("connections are renewed before the venue's age limit; Binance's serverShutdown moves the stream") {
  for (const std::string kind : {"binance_spot", "okx"}) {
    CAPTURE(kind);
    LoopThread vl, cl;
    Observer obs;
    auto v = venue(kind);
    if (auto* bv = dynamic_cast<BinanceVenue*>(v.get())) bv->max_age = 1500ms;
    if (auto* sv = dynamic_cast<StreamVenue*>(v.get())) sv->max_age = 1500ms;
    v->start(vl, cl, obs);
    auto a = v->symbols()[0];
    REQUIRE(wait_until([&] { return obs.state(a) == msg::BOOK_LIVE; }, 5s));
    auto t0 = Steady::now();
    CHECK(wait_until([&] { return obs.entered(a, msg::BOOK_DOWN, t0).has_value(); }, 3s));
    CHECK(wait_until([&] { return obs.state(a) == msg::BOOK_LIVE; }, 5s));
    v->stop(vl, cl);
  }
  LoopThread vl, cl;
  Observer obs;
  auto v = venue("binance_spot");
  v->start(vl, cl, obs);
  auto* bv = dynamic_cast<BinanceVenue*>(v.get());
  REQUIRE(wait_until([&] { return obs.state("BTCUSDT") == msg::BOOK_LIVE; }, 5s));
  auto t0 = Steady::now();
  bv->sim->announce_shutdown();
  CHECK(wait_until([&] { return obs.entered("BTCUSDT", msg::BOOK_DOWN, t0).has_value(); }, 2s));
  CHECK(wait_until([&] { return obs.state("BTCUSDT") == msg::BOOK_LIVE; }, 5s));
  v->stop(vl, cl);
}

TEST_CASE("perpetuals: mark, index and funding arrive from Binance USD-M, OKX, Bybit and BitMEX, consistent with the book") {
  using K = InstrumentKind;
  auto make_venue = [](const std::string& kind) -> std::unique_ptr<Venue> {
    if (kind == "binance_usdm") return venue(kind);
    if (kind == "okx")
      return std::make_unique<StreamVenue>("okx", std::vector<sim::SimInstrument>{
          simmed(make("okx", "BTC-USDT-SWAP", K::Linear, 1, 2, 1, 1), 300'000, 5, 4'000)});
    if (kind == "bybit")
      return std::make_unique<StreamVenue>("bybit", std::vector<sim::SimInstrument>{
          simmed(make("bybit", "BTCUSDT", K::Linear, 1, 3, 1, 1), 300'000, 5, 500)});
    return std::make_unique<StreamVenue>("bitmex", std::vector<sim::SimInstrument>{
        simmed(make("bitmex", "XBTUSD", K::Inverse, 1, 0, 5, 100), 300'000, 10, 150'000)});
  };
  for (const std::string kind : {"binance_usdm", "okx", "bybit", "bitmex"}) {
    CAPTURE(kind);
    LoopThread vl, cl;
    Observer obs;
    auto v = make_venue(kind);
    v->start(vl, cl, obs);
    auto sym = v->symbols()[0];
    // OKX sends the index on its own channel for the underlying (index-tickers).
    bool has_index = true;
    REQUIRE(wait_until([&] { return obs.state(sym) == msg::BOOK_LIVE; }, 5s));
    REQUIRE(wait_until([&] {
      auto p = obs.perp_of(sym);
      return p.mark && p.funding_rate && (p.index || !has_index);
    }, 3s));
    // A second round a second later: the stream keeps coming.
    int before = obs.perp_messages;
    CHECK(wait_until([&] { return obs.perp_messages > before; }, 2500ms));
    auto p = obs.perp_of(sym);
    auto inst = v->first_instrument();
    auto book = v->connector_book(cl, sym);
    REQUIRE(book.best_bid());
    auto mark_units = p.mark->rescaled(inst.price_scale, Rounding::Exact).units;
    CHECK(mark_units >= book.best_bid()->price - 40 * inst.tick);
    CHECK(mark_units <= book.best_ask()->price + 40 * inst.tick);
    if (has_index) CHECK(compare(*p.index, *p.mark) <= 0);
    CHECK(p.funding_rate->units > 0);
    CHECK(p.next_funding_ts_ns > wall_now_ns());
    CHECK(p.next_funding_ts_ns % (8LL * 3600 * 1'000'000'000) == 0);
    v->stop(vl, cl);
  }
}

TEST_CASE("best bid and offer: Binance bookTicker, OKX bbo-tbt and Bybit orderbook.1 agree with the book") {
  for (const std::string kind : {"binance_spot", "binance_usdm", "okx", "bybit"}) {
    CAPTURE(kind);
    LoopThread vl, cl;
    Observer obs;
    auto v = venue(kind);
    v->start(vl, cl, obs);
    auto sym = v->symbols()[0];
    REQUIRE(wait_until([&] { return obs.state(sym) == msg::BOOK_LIVE; }, 5s));
    REQUIRE(wait_until([&] { return obs.top_of(sym).has_value(); }, 3s));
    // The venue's top keeps coming while the market moves.
    int before = obs.top_messages;
    CHECK(wait_until([&] { return obs.top_messages > before + 2; }, 3s));
    // A market that stops moving: the last top sent is the book's top, exactly.
    v->frozen(sym, true);
    std::this_thread::sleep_for(400ms);
    auto book = v->connector_book(cl, sym);
    auto top = obs.top_of(sym);
    REQUIRE(book.best_bid());
    REQUIRE(book.best_ask());
    REQUIRE(top);
    CHECK(top->bid.price == book.best_bid()->price);
    CHECK(top->bid.qty == book.best_bid()->qty);
    CHECK(top->ask.price == book.best_ask()->price);
    CHECK(top->ask.qty == book.best_ask()->qty);
    CHECK(top->venue_seq > 0);
    CHECK_FALSE(obs.top_insane);
    // The ticker is not the book: a silent depth stream still goes stale.
    v->frozen(sym, false);
    v->silent(sym, true);
    CHECK(wait_until([&] { return obs.state(sym) == msg::BOOK_STALE; }, 2s));
    v->stop(vl, cl);
  }
}

TEST_CASE("instrument metadata: each simulated venue's endpoint confirms matching instruments and refuses contradictions") {
  using K = InstrumentKind;
  struct Case {
    std::string kind;
    sim::SimInstrument venue_side;  // what the venue says
    Instrument configured;          // what we assume
    std::string says;               // the refusal, or "" when they agree
  };
  auto base = [](Instrument i, auto f) {
    f(i);
    return i;
  };
  auto xbt = make("bitmex", "XBTUSD", K::Inverse, 1, 0, 5, 100);
  xbt.multiplier = Decimal{-100'000'000, 0};
  auto btc_spot = make("binance_spot", "BTCUSDT", K::Spot, 2, 5, 1, 1);
  btc_spot.min_qty = 10;
  auto swap = make("okx", "BTC-USDT-SWAP", K::Linear, 1, 2, 1, 1);
  swap.multiplier = Decimal{1, 2};
  auto coin = make("coinbase", "BTC-USD", K::Spot, 2, 8, 1, 1);
  auto ylin = make("bybit", "BTCUSDT", K::Linear, 1, 3, 1, 1);
  auto fut = make("binance_usdm", "BTCUSDT", K::Linear, 1, 3, 1, 1);
  std::vector<Case> cases = {
      {"okx", simmed(swap, 300'000, 5, 4'000), swap, ""},
      {"okx", simmed(swap, 300'000, 5, 4'000), base(swap, [](Instrument& i) { i.tick = 5; }), "tick: configured 0.5, venue says 0.1"},
      {"bitmex", simmed(xbt, 300'000, 10, 150'000), xbt, ""},
      {"bitmex", simmed(xbt, 300'000, 10, 150'000), base(xbt, [](Instrument& i) { i.multiplier = Decimal{100, 0}; }),
       "multiplier: configured 100, venue says -100000000"},
      {"binance_spot", simmed(btc_spot, 3'000'000, 50, 20'000), btc_spot, ""},
      {"binance_spot", simmed(btc_spot, 3'000'000, 50, 20'000), base(btc_spot, [](Instrument& i) { i.min_qty = 1; }),
       "min_qty: configured 0.00001 is below the venue's 0.0001"},
      {"binance_usdm", simmed(fut, 300'000, 5, 500), fut, ""},
      {"bybit", simmed(ylin, 300'000, 5, 500), ylin, ""},
      {"bybit", simmed(ylin, 300'000, 5, 500), base(ylin, [](Instrument& i) { i.kind = InstrumentKind::Spot; }),
       "the venue does not list BTCUSDT"},  // category=spot asks another list
      {"coinbase", simmed(coin, 3'000'000, 50, 51'200'000), coin, ""},
      {"coinbase", simmed(coin, 3'000'000, 50, 51'200'000), base(coin, [](Instrument& i) { i.lot = 10; }),
       "lot: configured 0.0000001, venue says 0.00000001"},
  };
  for (const auto& c : cases) {
    CAPTURE(c.kind);
    CAPTURE(c.says);
    LoopThread vl, cl;
    Observer obs;
    std::unique_ptr<sim::StreamSim> ssim;
    std::unique_ptr<sim::BinanceSim> bsim;
    uint16_t port = vl.call([&] {
      if (c.kind.rfind("binance", 0) == 0) {
        sim::BinanceSimOptions o;
        o.dialect = c.kind == "binance_spot" ? sim::BinanceDialect::Spot : sim::BinanceDialect::UsdmFutures;
        o.instruments = {c.venue_side};
        bsim = std::make_unique<sim::BinanceSim>(vl.io, o);
        bsim->start();
        return bsim->port();
      }
      sim::StreamSimOptions o;
      o.instruments = {c.venue_side};
      ssim = std::make_unique<sim::StreamSim>(vl.io, sim::make_face(c.kind), o);
      ssim->start();
      return ssim->port();
    });
    std::unique_ptr<connectors::VerifiedFeed> feed;
    cl.call([&] {
      std::unique_ptr<connectors::BookFeed> inner;
      if (c.kind.rfind("binance", 0) == 0) {
        binance::SessionOptions so;
        so.port = port;
        if (c.kind == "binance_usdm") {
          so.chain = binance::Chain::UsdmFutures;
          so.depth_path = "/fapi/v1/depth";
        }
        inner = std::make_unique<binance::MarketDataSession>(cl.io, c.configured, so, obs);
      } else {
        connectors::StreamSessionOptions so;
        so.port = port;
        std::unique_ptr<connectors::StreamProtocol> p;
        if (c.kind == "okx") p = std::make_unique<okx::StreamProtocol>(std::vector<Instrument>{c.configured});
        else if (c.kind == "bybit") p = std::make_unique<bybit::StreamProtocol>(std::vector<Instrument>{c.configured});
        else if (c.kind == "bitmex") p = std::make_unique<bitmex::StreamProtocol>(std::vector<Instrument>{c.configured});
        else p = std::make_unique<coinbase::StreamProtocol>(std::vector<Instrument>{c.configured});
        inner = std::make_unique<connectors::StreamSession>(cl.io, std::move(p), so, obs);
      }
      feed = std::make_unique<connectors::VerifiedFeed>(cl.io, c.kind, "127.0.0.1", port, std::move(inner), obs);
      feed->start();
      return 0;
    });
    auto sym = c.configured.symbol;
    if (c.says.empty()) {
      CHECK(wait_until([&] { return obs.state(sym) == msg::BOOK_LIVE; }, 5s));
    } else {
      CHECK(wait_until([&] { return obs.state(sym) == msg::BOOK_DOWN; }, 3s));
      std::this_thread::sleep_for(300ms);
      CHECK(obs.state(sym) == msg::BOOK_DOWN);  // and it stays down: never live
      auto problems = cl.call([&] { return feed->problems(); });
      REQUIRE(problems.size() == 1);
      CHECK(problems[0].find(c.says) != std::string::npos);
    }
    cl.call([&] { feed.reset(); return 0; });
    vl.call([&] { if (ssim) ssim->stop(); if (bsim) bsim->stop(); ssim.reset(); bsim.reset(); return 0; });
  }
}
