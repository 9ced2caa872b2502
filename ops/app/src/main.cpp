// aqueduct — the RFQ liquidity network.
//
//   aqueduct run [--config F] [--components LIST] [--demo] [--rfq-port N] [--sim-port N]
//   aqueduct sim [--config F] [--sim-port N]         the venue simulator alone
//   aqueduct migrate                                  apply database migrations
//   aqueduct report pnl [--from DAY] [--to DAY]       daily expected-vs-realized PnL
//   aqueduct client-add|client-set|client-rekey|client-list   native clients (see usage)
//   aqueduct replay-binance FILE --symbol SYM [--config F] [--realtime]
//   aqueduct replay FILE --venue NAME [--symbols A,B] [--config F] [--realtime]
//
// The database is AQUEDUCT_DATABASE_URL. Venue credentials come from the environment
// variables the config names (never from the config file).
#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/signal_set.hpp>
#include <cstdio>
#include <ctime>
#include <fstream>
#include <optional>
#include <iostream>
#include <map>
#include <spdlog/spdlog.h>
#include <thread>

#include "aqueduct/app/bus_key.hpp"
#include "aqueduct/app/demo_taker.hpp"
#include "aqueduct/app/feeds.hpp"
#include "aqueduct/app/network.hpp"
#include "aqueduct/app/protocol_demo.hpp"
#include "aqueduct/rfq/rfq_service.hpp"
#include "aqueduct/connectors/binance/replay.hpp"
#include "aqueduct/connectors/stream_replay.hpp"
#include "aqueduct/hedging/pnl_report_store.hpp"
#include "aqueduct/net/hmac.hpp"
#include "aqueduct/record/database.hpp"
#include "aqueduct/record/migrations.hpp"
#include "aqueduct/rfq/native_auth.hpp"
#include "aqueduct/rfq/rfq_store.hpp"
#include "aqueduct/sim/binance_sim.hpp"

