// The same flow with every component in its own process, talking over tcp endpoints secured
// by the deployment's bus key (CURVE): the shape of a deployment across hosts, "same code, any
// topology". Operators' commands reach the pricer and hedging only with that key.
#include <doctest/doctest.h>

#include <boost/json.hpp>
#include <csignal>
#include <filesystem>
#include <cstdlib>
#include <fstream>
#include <sstream>
#include <thread>

#include "aqueduct/bus/bus_security.hpp"
#include "aqueduct/hedging/pnl_report.hpp"
#include "aqueduct/net/hmac.hpp"
#include "aqueduct/record/database.hpp"
#include "aqueduct/rfq/rfq_store.hpp"
#include "aqueduct/testing/http.hpp"
#include "aqueduct/testing/native_client.hpp"
#include "aqueduct/testing/network_config.hpp"
#include "aqueduct/testing/process.hpp"
#include "aqueduct/testing/temp_dir.hpp"
#include "aqueduct/testing/test_database.hpp"
#include "aqueduct/testing/wait.hpp"
#include "aqueduct/types/decimal.hpp"

using namespace aq;
using namespace std::chrono_literals;
using testing::Process, testing::ProcessGuard, testing::ScopedEnv, testing::free_port, testing::read_file,
    testing::run, testing::spawn, testing::stop;
namespace json = boost::json;

