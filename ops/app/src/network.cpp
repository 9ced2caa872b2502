#include "aqueduct/app/network.hpp"

#include <pthread.h>
#include <sched.h>

#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/post.hpp>
#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <future>
#include <spdlog/spdlog.h>
#include <sstream>

#include <boost/json.hpp>
#include "aqueduct/app/bus_key.hpp"
#include "aqueduct/app/cpu_isolation.hpp"
#include "aqueduct/app/feeds.hpp"
#include "aqueduct/connectors/connector_service.hpp"
#include "aqueduct/hedging/hedging_service.hpp"
#include "aqueduct/net/hmac.hpp"
#include "aqueduct/net/tls.hpp"
#include "aqueduct/pricer/pricer_service.hpp"
#include "aqueduct/record/database.hpp"
#include "aqueduct/record/listings_store.hpp"
#include "aqueduct/record/migrations.hpp"
#include "aqueduct/rfq/rfq_service.hpp"
#include "aqueduct/router/router_service.hpp"
#include "aqueduct/sim/binance_sim.hpp"
#include "aqueduct/sim/faces.hpp"

namespace aq::app {

const char* to_string(Component c) {
  switch (c) {
    case Component::Simulator: return "sim";
    case Component::Connectors: return "connectors";
    case Component::Pricer: return "pricer";
    case Component::Rfq: return "rfq";
    case Component::Hedging: return "hedging";
    case Component::Router: return "router";
  }
  return "?";
}

std::set<Component> parse_components(const std::string& list) {
  static const std::vector<Component> all = {Component::Simulator, Component::Connectors,
                                             Component::Pricer,    Component::Rfq,
                                             Component::Hedging,   Component::Router};
  if (list == "all") return {all.begin(), all.end()};
  std::set<Component> out;
  std::stringstream ss(list);
  std::string item;
  while (std::getline(ss, item, ',')) {
    bool found = false;
    for (auto c : all) {
      if (item == to_string(c)) {
        out.insert(c);
        found = true;
      }
    }
    if (!found)
      throw std::runtime_error("unknown component '" + item +
                               "'; choose from sim, connectors, pricer, rfq, hedging, router, or all");
  }
  return out;
}

namespace {
// Reads venue credentials from the environment variables the config names. With the
// simulator in this process and none set, fresh random credentials serve both sides.
connectors::VenueCredentials credentials_for(const VenueConfig& v) {
  auto env = [](const std::string& name) {
    const char* value = name.empty() ? nullptr : std::getenv(name.c_str());
    return value ? std::string(value) : std::string();
  };
  connectors::VenueCredentials c{env(v.api_key_env), env(v.api_secret_env), env(v.api_passphrase_env)};
  if (c.api_key.empty() || c.api_secret.empty()) return {};
  return c;
}

// hedging.busy_poll: the loop asks the kernel for ready events without waiting (epoll_wait with
// a zero timeout) and runs their handlers, over and over. A fill is handled as soon as it is
// readable, with no wake-up of a sleeping thread, and the kept CPU never idles: on this
// project's VM an idle CPU comes back with cold caches, and the bench's p99 fell from 312-336
// to 192-198 us (BENCHMARKS.md, seventh measurement).
void poll_until_stopped(boost::asio::io_context& io) {
  while (!io.stopped()) io.poll();
}
}  // namespace

Network::Network(AppConfig config, std::set<Component> components, zmq::context_t& zmq,
                 std::string database_url)
    : config_(std::move(config)),
      components_(std::move(components)),
      zmq_(zmq),
      database_url_(std::move(database_url)) {}

Network::~Network() { stop(); }

void Network::schedule_fault(boost::asio::io_context& io, const sim::ScriptedFault& f) {
  const auto* v = config_.venue(f.venue);
  auto play = [this, f, protocol = v ? v->protocol : std::string()](bool begin) {
    spdlog::warn("sim: scripted fault {} {} {} on {}{}", begin ? "starts:" : "ends:", sim::to_string(f.kind), f.symbol,
                 f.venue, f.kind == sim::ScriptedFault::Kind::Jump ? " (" + std::to_string(f.bps) + " bps)" : "");
    if (protocol == "binance_spot" && sim_) sim::apply_fault(*sim_, f, begin);
    else if (protocol == "binance_usdm" && usdm_sim_) sim::apply_fault(*usdm_sim_, f, begin);
    else if (auto it = stream_sims_.find(f.venue); it != stream_sims_.end()) sim::apply_fault(*it->second, f, begin);
  };
  auto at = [&io](int64_t ms, std::function<void()> fn) {
    auto timer = std::make_shared<boost::asio::steady_timer>(io, std::chrono::milliseconds(ms));
    timer->async_wait([timer, fn = std::move(fn)](boost::system::error_code ec) {
      if (!ec) fn();
    });
  };
  at(f.at_ms, [play] { play(true); });
  if (f.duration_ms > 0) at(f.at_ms + f.duration_ms, [play] { play(false); });
}

Component Network::loop_owner(Component c) const {
  // The router shares hedging's loop when both run here: the first order of a fill then
  // leaves without a thread hop (the router's desk is called directly).
  if (c == Component::Router && components_.count(Component::Hedging)) return Component::Hedging;
  return c;
}

boost::asio::io_context& Network::loop_for(Component c) {
  c = loop_owner(c);
  for (auto& l : loops_)
    if (l.component == c) return *l.io;
  loops_.push_back({c, std::make_unique<boost::asio::io_context>(1), {}});
  return *loops_.back().io;
}

void Network::start() {
  if (started_) return;
  auto has = [&](Component c) { return components_.count(c) > 0; };
  // Before anything starts: a CPU that cannot be kept is a configuration error, not a slower
  // network. Threads started from here on inherit "anywhere but that CPU".
  int hedging_cpu = has(Component::Hedging) ? config_.hedging_cpu : -1;
  if (hedging_cpu >= 0) keep_cpu_for_one_thread(hedging_cpu);
  prepare_ipc_dirs(config_);
  // One hedger per database (two would hedge every fill twice): a second is refused here,
  // naming the first, before anything of this process has started.
  std::unique_ptr<hedging::HedgeStore> hedge_store;
  if (has(Component::Hedging))
    hedge_store = std::make_unique<hedging::HedgeStore>(record::connect(database_url_));
  bus_security_ = secure_bus(zmq_, config_);
  started_ = true;
  bool needs_db = has(Component::Rfq) || has(Component::Hedging) || has(Component::Router) || has(Component::Pricer);
  if (needs_db) {
    auto conn = record::connect(database_url_);
    int n = record::migrate(*conn);
    spdlog::info("record: schema at version {} ({} applied now)", record::schema_version(*conn), n);
    std::vector<record::ListingRow> rows;
    for (const auto& l : config_.universe.listings) {
      boost::json::array hedges;
      for (const auto& h : l.hedge_instruments) hedges.emplace_back(h);
      boost::json::object cfg{
          {"price_scale", l.price_scale}, {"qty_scale", l.qty_scale},
          {"spread_ppm", l.spread_ppm},
          {"min_qty", Decimal{l.min_qty, l.qty_scale}.to_string()},
          {"max_qty", Decimal{l.max_qty, l.qty_scale}.to_string()},
          {"quote_ttl_ms", l.quote_ttl_ms},
          {"hedge_threshold", Decimal{l.hedge_threshold, l.qty_scale}.to_string()},
          {"hedge_slippage_ppm", l.hedge_slippage_ppm},
          {"hedge", hedges}};
      rows.push_back({l.name, l.base, l.quote, boost::json::serialize(cfg)});
    }
    int changed = record::record_listings(*conn, rows, "config");
    if (changed) spdlog::info("record: {} listing(s) new or changed in configuration", changed);
  }

  // Venue credentials: from the environment, or generated for an in-process simulator.
  std::map<std::string, connectors::VenueCredentials> creds;
  for (const auto& v : config_.venues) {
    creds[v.name] = credentials_for(v);
    if (creds[v.name].api_key.empty() && has(Component::Simulator)) {
      creds[v.name] = {net::random_hex(16), net::random_hex(32), net::random_hex(8)};
    }
  }

  if (has(Component::Simulator)) {
    // One reference path shared by every simulated venue: correlated assets, and each venue
    // following it with its own lag.
    std::shared_ptr<sim::ReferencePath> path;
    if (!config_.sim_assets.empty())
      path = std::make_shared<sim::ReferencePath>(config_.sim_seed, config_.sim_assets, config_.sim_correlation,
                                                  config_.sim_path_step_ms, wall_now_ns() / 1'000'000);
    auto link_for = [&](const std::string& venue) {
      const auto* v = config_.venue(venue);
      return sim::PathLink{path, v ? v->sim_lag_ms : 0};
    };
    // A simulated venue's derivatives account, when the venue's config gives it collateral:
    // in its perps' settle coin, valued by the same contract math hedging uses.
    auto account_for = [&](const std::string& venue) -> std::optional<sim::SimMarginTerms> {
      const auto* v = config_.venue(venue);
      if (!v || v->sim_collateral.empty()) return std::nullopt;
      sim::SimMarginTerms t;
      for (const auto& si : config_.sim_instruments)
        if (si.instrument.venue == venue && si.instrument.kind != InstrumentKind::Spot)
          t.coin = hedging::canonical_asset(si.instrument.settle.empty() ? si.instrument.quote
                                                                         : si.instrument.settle);
      if (t.coin.empty()) return std::nullopt;
      t.collateral =
          Decimal::parse_or_throw(v->sim_collateral, connectors::kAccountScale, "sim_collateral");
      t.value = [](const Instrument& inst, int64_t qty, int64_t price) {
        return hedging::settle_value(inst, qty, price);
      };
      return t;
    };
    // One simulator per Binance API face, each on its own port, both on the simulator's loop.
    auto make_sim = [&](const std::string& venue, sim::BinanceDialect dialect, uint16_t port)
        -> std::unique_ptr<sim::BinanceSim> {
      sim::BinanceSimOptions o;
      o.dialect = dialect;
      o.address = config_.sim_listen;
      o.port = port;
      o.seed = config_.sim_seed + (dialect == sim::BinanceDialect::Spot ? 0 : 1000);
      o.tick = config_.sim_tick;
      o.funding_interval_ms = config_.sim_funding_interval_ms;
      o.path = link_for(venue);
      if (dialect == sim::BinanceDialect::UsdmFutures) o.account = account_for(venue);
      for (const auto& si : config_.sim_instruments)
        if (si.instrument.venue == venue) o.instruments.push_back(si);
      if (o.instruments.empty()) return nullptr;
      if (auto it = creds.find(venue); it != creds.end()) {
        o.api_key = it->second.api_key;
        o.api_secret = it->second.api_secret;
      }
      if (o.api_key.empty()) {
        o.api_key = net::random_hex(16);
        o.api_secret = net::random_hex(32);
        spdlog::warn("sim: no {} credentials in the environment; its order entry will refuse orders", venue);
      }
      auto s = std::make_unique<sim::BinanceSim>(loop_for(Component::Simulator), o);
      for (auto& v : config_.venues)
        if (v.name == venue && v.port == 0) v.port = s->port();
      s->start();
      return s;
    };
    for (const auto& v : config_.venues) {
      if (v.protocol == "binance_spot" && !sim_) sim_ = make_sim(v.name, sim::BinanceDialect::Spot, config_.sim_port);
      else if (v.protocol == "binance_usdm" && !usdm_sim_)
        usdm_sim_ = make_sim(v.name, sim::BinanceDialect::UsdmFutures, 0);
    }
    // Subscription-stream venues: one simulator each, speaking the venue's own protocol.
    uint64_t seed_offset = 2000;
    for (auto& v : config_.venues) {
      if (v.protocol.rfind("binance", 0) == 0) continue;
      sim::StreamSimOptions o;
      o.address = config_.sim_listen;
      o.seed = config_.sim_seed + seed_offset;
      seed_offset += 1000;
      o.tick = config_.sim_tick;
      o.funding_interval_ms = config_.sim_funding_interval_ms;
      o.path = link_for(v.name);
      o.credentials = creds[v.name];
      o.account = account_for(v.name);
      for (const auto& si : config_.sim_instruments)
        if (si.instrument.venue == v.name) o.instruments.push_back(si);
      if (o.instruments.empty()) continue;
      auto s = std::make_unique<sim::StreamSim>(loop_for(Component::Simulator), sim::make_face(v.protocol), o);
      s->start();
      if (v.port == 0) v.port = s->port();
      stream_sims_[v.name] = std::move(s);
    }
    // The loop must exist even when no instrument is simulated.
    auto& sim_loop = loop_for(Component::Simulator);
    for (const auto& f : config_.sim_faults) schedule_fault(sim_loop, f);
  }
  for (const auto& v : config_.venues) {
    if (v.port == 0 && (has(Component::Connectors) || has(Component::Router)))
      throw std::runtime_error("venues." + v.name +
                               ".port is 0 but no simulator runs in this process; set the venue's port");
  }

  if (has(Component::Connectors)) {
    connectors_ = std::make_unique<connectors::ConnectorService>(
        loop_for(Component::Connectors), zmq_, config_.endpoints.connectors_pub, connectors::ConnectorOptions{});
    for (const auto& v : config_.venues)
      for (auto& feed : make_feeds(loop_for(Component::Connectors), v, config_.universe, connectors_->listener(),
                                    &connectors_->perp_listener(), &connectors_->top_listener()))
        connectors_->add(std::move(feed));
    connectors_->start();
  }
  if (has(Component::Pricer)) {
    pricer_ = std::make_unique<pricer::PricerService>(loop_for(Component::Pricer), zmq_,
                                                      config_.endpoints, config_.universe, config_.pricer);
    markouts_ = std::make_unique<pricer::MarkoutRecorder>(database_url_);
    pricer_->record_markouts(markouts_.get());
    pricer_->start();
  }
  if (has(Component::Rfq)) {
    rfq::RfqOptions o;
    o.http.address = config_.rfq_listen;
    o.http.port = config_.rfq_port;
    o.desk.pricer_timeout = config_.pricer_timeout;
    o.desk.indicative_cache = config_.indicative_cache;
    o.desk.database_url = database_url_;
    o.desk.default_rate_limit_per_s = static_cast<int>(config_.rfq_rate_limit_per_s);
    o.native = config_.native;
    o.http.read_timeout = config_.rfq_read_timeout;
    o.takers = config_.takers;
    o.takers.zeroex.http.read_timeout = config_.rfq_read_timeout;
    rfq_ = std::make_unique<rfq::RfqService>(
        loop_for(Component::Rfq), zmq_, config_.endpoints, config_.universe,
        std::make_unique<rfq::RfqStore>(record::connect(database_url_)), o);
    rfq_->start();
  }
  if (has(Component::Router)) {
    std::map<std::string, router::VenueAccess> venues;
    for (const auto& v : config_.venues) {
      auto protocol = make_order_protocol(v.protocol, creds[v.name]);
      if (!protocol) {
        spdlog::info("router: {} ({}) is market data only; hedges are not routed there", v.name, v.protocol);
        continue;
      }
      if (creds[v.name].api_key.empty())
        spdlog::warn("router: no credentials for {} (set {} and {}); its orders will be refused",
                     v.name, v.api_key_env, v.api_secret_env);
      auto& access = venues[v.name];
      access.host = v.host;
      access.port = v.port;
      access.protocol = std::move(protocol);
      access.limiter = std::make_shared<connectors::RateLimiter>(connectors::RateLimiter::for_protocol(v.protocol));
      access.tls = net::make_client_tls({v.tls, v.tls_ca_file, ""});
    }
    router_ = std::make_unique<router::RouterService>(
        loop_for(Component::Router), zmq_, config_.endpoints, config_.universe,
        std::make_unique<router::RouterStore>(record::connect(database_url_)), std::move(venues),
        wall_clock(), config_.router_account_interval);
    router_->start();
    if (has(Component::Hedging))
      spdlog::info("router: on hedging's loop; hedge orders reach it by a call, not over the bus");
  }
  if (has(Component::Hedging)) {
    hedging::HedgingOptions o = config_.hedging;
    // Test hook for the recovery tests: AQ_HEDGING_CRASH_AT=<point>:<n> exits the process at
    // the n-th pass of that crash point. Never set in production.
    if (const char* c = std::getenv("AQ_HEDGING_CRASH_AT"); c && *c) {
      std::string spec(c);
      auto colon = spec.find(':');
      o.crash_at = spec.substr(0, colon);
      o.crash_after = colon == std::string::npos ? 1 : std::max(1, std::atoi(spec.c_str() + colon + 1));
      spdlog::warn("hedging: test crash point armed: {} (pass {})", o.crash_at, o.crash_after);
    }
    hedging_ = std::make_unique<hedging::HedgingService>(loop_for(Component::Hedging), zmq_,
                                                         config_.endpoints, config_.universe,
                                                         std::move(hedge_store), o);
    if (router_)
      hedging_->route_locally([r = router_.get()](const aqueduct::msg::HedgeOrder& order,
                                                  std::function<void(bus::Envelope&)> done) {
        r->submit_local(order, std::move(done));
      }, [r = router_.get()] { r->warm_local(); });
    if (router_)
      hedging_->funding_history_locally(
          [r = router_.get()](const aqueduct::msg::FundingHistoryRequest& req,
                              std::function<void(bus::Envelope&)> done) {
            r->funding_history_local(req, std::move(done));
          });
    hedging_->start();
  }
  for (auto& l : loops_) {
    auto* io = l.io.get();
    bool venue_stand_in = l.component == Component::Simulator;
    int pin = l.component == Component::Hedging ? hedging_cpu : -1;
    bool busy_poll = pin >= 0 && config_.hedging_busy_poll;
    l.thread = std::thread([io, venue_stand_in, pin, busy_poll,
                            name = std::string(to_string(l.component))] {
      bool spin = busy_poll;
      // Named for top -H, perf and gdb: "aq-rfq", "aq-pricer", ...
      pthread_setname_np(pthread_self(), ("aq-" + name).substr(0, 15).c_str());
      if (pin >= 0) {
        if (auto why = pin_calling_thread(pin); !why.empty()) {
          // Never spin on a CPU shared with the rest of the network: it would starve it.
          spin = false;
          spdlog::error(
              "hedging: could not pin the hedging loop to CPU {} ({}); it runs unpinned{}", pin,
              why, busy_poll ? " and sleeps between events (busy_poll ignored)" : "");
        } else {
          spdlog::info(
              "hedging: the hedging loop has CPU {} to itself{}; the process's other threads run "
              "on the rest",
              pin, spin ? " and polls it without sleeping" : "");
        }
      }
      // The simulator stands in for venues that run on other machines: woken by our order,
      // it must not take the CPU from the thread that is still writing it. As SCHED_BATCH
      // its wake-ups never preempt (the bench saw 25 of 150 hedge-order writes preempted by
      // it, each 200 us longer). Needs no privilege; if refused, it runs as before.
      if (venue_stand_in) {
        sched_param none{};
        if (::sched_setscheduler(0, SCHED_BATCH, &none) != 0)
          spdlog::warn("sim: could not run as SCHED_BATCH ({}); its wake-ups may preempt the network",
                       std::strerror(errno));
      }
      auto guard = boost::asio::make_work_guard(*io);
      try {
        if (spin)
          poll_until_stopped(*io);
        else
          io->run();
      } catch (const std::exception& e) {
        spdlog::critical("{}: event loop stopped by an exception: {}", name, e.what());
      }
    });
  }
}

void Network::run_on(Component c, const std::function<void()>& f) {
  c = loop_owner(c);
  for (auto& l : loops_) {
    if (l.component != c) continue;
    std::promise<void> done;
    boost::asio::post(*l.io, [&] {
      f();
      done.set_value();
    });
    done.get_future().wait();
    return;
  }
  throw std::runtime_error(std::string("component ") + to_string(c) + " is not running here");
}

void Network::stop() {
  if (!started_ || stopped_) return;
  stopped_ = true;
  // Stop in reverse order of the flow, each on its own loop.
  auto stop_on = [&](Component c, const std::function<void()>& f) {
    for (auto& l : loops_)
      if (l.component == c && l.thread.joinable()) boost::asio::post(*l.io, f);
  };
  if (rfq_) stop_on(Component::Rfq, [this] { rfq_->stop(); });
  if (hedging_) stop_on(Component::Hedging, [this] { hedging_->stop(); });
  if (connectors_) stop_on(Component::Connectors, [this] { connectors_->stop(); });
  if (sim_) stop_on(Component::Simulator, [this] { sim_->stop(); });
  if (usdm_sim_) stop_on(Component::Simulator, [this] { usdm_sim_->stop(); });
  for (auto& [_, s] : stream_sims_) stop_on(Component::Simulator, [sim = s.get()] { sim->stop(); });
  for (auto& l : loops_) {
    auto* io = l.io.get();
    boost::asio::post(*io, [io] { io->stop(); });
  }
  for (auto& l : loops_)
    if (l.thread.joinable()) l.thread.join();
  router_.reset();
  hedging_.reset();
  rfq_.reset();
  pricer_.reset();
  markouts_.reset();
  connectors_.reset();
  sim_.reset();
  usdm_sim_.reset();
  stream_sims_.clear();
  loops_.clear();
  bus_security_.reset();  // every bus socket of this network is closed by now
}

uint16_t Network::rfq_port() const { return rfq_ ? rfq_->port() : 0; }
uint16_t Network::sim_port() const { return sim_ ? sim_->port() : 0; }
uint16_t Network::usdm_sim_port() const { return usdm_sim_ ? usdm_sim_->port() : 0; }

}  // namespace aq::app