namespace {

using namespace aq;

constexpr const char* kUsage = R"(usage:
  aqueduct run [--config FILE] [--components LIST] [--demo] [--rfq-port N] [--sim-port N]
      LIST: comma-separated of sim, connectors, pricer, rfq, hedging, router (default: all)
  aqueduct sim [--config FILE] [--sim-port N]
  aqueduct migrate
  aqueduct bus-key
      prints a fresh CURVE key pair for the bus: put the secret in the environment variable
      bus.curve_secret_env names, in every process of the deployment (needed for tcp://)
  aqueduct pricer kill|release|rearm [--listing NAME] [--actor NAME] [--config FILE]
      kill: every listing stops quoting; release: undo it; rearm: resume a listing whose circuit
      breaker tripped. Reaches the pricer over its bus socket (ipc:// or tcp:// transports).
  aqueduct hedging status|rearm [--scope SCOPE] [--actor NAME] [--config FILE]
      status: hedging's risk state, every tripped scope with its reason; rearm: return a tripped
      scope ("asset BTC", "venue bitmex", "listing BTC-USDT", "portfolio") to ACTIVE, refused
      while its limit is still breached. Audited. Over hedging's bus socket, as for the pricer.
  aqueduct report pnl [--from YYYY-MM-DD] [--to YYYY-MM-DD] [--decimals N]
      per UTC day and listing: what the quotes' breakdown expected for the fills (spread vs
      its fair value, hedge cost, fees) against what hedging realized for the same fills
      (fill_pnl), and the variance. Fills whose hedges are not final yet are counted only.
      Default: today (UTC). Read from the record; the network need not run.
  aqueduct client-add --id ID --name NAME [LIMITS]
      a native client; prints its key id and secret once (requests are signed with them)
  aqueduct client-set --id ID [LIMITS] [--name NAME] [--active true|false]
      takes effect in running gateways within 2 s
  aqueduct client-rekey --id ID     a new key id and secret; the old key stops working
  aqueduct client-list
      LIMITS: [--tier TIER] [--zero-fee true|false] [--max-quote-notional N|none]
              [--max-open-notional N|none] [--rate-limit PER_S|default]   (notionals in USD)
  aqueduct replay-binance FILE --symbol SYMBOL [--config FILE] [--realtime]
  aqueduct replay FILE --venue NAME [--symbols A,B] [--config FILE] [--realtime]
      FILE: the REST depth snapshot JSON on the first line, then one depthUpdate JSON per line
      (each line may start with a receive time in ns and a tab, as recordings do)
environment:
  AQUEDUCT_DATABASE_URL   PostgreSQL connection URL (required by run, migrate, report, client-*)
  AQ_CLIENT_KEY_MASTER    the client-key master secret (else rfq.client_key_master_file,
                          created with mode 0600 on first use)
)";

struct Args {
  std::string command;
  std::map<std::string, std::string> opts;
  bool flag(const std::string& k) const { return opts.count(k) > 0; }
  std::string get(const std::string& k, const std::string& def = "") const {
    auto it = opts.find(k);
    return it == opts.end() ? def : it->second;
  }
};

Args parse_args(int argc, char** argv) {
  if (argc < 2) throw std::invalid_argument("no command given");
  Args a;
  a.command = argv[1];
  static const std::set<std::string> flags = {"--demo", "--realtime"};
  static const std::set<std::string> valued = {
      "--config",     "--components",         "--rfq-port",          "--sim-port",
      "--id",         "--name",               "--tier",              "--demo-interval-ms",
      "--symbol",     "--listing",            "--actor",             "--zero-fee",
      "--active",     "--max-quote-notional", "--max-open-notional", "--rate-limit",
      "--scope",      "--from",               "--to",                "--decimals"};
  for (int i = 2; i < argc; ++i) {
    std::string k = argv[i];
    if (k.rfind("--", 0) != 0 && !a.opts.count("")) {
      a.opts[""] = k;  // one positional argument (a file)
    } else if (flags.count(k)) {
      a.opts[k] = "1";
    } else if (valued.count(k)) {
      if (i + 1 >= argc) throw std::invalid_argument(k + " needs a value");
      a.opts[k] = argv[++i];
    } else {
      throw std::invalid_argument("unknown option '" + k + "'");
    }
  }
  return a;
}

uint16_t port_arg(const Args& a, const std::string& k) {
  int p = std::stoi(a.get(k));
  if (p < 0 || p > 65535) throw std::invalid_argument(k + " must be 0..65535");
  return static_cast<uint16_t>(p);
}

app::AppConfig config_from(const Args& a) {
  auto cfg = app::load_config(a.get("--config", "ops/config/aqueduct.json"));
  if (a.flag("--rfq-port")) cfg.rfq_port = port_arg(a, "--rfq-port");
  if (a.flag("--sim-port")) cfg.sim_port = port_arg(a, "--sim-port");
  return cfg;
}

// SIGINT and SIGTERM, caught from construction on: one that comes while the network starts
// is kept, and the shutdown is as clean as any (before, a signal between the banner and the
// wait killed the process outright).
struct StopSignals {
  boost::asio::io_context io;
  boost::asio::signal_set signals{io, SIGINT, SIGTERM};
  void wait() {
    signals.async_wait([](auto, int sig) {
      spdlog::info("received {}; shutting down", sig == SIGINT ? "SIGINT" : "SIGTERM");
    });
    io.run();
  }
};

int cmd_run(const Args& a, std::set<app::Component> components) {
  StopSignals stop_signals;
  auto cfg = config_from(a);
  std::string db_url;
  bool needs_db = components.count(app::Component::Rfq) || components.count(app::Component::Hedging) ||
                  components.count(app::Component::Router) || components.count(app::Component::Pricer);
  if (needs_db) db_url = record::database_url_from_env();
  rfq::NativeCredentials demo_key;
  if (a.flag("--demo")) {
    if (!components.count(app::Component::Rfq))
      throw std::invalid_argument("--demo needs the rfq component in this process");
    auto conn = record::connect(db_url);
    record::migrate(*conn);
    rfq::RfqStore store(std::move(conn));
    auto keys = rfq::ClientKeys::load(cfg.native.key_master_env, cfg.native.key_master_file, true);
    demo_key.key_id = rfq::ClientKeys::new_key_id();
    store.create_client("demo-" + net::random_hex(4), "built-in demo taker", demo_key.key_id);
    demo_key.secret = keys.secret(demo_key.key_id);
  }
  std::unique_ptr<app::ProtocolDemo> protocol_demo;
  if (a.flag("--demo")) protocol_demo = std::make_unique<app::ProtocolDemo>(cfg);  // before the network: it sets takers up
  zmq::context_t zmq(1);
  app::Network network(cfg, components, zmq, db_url);
  network.start();

  const auto& c = network.config();
  std::printf("Aqueduct is running:\n");
  if (network.sim_port())
    std::printf("  venue simulator (binance)  http://%s:%u  ws://%s:%u/ws/<symbol>@depth@100ms\n",
                c.sim_listen.c_str(), network.sim_port(), c.sim_listen.c_str(), network.sim_port());
  if (network.usdm_sim_port())
    std::printf("  venue simulator (binance USD-M) http://%s:%u/fapi/v1/depth  ws://%s:%u/ws/<symbol>@depth@100ms\n",
                c.sim_listen.c_str(), network.usdm_sim_port(), c.sim_listen.c_str(), network.usdm_sim_port());
  for (const auto& [venue, sim] : network.stream_simulators())
    std::printf("  venue simulator (%s, %s protocol)  ws://%s:%u\n", venue.c_str(), sim->venue_kind(),
                sim->address().c_str(), sim->port());
  if (network.rfq_port())
    std::printf("  rfq (takers' API)          http://%s:%u/v1/{price,levels,quote,accept}  ws://…/v1/ws  /health\n",
                c.rfq_listen.c_str(), network.rfq_port());
  if (auto* rfq = network.rfq()) {
    if (!rfq->onchain_off().empty())
      std::printf("  on-chain protocols         off: %s\n", rfq->onchain_off().c_str());
    if (rfq->zeroex_port())
      std::printf("  0x RFQ maker API           http://%s:%u/{price,quote,submit}\n",
                  c.takers.zeroex.http.address.c_str(), rfq->zeroex_port());
    for (const auto& ch : c.takers.chains)
      if (const auto* w = rfq->watcher(ch.chain_id))
        std::printf("  chain %-20s watched: id %llu, confirmed at %llu blocks%s\n", ch.name.c_str(),
                    static_cast<unsigned long long>(ch.chain_id),
                    static_cast<unsigned long long>(w->options().confirmations),
                    rfq->wallet() && rfq->wallet()->chain().chain_id == ch.chain_id
                        ? "; the maker's wallet is read from it"
                        : "");
  }
  std::printf("  bus                        %s %s %s %s %s %s\n", c.endpoints.connectors_pub.c_str(),
              c.endpoints.pricer_rpc.c_str(), c.endpoints.rfq_pub.c_str(),
              c.endpoints.hedging_pub.c_str(), c.endpoints.router_rpc.c_str(),
              c.endpoints.router_pub.c_str());
  if (needs_db) std::printf("  database                   %s\n", record::redact(db_url).c_str());
  std::printf("Ctrl-C stops everything.\n");
  std::fflush(stdout);

  std::unique_ptr<app::DemoTaker> demo;
  boost::asio::io_context demo_io;
  std::thread demo_thread;
  if (a.flag("--demo")) {
    auto interval = std::chrono::milliseconds(std::stoi(a.get("--demo-interval-ms", "1000")));
    demo = std::make_unique<app::DemoTaker>(demo_io, zmq, network.config(), network.rfq_port(),
                                            demo_key, interval, [](const std::string& line) {
                                              std::printf("%s\n", line.c_str());
                                              std::fflush(stdout);
                                            });
    demo->start();
    demo_thread = std::thread([&] {
      auto guard = boost::asio::make_work_guard(demo_io);
      demo_io.run();
    });
    protocol_demo->start(
        network, interval,
        [](const std::string& line) {
          std::printf("%s\n", line.c_str());
          std::fflush(stdout);
        },
        db_url);
  }
  stop_signals.wait();
  if (protocol_demo) protocol_demo->stop();
  if (demo) {
    boost::asio::post(demo_io, [&] {
      demo->stop();
      demo_io.stop();
    });
    demo_thread.join();
    demo.reset();
  }
  network.stop();
  std::printf("Aqueduct stopped.\n");
  return 0;
}

// An operator's request to a component over its bus socket (`ep`, ipc:// or tcp://): sends
// `req` and returns the reply, within 3 s. `who` names the component in errors.
bus::Envelope operator_call(const app::AppConfig& cfg, const std::string& ep,
                            const std::string& who, bus::Envelope& req) {
  if (ep.rfind("inproc://", 0) == 0)
    throw std::invalid_argument(who + "'s socket " + ep + " lives inside the running process; run the network with "
                                "\"bus\": {\"transport\": \"ipc\"} (or custom tcp endpoints) to control it from here");
  zmq::context_t zmq;
  auto security = app::secure_bus(zmq, cfg);  // the deployment's bus key, if it has one
  boost::asio::io_context io;
  std::optional<bus::Envelope> reply;
  bus::RpcClient rpc(io, zmq, ep, "operator", [&](const bus::Envelope& e) {
    reply = e;
    io.stop();
  });
  rpc.start();
  if (!rpc.send(req)) throw std::runtime_error("cannot reach " + who + " at " + ep);
  io.run_for(std::chrono::seconds(3));
  if (!reply) throw std::runtime_error(who + " at " + ep + " did not answer within 3 s (is it running?)");
  return *reply;
}

std::string operator_name(const Args& a) {
  return a.get("--actor", std::getenv("USER") ? std::getenv("USER") : "operator");
}

// Operator control of the pricer: kill switch and circuit-breaker re-arm.
int cmd_pricer(const Args& a) {
  std::string action = a.get("");
  if (action != "kill" && action != "release" && action != "rearm")
    throw std::invalid_argument("pricer needs an action: kill, release or rearm --listing NAME");
  auto cfg = app::load_config(a.get("--config", "ops/config/aqueduct.json"));
  bus::Envelope req;
  auto* c = req.mutable_pricer_control();
  c->set_actor(operator_name(a));
  if (action == "kill") c->set_kill(true);
  if (action == "release") c->set_release(true);
  if (action == "rearm") {
    if (!a.flag("--listing")) throw std::invalid_argument("rearm needs --listing NAME");
    if (!cfg.universe.listing(a.get("--listing")))
      throw std::invalid_argument("listing " + a.get("--listing") + " is not in the config");
    c->set_rearm(a.get("--listing"));
  }
  auto reply = operator_call(cfg, cfg.endpoints.pricer_rpc, "the pricer", req);
  if (!reply.has_pricer_control_reply()) throw std::runtime_error("the pricer answered with something else");
  std::printf("%s\n", reply.pricer_control_reply().detail().c_str());
  return reply.pricer_control_reply().ok() ? 0 : 1;
}

// Operator control of hedging's risk governor: status and re-arm.
int cmd_hedging(const Args& a) {
  std::string action = a.get("");
  if (action != "status" && action != "rearm")
    throw std::invalid_argument("hedging needs an action: status, or rearm --scope SCOPE");
  auto cfg = app::load_config(a.get("--config", "ops/config/aqueduct.json"));
  bus::Envelope req;
  auto* c = req.mutable_hedging_control();
  c->set_actor(operator_name(a));
  if (action == "rearm") {
    if (!a.flag("--scope"))
      throw std::invalid_argument("rearm needs --scope SCOPE (\"asset BTC\", \"listing BTC-USDT\", \"portfolio\"...)");
    c->set_rearm(a.get("--scope"));
  }
  auto reply = operator_call(cfg, cfg.endpoints.hedging_rpc, "hedging", req);
  if (!reply.has_hedging_control_reply()) throw std::runtime_error("hedging answered with something else");
  std::printf("%s\n", reply.hedging_control_reply().detail().c_str());
  return reply.hedging_control_reply().ok() ? 0 : 1;
}

// A fresh bus key for a deployment. The secret goes to the operator's secret store, and from
// there into the environment variable bus.curve_secret_env names, in every process.
int cmd_bus_key() {
  auto k = bus::new_curve_key();
  std::printf("secret %s\npublic %s\n", k.secret_key.c_str(), k.public_key.c_str());
  return 0;
}

int cmd_report(const Args& a) {
  if (a.get("") != "pnl") throw std::invalid_argument("report: the one report is 'pnl' (aqueduct report pnl)");
  auto now = std::chrono::system_clock::to_time_t(std::chrono::system_clock::now());
  std::tm utc{};
  gmtime_r(&now, &utc);
  char today[16];
  std::strftime(today, sizeof today, "%Y-%m-%d", &utc);
  std::string from = a.get("--from", today), to = a.get("--to", a.flag("--from") ? from : today);
  int decimals = std::stoi(a.get("--decimals", "2"));
  if (decimals < 0 || decimals > hedging::kReportScale)
    throw std::invalid_argument("--decimals must be 0.." + std::to_string(hedging::kReportScale));
  auto conn = record::connect(record::database_url_from_env());
  if (int v = record::schema_version(*conn); v < 9)
    throw std::runtime_error("the record is at schema version " + std::to_string(v) +
                             "; the PnL report needs version 9 (fill_pnl) or later: run 'aqueduct migrate'");
  auto rows = hedging::daily_pnl(hedging::load_fill_records(*conn, from, to));
  std::printf("PnL, expected (the quotes' breakdown) vs realized (hedging), %s to %s UTC, in each "
              "listing's quote asset; positive is a gain\n",
              from.c_str(), to.c_str());
  if (rows.empty()) {
    std::printf("no fills in that period\n");
    return 0;
  }
  std::fputs(hedging::format_daily_pnl(rows, decimals).c_str(), stdout);
  return 0;
}

int cmd_migrate() {
  auto url = record::database_url_from_env();
  auto conn = record::connect(url);
  int n = record::migrate(*conn);
  std::printf("database %s at schema version %d (%d migrations applied now)\n",
              record::redact(url).c_str(), record::schema_version(*conn), n);
  return 0;
}

int cmd_replay_binance(const Args& a) {
  if (!a.flag("") || !a.flag("--symbol"))
    throw std::invalid_argument("replay-binance needs a FILE and --symbol SYMBOL");
  auto cfg = app::load_config(a.get("--config", "ops/config/aqueduct.json"));
  const Instrument* inst = cfg.universe.instrument("binance", a.get("--symbol"));
  if (!inst)
    throw std::invalid_argument("symbol " + a.get("--symbol") +
                                " is not a binance instrument in the config (its scales are needed)");
  std::ifstream in(a.get(""));
  if (!in) throw std::invalid_argument("cannot read " + a.get(""));
  auto r = binance::replay(in, *inst, a.flag("--realtime"));
  const auto& book = r.sync.book();
  std::printf("replayed %llu updates (%llu applied, %llu ignored, %llu gaps, %llu snapshots) in %.3f s: %.0f msgs/s\n",
              static_cast<unsigned long long>(r.messages), static_cast<unsigned long long>(r.applied),
              static_cast<unsigned long long>(r.ignored), static_cast<unsigned long long>(r.gaps),
              static_cast<unsigned long long>(r.snapshots), r.seconds,
              r.seconds > 0 ? static_cast<double>(r.messages) / r.seconds : 0.0);
  if (!r.sync.live()) {
    std::printf("book not live at the end of the file (no usable snapshot, or a gap after the last one)\n");
    return 3;
  }
  auto bid = book.best_bid(), ask = book.best_ask();
  std::printf("%s at update id %llu: best bid %s x %s, best ask %s x %s\n", inst->symbol.c_str(),
              static_cast<unsigned long long>(r.sync.update_id()),
              bid ? inst->price(bid->price).to_string().c_str() : "-",
              bid ? inst->qty(bid->qty).to_string().c_str() : "-",
              ask ? inst->price(ask->price).to_string().c_str() : "-",
              ask ? inst->qty(ask->qty).to_string().c_str() : "-");
  return 0;
}

// Replays a recorded subscription-stream session (okx, bybit, bitmex, coinbase).
int cmd_replay(const Args& a) {
  if (!a.flag("") || !a.flag("--venue"))
    throw std::invalid_argument("replay needs a FILE and --venue NAME (a venue in the config)");
  auto cfg = app::load_config(a.get("--config", "ops/config/aqueduct.json"));
  const auto* v = cfg.venue(a.get("--venue"));
  if (!v) throw std::invalid_argument("venue " + a.get("--venue") + " is not in the config");
  if (v->protocol.rfind("binance", 0) == 0)
    throw std::invalid_argument("venue " + v->name + " speaks " + v->protocol + "; use replay-binance");
  std::vector<Instrument> insts;
  std::string only = a.get("--symbols", "");
  for (const auto& i : cfg.universe.instruments)
    if (i.venue == v->name && (only.empty() || ("," + only + ",").find("," + i.symbol + ",") != std::string::npos))
      insts.push_back(i);
  if (insts.empty()) throw std::invalid_argument("no instruments of " + v->name + " match");
  auto protocol = app::make_stream_protocol(v->protocol, insts);
  std::ifstream in(a.get(""));
  if (!in) throw std::invalid_argument("cannot read " + a.get(""));
  auto r = connectors::replay_stream(in, *protocol, a.flag("--realtime"));
  std::printf("replayed %llu messages (%llu snapshots, %llu deltas, %llu heartbeats, %llu resubscribes, %llu reconnects) in %.3f s: %.0f msgs/s\n",
              static_cast<unsigned long long>(r.messages), static_cast<unsigned long long>(r.snapshots),
              static_cast<unsigned long long>(r.deltas), static_cast<unsigned long long>(r.heartbeats),
              static_cast<unsigned long long>(r.resubscribes), static_cast<unsigned long long>(r.reconnects),
              r.seconds, r.seconds > 0 ? static_cast<double>(r.messages) / r.seconds : 0.0);
  int rc = 0;
  for (size_t i = 0; i < protocol->size(); ++i) {
    const auto& inst = protocol->instrument(i);
    if (!protocol->live(i)) {
      std::printf("%s: book not live at the end of the file\n", inst.symbol.c_str());
      rc = 3;
      continue;
    }
    auto book = protocol->book(i);
    auto bid = book.best_bid(), ask = book.best_ask();
    std::printf("%s at seq %llu: best bid %s x %s, best ask %s x %s\n", inst.symbol.c_str(),
                static_cast<unsigned long long>(protocol->seq(i)),
                bid ? inst.price(bid->price).to_string().c_str() : "-", bid ? inst.qty(bid->qty).to_string().c_str() : "-",
                ask ? inst.price(ask->price).to_string().c_str() : "-", ask ? inst.qty(ask->qty).to_string().c_str() : "-");
  }
  return rc;
}

bool bool_arg(const Args& a, const std::string& k) {
  auto v = a.get(k);
  if (v == "true") return true;
  if (v == "false") return false;
  throw std::invalid_argument(k + " takes true or false, not '" + v + "'");
}

// A USD notional ("250000", "1e6" is refused) or "none" (0: no limit).
int64_t notional_arg(const Args& a, const std::string& k) {
  auto v = a.get(k);
  if (v == "none") return 0;
  ParseError why{};
  auto d = Decimal::parse(v, rfq::kNotionalScale, &why);
  if (!d || d->units <= 0)
    throw std::invalid_argument(k + " takes a positive USD amount with at most 6 decimals, or none; '" + v +
                                "' is not one");
  return d->units;
}

rfq::ClientChange change_from(const Args& a) {
  rfq::ClientChange c;
  if (a.flag("--name")) c.name = a.get("--name");
  if (a.flag("--tier")) c.tier = a.get("--tier");
  if (a.flag("--zero-fee")) c.zero_fee = bool_arg(a, "--zero-fee");
  if (a.flag("--active")) c.active = bool_arg(a, "--active");
  if (a.flag("--max-quote-notional")) c.max_quote_notional = notional_arg(a, "--max-quote-notional");
  if (a.flag("--max-open-notional")) c.max_open_notional = notional_arg(a, "--max-open-notional");
  if (a.flag("--rate-limit")) {
    auto v = a.get("--rate-limit");
    int n = v == "default" ? 0 : std::atoi(v.c_str());
    if (v != "default" && (n <= 0 || n > 1'000'000 || std::to_string(n) != v))
      throw std::invalid_argument("--rate-limit takes 1..1000000 requests per second, or default; '" + v +
                                  "' is not one");
    c.rate_limit_per_s = n;
  }
  return c;
}

std::string actor() {
  const char* u = std::getenv("USER");
  return std::string("cli:") + (u ? u : "operator");
}

void print_key(const std::string& id, const rfq::ClientKeys& keys, const std::string& key_id) {
  std::printf("client %s\n  key id:  %s\n  secret:  %s   (shown once: store it now)\n", id.c_str(),
              key_id.c_str(), keys.secret(key_id).c_str());
  std::printf("Sign each request: X-AQ-KEY, X-AQ-TS (unix ms), X-AQ-SIGNATURE (see README).\n");
}

int cmd_client(const Args& a) {
  auto cfg = app::load_config(a.get("--config", "ops/config/aqueduct.json"));
  auto conn = record::connect(record::database_url_from_env());
  record::migrate(*conn);
  rfq::RfqStore store(std::move(conn));
  if (a.command == "client-list") {
    std::printf("%-20s %-8s %-10s %-8s %-6s %-16s %-16s %-6s %s\n", "client", "protocol", "tier", "zero_fee",
                "active", "max_quote_usd", "max_open_usd", "rate/s", "key id");
    auto usd = [](int64_t units) { return units ? Decimal{units, rfq::kNotionalScale}.to_trimmed_string() : std::string("-"); };
    for (const auto& c : store.load_clients())
      std::printf("%-20s %-8s %-10s %-8s %-6s %-16s %-16s %-6s %s\n", c.client_id.c_str(), rfq::to_string(c.protocol),
                  c.tier.c_str(), c.zero_fee ? "yes" : "no", c.active ? "yes" : "no",
                  usd(c.limits.max_quote_notional).c_str(), usd(c.limits.max_open_notional).c_str(),
                  c.rate_limit_per_s ? std::to_string(c.rate_limit_per_s).c_str() : "default",
                  c.api_key_id.empty() ? "-" : c.api_key_id.c_str());
    return 0;
  }
  if (!a.flag("--id")) throw std::invalid_argument(a.command + " needs --id ID");
  std::string id = a.get("--id");
  auto change = change_from(a);
  if (change.tier && !cfg.pricer.tiers.empty()) {
    bool known = false;
    std::string names;
    for (const auto& t : cfg.pricer.tiers) {
      known = known || t.name == *change.tier;
      names += (names.empty() ? "" : ", ") + t.name;
    }
    if (!known) throw std::invalid_argument("tier '" + *change.tier + "' is not configured; tiers: " + names);
  }
  if (a.command == "client-set") {
    store.change_client(id, change, actor());
    std::printf("client %s changed; running gateways apply it within 2 s.\n", id.c_str());
    return 0;
  }
  auto keys = rfq::ClientKeys::load(cfg.native.key_master_env, cfg.native.key_master_file, true);
  auto key_id = rfq::ClientKeys::new_key_id();
  if (a.command == "client-rekey") {
    store.rekey_client(id, key_id, actor());
  } else {
    if (!a.flag("--name")) throw std::invalid_argument("client-add needs --id and --name");
    change.name.reset();
    store.create_client(id, a.get("--name"), key_id, change);
  }
  print_key(id, keys, key_id);
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  spdlog::set_pattern("%Y-%m-%dT%H:%M:%S.%e %^%l%$ %v");
  Args args;
  try {
    args = parse_args(argc, argv);
  } catch (const std::exception& e) {
    std::fprintf(stderr, "aqueduct: %s\n%s", e.what(), kUsage);
    return 2;
  }
  try {
    if (args.command == "run")
      return cmd_run(args, app::parse_components(args.get("--components", "all")));
    if (args.command == "sim") return cmd_run(args, {app::Component::Simulator});
    if (args.command == "migrate") return cmd_migrate();
    if (args.command == "bus-key") return cmd_bus_key();
    if (args.command == "report") return cmd_report(args);
    if (args.command == "pricer") return cmd_pricer(args);
    if (args.command == "hedging") return cmd_hedging(args);
    if (args.command == "client-add" || args.command == "client-set" || args.command == "client-rekey" ||
        args.command == "client-list")
      return cmd_client(args);
    if (args.command == "replay-binance") return cmd_replay_binance(args);
    if (args.command == "replay") return cmd_replay(args);
    if (args.command == "help" || args.command == "--help") {
      std::printf("%s", kUsage);
      return 0;
    }
    std::fprintf(stderr, "aqueduct: unknown command '%s'\n%s", args.command.c_str(), kUsage);
    return 2;
  } catch (const std::exception& e) {
    std::fprintf(stderr, "aqueduct: %s\n", e.what());
    return 1;
  }
}
