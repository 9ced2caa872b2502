// The same flow with every component in its own process, talking over ipc endpoints: the
// deployment shape of "same code, any topology".
#include <doctest/doctest.h>

#include <boost/asio/ip/tcp.hpp>
#include <boost/json.hpp>
#include <csignal>
#include <fcntl.h>
#include <filesystem>
#include <cstdlib>
#include <fstream>
#include <spawn.h>
#include <sstream>
#include <sys/wait.h>
#include <thread>

#include "aqueduct/net/hmac.hpp"
#include "aqueduct/record/database.hpp"
#include "aqueduct/rfq/rfq_store.hpp"
#include "aqueduct/testing/http.hpp"
#include "aqueduct/testing/native_client.hpp"
#include "aqueduct/testing/network_config.hpp"
#include "aqueduct/testing/test_database.hpp"
#include "aqueduct/testing/wait.hpp"
#include "aqueduct/types/decimal.hpp"

extern char** environ;

using namespace aq;
using namespace std::chrono_literals;
namespace json = boost::json;

namespace {

uint16_t free_port() {
  boost::asio::io_context io;
  boost::asio::ip::tcp::acceptor a(io, {boost::asio::ip::make_address("127.0.0.1"), 0});
  return a.local_endpoint().port();
}

struct Process {
  std::string name;
  pid_t pid = -1;
  std::string log;
};

Process spawn(const std::string& name, const std::vector<std::string>& args, const std::string& dir) {
  Process p{name, -1, dir + "/" + name + ".log"};
  posix_spawn_file_actions_t fa;
  posix_spawn_file_actions_init(&fa);
  posix_spawn_file_actions_addopen(&fa, 1, p.log.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
  posix_spawn_file_actions_adddup2(&fa, 1, 2);
  std::vector<char*> argv;
  for (const auto& a : args) argv.push_back(const_cast<char*>(a.c_str()));
  argv.push_back(nullptr);
  int rc = posix_spawn(&p.pid, argv[0], &fa, nullptr, argv.data(), environ);
  posix_spawn_file_actions_destroy(&fa);
  REQUIRE_MESSAGE(rc == 0, "cannot start " << args[0]);
  return p;
}

std::string read_file(const std::string& path) {
  std::ifstream in(path);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

// SIGTERM, then wait up to 10 s; returns the exit status (or -1 if it had to be killed).
int stop(Process& p) {
  if (p.pid <= 0) return -1;
  kill(p.pid, SIGTERM);
  for (int i = 0; i < 1000; ++i) {
    int status = 0;
    if (waitpid(p.pid, &status, WNOHANG) == p.pid) {
      p.pid = -1;
      return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
    }
    std::this_thread::sleep_for(10ms);
  }
  kill(p.pid, SIGKILL);
  waitpid(p.pid, nullptr, 0);
  p.pid = -1;
  return -1;
}

// Runs a command to its end (at most 10 s); returns its exit status and its output.
std::pair<int, std::string> run(const std::string& name, const std::vector<std::string>& args, const std::string& dir) {
  Process p = spawn(name, args, dir);
  for (int i = 0; i < 1000; ++i) {
    int status = 0;
    if (waitpid(p.pid, &status, WNOHANG) == p.pid) return {WIFEXITED(status) ? WEXITSTATUS(status) : -1, read_file(p.log)};
    std::this_thread::sleep_for(10ms);
  }
  kill(p.pid, SIGKILL);
  waitpid(p.pid, nullptr, 0);
  return {-1, read_file(p.log)};
}

// Kills whatever is still running when the test leaves, even through a failed assertion.
struct ProcessGuard {
  std::vector<Process>& procs;
  ~ProcessGuard() {
    for (auto& p : procs) {
      if (p.pid <= 0) continue;
      kill(p.pid, SIGKILL);
      waitpid(p.pid, nullptr, 0);
    }
  }
};

}  // namespace

TEST_CASE("six processes over ipc: quote, accept, fill recorded, hedge executed, clean shutdown") {
  testing::TestDatabase db;
  testing::NativeClient client{0, testing::add_native_client(db.url(), "taker-p")};
  std::string dir = "/tmp/aq-e2e-" + net::random_hex(4);
  std::filesystem::create_directories(dir);
  uint16_t rfq_port = free_port(), sim_port = free_port();
  client.port = rfq_port;
  std::string config = dir + "/aqueduct.json";
  std::ofstream(config) << testing::network_config_json(
      R"({"transport":"ipc","ipc_dir":")" + dir + R"("})", rfq_port, sim_port);
  setenv("AQUEDUCT_DATABASE_URL", db.url().c_str(), 1);
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

  // The operator's kill switch reaches the pricer process over its ipc socket.
  auto [kill_rc, kill_out] = run("pricer-kill", {AQ_BINARY, "pricer", "kill", "--actor", "e2e", "--config", config}, dir);
  CHECK(kill_rc == 0);
  CHECK(kill_out.find("kill switch engaged") != std::string::npos);
  auto k = post("/v1/quote", R"({"listing":"BTC-USDT","side":"sell","qty":"0.4"})");
  CHECK(k.status == 503);
  CHECK(json::parse(k.body).as_object()["error"].as_string() == "kill_switch");
  auto [rel_rc, rel_out] = run("pricer-release", {AQ_BINARY, "pricer", "release", "--config", config}, dir);
  CHECK(rel_rc == 0);
  CHECK(post("/v1/quote", R"({"listing":"BTC-USDT","side":"sell","qty":"0.4"})").status == 200);
  auto [bad_rc, bad_out] = run("pricer-bad", {AQ_BINARY, "pricer", "rearm", "--config", config}, dir);
  CHECK(bad_rc == 1);
  CHECK(bad_out.find("rearm needs --listing NAME") != std::string::npos);

  // Every process stops cleanly on SIGTERM, downstream first.
  for (auto it = procs.rbegin(); it != procs.rend(); ++it) {
    CAPTURE(it->name);
    CHECK(stop(*it) == 0);
  }
  std::filesystem::remove_all(dir);
}