TEST_CASE(
    "six processes over tcp with the bus key: quote, accept, fill recorded, hedge executed, clean "
    "shutdown") {
  testing::TestDatabase db;
  testing::NativeClient client{0, testing::add_native_client(db.url(), "taker-p")};
  testing::TempDir tmp("aq-e2e");
  std::string dir = tmp.str();
  uint16_t rfq_port = free_port(), sim_port = free_port();
  client.port = rfq_port;
  std::string config = dir + "/aqueduct.json";
  std::string endpoints;
  for (const char* socket : {"connectors_pub", "pricer_rpc", "rfq_pub", "hedging_pub",
                             "hedging_rpc", "router_rpc", "router_pub"})
    endpoints += std::string(endpoints.empty() ? "" : ",") + "\"" + socket +
                 "\":\"tcp://127.0.0.1:" + std::to_string(free_port()) + "\"";
  std::ofstream(config) << testing::network_config_json(
      R"({"transport":"custom","curve_secret_env":"AQ_TEST_BUS_SECRET","endpoints":{)" + endpoints +
          "}}",
      rfq_port, sim_port);
  ScopedEnv db_env("AQUEDUCT_DATABASE_URL", db.url());
  // The deployment's bus key, as an operator makes it.
  auto [key_rc, key_out] = run("bus-key", {AQ_BINARY, "bus-key"}, dir);
  REQUIRE(key_rc == 0);
  REQUIRE(key_out.rfind("secret ", 0) == 0);
  std::string bus_secret = key_out.substr(7, 40);
  ScopedEnv bus_env("AQ_TEST_BUS_SECRET", bus_secret);
  setenv("AQ_TEST_BINANCE_KEY", ("k-" + net::random_hex(8)).c_str(), 1);
  setenv("AQ_TEST_BINANCE_SECRET", ("s-" + net::random_hex(16)).c_str(), 1);

  std::vector<Process> procs;
  ProcessGuard guard{procs};
  procs.push_back(spawn("sim", {AQ_BINARY, "sim", "--config", config}, dir));
  for (std::string c : {"connectors", "pricer", "hedging", "router", "rfq"})
    procs.push_back(spawn(c, {AQ_BINARY, "run", "--components", c, "--config", config}, dir));
  auto dump_logs = [&] {
    for (const auto& p : procs) MESSAGE(p.name << " log:\n" << read_file(p.log));
  };

  auto post = [&](const std::string& path, const std::string& body) {
    return client.post(path, body);
  };
  testing::Reply q;
  bool quoted = testing::wait_until([&] {
    try {
      q = post("/v1/quote", R"({"listing":"BTC-USDT","side":"sell","qty":"0.4"})");
    } catch (const std::exception&) {
      return false;  // rfq not listening yet
    }
    return q.status == 200;
  }, 20'000ms);
  if (!quoted) dump_logs();
  REQUIRE(quoted);
  auto quote_id = std::string(json::parse(q.body).as_object()["quote_id"].as_string());
  auto a = post("/v1/accept", R"({"quote_id":")" + quote_id + R"("})");
  REQUIRE(a.status == 200);
  CHECK(db.scalar("SELECT count(*) FROM fills") == "1");
  bool hedged = testing::wait_until([&] {
    auto net_qty = db.scalar("SELECT net_qty FROM positions WHERE asset = 'BTC'");
    return db.scalar("SELECT count(*) FROM executions WHERE status = 'ORDER_FILLED'") == "1" &&
           !net_qty.empty() &&
           std::llabs(Decimal::parse_natural(net_qty)->rescaled(8, Rounding::Exact).units) <= 1000;
  }, 10'000ms);
  if (!hedged) dump_logs();
  CHECK(hedged);
  CHECK(db.scalar("SELECT side || ' ' || qty FROM hedge_orders") == "sell 0.40000");

  // Without the deployment's key, an operator's command never reaches the pricer: with another
  // key the handshake fails (no answer), and with none the command says what to set.
  {
    ScopedEnv wrong("AQ_TEST_BUS_SECRET", bus::new_curve_key().secret_key);
    auto [rc, out] =
        run("pricer-kill-wrong-key", {AQ_BINARY, "pricer", "kill", "--config", config}, dir);
    CHECK(rc == 1);
    CHECK(out.find("did not answer within 3 s") != std::string::npos);
  }
  {
    ScopedEnv none("AQ_TEST_BUS_SECRET", "");
    auto [rc, out] =
        run("pricer-kill-no-key", {AQ_BINARY, "pricer", "kill", "--config", config}, dir);
    CHECK(rc == 1);
    CHECK(out.find("AQ_TEST_BUS_SECRET is not set") != std::string::npos);
  }
  CHECK(post("/v1/quote", R"({"listing":"BTC-USDT","side":"sell","qty":"0.4"})").status == 200);
  // With it, the operator's kill switch reaches the pricer process over its tcp socket.
  auto [kill_rc, kill_out] = run("pricer-kill", {AQ_BINARY, "pricer", "kill", "--actor", "e2e", "--config", config}, dir);
  CHECK(kill_rc == 0);
  CHECK(kill_out.find("kill switch engaged") != std::string::npos);
  auto k = post("/v1/quote", R"({"listing":"BTC-USDT","side":"sell","qty":"0.4"})");
  CHECK(k.status == 503);
  CHECK(json::parse(k.body).as_object()["error"].as_string() == "kill_switch");
  auto [rel_rc, rel_out] = run("pricer-release", {AQ_BINARY, "pricer", "release", "--config", config}, dir);
  CHECK(rel_rc == 0);
  CHECK(post("/v1/quote", R"({"listing":"BTC-USDT","side":"sell","qty":"0.4"})").status == 200);
  // Hedging's risk state, over its own tcp socket.
  auto [hs_rc, hs_out] = run("hedging-status", {AQ_BINARY, "hedging", "status", "--config", config}, dir);
  CHECK(hs_rc == 0);
  CHECK(hs_out.find("nothing tripped: every scope ACTIVE") != std::string::npos);
  auto [ha_rc, ha_out] = run("hedging-rearm", {AQ_BINARY, "hedging", "rearm", "--scope", "portfolio", "--config", config}, dir);
  CHECK(ha_rc == 1);
  CHECK(ha_out.find("'portfolio' is not tripped") != std::string::npos);
  auto [bad_rc, bad_out] = run("pricer-bad", {AQ_BINARY, "pricer", "rearm", "--config", config}, dir);
  CHECK(bad_rc == 1);
  CHECK(bad_out.find("rearm needs --listing NAME") != std::string::npos);

  // Every process stops cleanly on SIGTERM, downstream first.
  for (auto it = procs.rbegin(); it != procs.rend(); ++it) {
    CAPTURE(it->name);
    CHECK(stop(*it) == 0);
  }
}

TEST_CASE("operators' client commands: add, change, list; refusals name what is allowed") {
  testing::TestDatabase db;
  testing::TempDir tmp("aq-cli");
  std::string dir = tmp.str();
  ScopedEnv db_env("AQUEDUCT_DATABASE_URL", db.url());
  std::string config = std::string(AQ_SOURCE_DIR) + "/ops/config/aqueduct.json";
  auto [add_rc, add_out] = run("client-add", {AQ_BINARY, "client-add", "--id", "acme", "--name", "Acme Capital", "--tier",
                                              "institutional", "--max-quote-notional", "250000", "--config", config}, dir);
  CHECK(add_rc == 0);
  CHECK(add_out.find("key id:  ak_") != std::string::npos);
  CHECK(add_out.find("secret:  as_") != std::string::npos);
  CHECK(db.scalar("SELECT tier || ' ' || max_quote_notional FROM clients WHERE client_id = 'acme'") ==
        "institutional 250000.000000");
  // The printed secret is the one the gateway derives (same master, from the environment).
  auto key_at = add_out.find("ak_"), secret_at = add_out.find("as_");
  std::string key_id = add_out.substr(key_at, 27), secret = add_out.substr(secret_at, 67);
  CHECK(rfq::ClientKeys::load("AQ_CLIENT_KEY_MASTER", "", false).secret(key_id) == secret);
  CHECK(db.scalar("SELECT count(*) FROM clients WHERE api_key_id = '" + key_id + "'") == "1");

  auto [set_rc, set_out] = run("client-set", {AQ_BINARY, "client-set", "--id", "acme", "--zero-fee", "true", "--rate-limit",
                                              "7", "--max-quote-notional", "none", "--config", config}, dir);
  CHECK(set_rc == 0);
  CHECK(db.scalar("SELECT zero_fee::text || ' ' || rate_limit_per_s || ' ' || COALESCE(max_quote_notional::text, 'none') "
                  "FROM clients WHERE client_id = 'acme'") == "true 7 none");
  auto [list_rc, list_out] = run("client-list", {AQ_BINARY, "client-list", "--config", config}, dir);
  CHECK(list_rc == 0);
  CHECK(list_out.find("acme") != std::string::npos);
  CHECK(list_out.find(key_id) != std::string::npos);
  CHECK(list_out.find("as_") == std::string::npos);  // never a secret

  auto [r1, o1] = run("bad-rate", {AQ_BINARY, "client-set", "--id", "acme", "--rate-limit", "fast", "--config", config}, dir);
  CHECK(r1 == 1);
  CHECK(o1.find("--rate-limit takes 1..1000000 requests per second, or default") != std::string::npos);
  auto [r2, o2] = run("bad-tier", {AQ_BINARY, "client-set", "--id", "acme", "--tier", "platinum", "--config", config}, dir);
  CHECK(r2 == 1);
  CHECK(o2.find("tier 'platinum' is not configured; tiers: standard, institutional") != std::string::npos);
  auto [r3, o3] = run("bad-id", {AQ_BINARY, "client-set", "--id", "nobody", "--zero-fee", "false", "--config", config}, dir);
  CHECK(r3 == 1);
  CHECK(o3.find("no client nobody") != std::string::npos);
  CHECK(db.scalar("SELECT count(*) FROM audit_log WHERE subject = 'acme'") == "2");
}

TEST_CASE("aqueduct run --demo: every protocol trades through the stand-ins, fills are hedged") {
  testing::TestDatabase db;
  testing::TempDir tmp("aq-demo");
  std::string dir = tmp.str();
  // The shipped config, on free ports, with a maker key of this test's own.
  std::ifstream shipped(std::string(AQ_SOURCE_DIR) + "/ops/config/aqueduct.json");
  std::stringstream ss;
  ss << shipped.rdbuf();
  auto cfg = json::parse(ss.str());
  auto& root = cfg.as_object();
  root["rfq"].as_object()["port"] = free_port();
  root["takers"].as_object()["maker_key_file"] = dir + "/maker.key";
  root["takers"].as_object()["zeroex"].as_object()["port"] = 0;
  root["hedging"].as_object()["metrics"].as_object()["port"] = 0;
  root["simulator"].as_object()["funding_interval_s"] = 2;  // perps settle funding every 2 s
  std::string config = dir + "/aqueduct.json";
  std::ofstream(config) << json::serialize(cfg);
  {
    std::ofstream key(dir + "/maker.key");
    key << "4c0883a69102937d6231471b5dbb6204fe5129617082792ae468d01a3f362318";
  }
  std::filesystem::permissions(dir + "/maker.key", std::filesystem::perms::owner_read | std::filesystem::perms::owner_write);
  ScopedEnv db_env("AQUEDUCT_DATABASE_URL", db.url());

  std::vector<Process> procs;
  ProcessGuard guard{procs};
  procs.push_back(spawn("demo", {AQ_BINARY, "run", "--demo", "--demo-interval-ms", "300", "--config", config}, dir));
  auto seen = [&](const std::string& s) { return read_file(procs[0].log).find(s) != std::string::npos; };
  bool all = testing::wait_until([&] {
    return seen("via zeroex") && seen("via hashflow") && seen("via bebop") && seen("via demo-") &&
           db.scalar("SELECT count(DISTINCT protocol) FROM fills") == "4";
  }, 60'000ms);
  if (!all) MESSAGE("demo output:\n" << read_file(procs[0].log));
  REQUIRE(all);
  // Hedging took every protocol's fills, and hedges executed on the simulated venues.
  CHECK(testing::wait_until([&] {
    return db.scalar("SELECT count(DISTINCT f.protocol) FROM fills f JOIN fill_intake i USING (fill_id)") == "4" &&
           std::stoi(db.scalar("SELECT count(*) FROM executions WHERE status = 'ORDER_FILLED'")) >= 4;
  }, 20'000ms));
  auto out = read_file(procs[0].log);
  CHECK(out.find("[0x]       RfqOrder") != std::string::npos);
  CHECK(out.find("[hashflow] trade acknowledged") != std::string::npos);
  CHECK(out.find("[bebop]    SingleOrder") != std::string::npos);
  CHECK(out.find("[hedge]") != std::string::npos);
  CHECK(out.find("[exec]") != std::string::npos);
  // Each hedge says why it went where it went: the cost terms, and why other venues did not.
  CHECK(out.find("cost: ") != std::string::npos);
  CHECK(out.find("expected cost") != std::string::npos);
  CHECK(out.find("= walk ") != std::string::npos);
  // BTC hedges across the shipped spot, perp and inverse instruments go wherever is cheapest:
  // more than one venue trades, and positions are recorded per instrument.
  CHECK(testing::wait_until([&] {
    return std::stoi(db.scalar("SELECT count(DISTINCT venue) FROM executions WHERE status = 'ORDER_FILLED'")) >= 2;
  }, 20'000ms));
  CHECK(std::stoi(db.scalar("SELECT count(*) FROM instrument_positions")) >= 2);
  // Each fill's PnL, attributed once its hedges are final, on the tape and in the record.
  CHECK(testing::wait_until([&] { return read_file(procs[0].log).find("[pnl]") != std::string::npos; }, 10'000ms));
  out = read_file(procs[0].log);
  CHECK(out.find("+ hedge slippage ") != std::string::npos);
  CHECK(out.find("+ revaluation ") != std::string::npos);
  CHECK(std::stoi(db.scalar("SELECT count(*) FROM fill_pnl")) >= 1);
  CHECK(db.scalar("SELECT count(*) FROM fill_pnl WHERE spread + hedge_slippage + fees + funding + "
                  "revaluation + quanto <> total") == "0");
  // Funding: perp positions settle every 2 s in this simulator. Each settlement is booked at
  // −base × USD price × rate, and a fill it was attributed to carries exactly that much.
  CHECK(testing::wait_until([&] { return std::stoi(db.scalar("SELECT count(*) FROM funding_payments")) >= 1; },
                            15'000ms));
  CHECK(db.scalar("SELECT count(*) FROM funding_payments WHERE amount_usd <> round(-position_base * base_usd * rate, 8)") ==
        "0");
  CHECK(db.scalar("SELECT count(*) FROM fill_pnl p JOIN (SELECT fill_id, sum(amount_usd) AS a FROM funding_payments"
                  " WHERE fill_id IS NOT NULL GROUP BY fill_id) f USING (fill_id) WHERE p.funding <> f.a") == "0");
  CHECK(db.scalar("SELECT count(*) FROM fill_pnl p WHERE p.funding <> 0 AND NOT EXISTS (SELECT 1 FROM funding_payments f"
                  " WHERE f.fill_id = p.fill_id)") == "0");
  // Hedging's metrics, scraped from the running process on the port its log names.
  {
    out = read_file(procs[0].log);
    const std::string at = "hedging: metrics on http://127.0.0.1:";
    auto p = out.find(at);
    REQUIRE(p != std::string::npos);
    auto port = static_cast<uint16_t>(std::stoi(out.substr(p + at.size())));
    auto scrape = testing::http_call(port, "GET", "/metrics");
    REQUIRE(scrape.status == 200);
    auto count_of = [&](const std::string& name) {
      auto q = scrape.body.find("\n" + name + " ");
      return q == std::string::npos ? -1 : std::stoll(scrape.body.substr(q + name.size() + 2));
    };
    CHECK(count_of("aqueduct_hedging_fills_total") >= 4);
    CHECK(count_of("aqueduct_hedging_orders_total{path=\"fast\"}") + count_of("aqueduct_hedging_orders_total{path=\"recorded\"}") >= 4);
    CHECK(count_of("aqueduct_hedging_outcomes_total{status=\"ORDER_FILLED\"}") >= 4);
    CHECK(count_of("aqueduct_hedging_pnl_attributed_total") >= 1);
    // Free margin on every perp venue, from the venue's own account (the shipped config's
    // source "venue"): the router process read the simulators' accounts (50,000 USDT each,
    // 2 XBT on BitMEX) and hedging, another process, got the reads over the bus. Above 0
    // only if a read arrived; below the deposits' worth (2 XBT at about 30,000 USD).
    for (std::string venue : {"binance_usdm", "okx", "bybit", "bitmex"}) {
      CAPTURE(venue);
      auto name = "aqueduct_hedging_margin_free_usd{venue=\"" + venue + "\"}";
      auto q = scrape.body.find("\n" + name + " ");
      REQUIRE(q != std::string::npos);
      double free = std::stod(scrape.body.substr(q + name.size() + 2));
      CHECK(free > 0);
      CHECK(free < 70'000);
      // ... from a read no older than the router's 5 s interval (and the scrape's moment).
      auto age_name = "aqueduct_hedging_margin_read_age_seconds{venue=\"" + venue + "\"}";
      auto a = scrape.body.find("\n" + age_name + " ");
      REQUIRE(a != std::string::npos);
      double age = std::stod(scrape.body.substr(a + age_name.size() + 2));
      CHECK(age >= 0);
      CHECK(age < 7);
    }
  }
  CHECK(stop(procs[0]) == 0);
  CHECK(read_file(procs[0].log).find("Aqueduct stopped.") != std::string::npos);

  // The daily expected-vs-realized report, from the record the run left. Its realized totals
  // are fill_pnl's; its expected totals are the quotes' breakdown, computed here again in SQL.
  auto [rep_rc, rep_out] = run("report", {AQ_BINARY, "report", "pnl", "--from", "2000-01-01", "--to", "2100-12-31",
                                          "--decimals", "16"}, dir);
  CHECK(rep_rc == 0);
  INFO(rep_out);
  int128 realized = 0, expected = 0;
  int attributed = 0;
  std::istringstream lines(rep_out);
  for (std::string line; std::getline(lines, line);) {
    std::vector<std::string> words;
    std::istringstream ws(line);
    for (std::string w; ws >> w;) words.push_back(w);
    if (words.size() < 12) continue;
    if (words[5] == "expected") {
      expected += *hedging::parse_exact(words.back(), hedging::kReportScale);
      attributed += std::stoi(words[3]);
    }
    if (words[5] == "realized") realized += *hedging::parse_exact(words.back(), hedging::kReportScale);
  }
  CHECK(attributed == std::stoi(db.scalar("SELECT count(*) FROM fill_pnl")));
  CHECK(attributed >= 1);
  CHECK(realized == *hedging::parse_exact(db.scalar("SELECT coalesce(sum(total), 0)::text FROM fill_pnl"),
                                          hedging::kReportScale));
  CHECK(expected == *hedging::parse_exact(
                        db.scalar("SELECT coalesce(sum((CASE f.side WHEN 'buy' THEN 1 ELSE -1 END) * (f.price - "
                                  "(q.breakdown->>'hedge_vwap')::numeric) * f.qty - (q.breakdown->>'fee')::numeric"
                                  " * f.qty), 0)::text FROM fills f JOIN quotes q USING (quote_id) JOIN fill_pnl p"
                                  " USING (fill_id)"),
                        hedging::kReportScale));
  auto [bad_day_rc, bad_day_out] = run("report-bad", {AQ_BINARY, "report", "pnl", "--from", "23-11-2026"}, dir);
  CHECK(bad_day_rc != 0);
  CHECK(bad_day_out.find("YYYY-MM-DD") != std::string::npos);
}
