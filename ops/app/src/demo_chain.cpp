#include "aqueduct/app/demo_chain.hpp"

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdlib>
#include <fstream>
#include <pqxx/pqxx>
#include <sstream>
#include <stdexcept>
#include <thread>

#include "aqueduct/record/database.hpp"

extern char** environ;

namespace aq::app {

namespace json = boost::json;

namespace {

std::string env(const char* name) {
  const char* v = std::getenv(name);
  return v ? v : "";
}

eth::Address address_at(const json::object& o, std::initializer_list<const char*> path) {
  const json::value* v = nullptr;
  const json::object* at = &o;
  for (const char* k : path) {
    v = at->if_contains(k);
    if (!v) throw std::runtime_error(std::string("the demo chain's deployment has no ") + k);
    if (v->is_object()) at = &v->as_object();
  }
  auto a = eth::Address::parse(v->as_string());
  if (!a) throw std::runtime_error("the demo chain's deployment has a bad address");
  return *a;
}

// Runs `argv` and returns its exit status and standard output; killed after `timeout`.
std::pair<int, std::string> run(const std::vector<std::string>& argv,
                                std::chrono::milliseconds timeout) {
  int fds[2];
  if (pipe2(fds, O_CLOEXEC) != 0) return {-1, "pipe failed"};
  posix_spawn_file_actions_t fa;
  posix_spawn_file_actions_init(&fa);
  posix_spawn_file_actions_adddup2(&fa, fds[1], 1);
  posix_spawn_file_actions_adddup2(&fa, fds[1], 2);
  std::vector<char*> args;
  for (const auto& a : argv) args.push_back(const_cast<char*>(a.c_str()));
  args.push_back(nullptr);
  pid_t pid = 0;
  int rc = posix_spawnp(&pid, args[0], &fa, nullptr, args.data(), environ);
  posix_spawn_file_actions_destroy(&fa);
  close(fds[1]);
  if (rc != 0) {
    close(fds[0]);
    return {-1, std::string("cannot start ") + argv[0]};
  }
  std::string out;
  auto deadline = std::chrono::steady_clock::now() + timeout;
  char buf[4096];
  for (;;) {
    auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
        deadline - std::chrono::steady_clock::now());
    if (left.count() <= 0) {
      kill(pid, SIGKILL);
      out += "\n(timed out)";
      break;
    }
    pollfd p{fds[0], POLLIN, 0};
    if (poll(&p, 1, static_cast<int>(left.count())) <= 0) continue;
    ssize_t n = read(fds[0], buf, sizeof buf);
    if (n <= 0) break;
    out.append(buf, static_cast<size_t>(n));
  }
  close(fds[0]);
  int status = 0;
  waitpid(pid, &status, 0);
  return {WIFEXITED(status) ? WEXITSTATUS(status) : -1, out};
}

// take.mjs prints one JSON line last.
std::optional<json::object> last_json_line(const std::string& out) {
  std::istringstream in(out);
  std::string line;
  std::optional<json::object> last;
  while (std::getline(in, line)) {
    boost::system::error_code ec;
    if (line.empty() || line[0] != '{') continue;
    auto v = json::parse(line, ec);
    if (!ec && v.is_object()) last = v.as_object();
  }
  return last;
}

uint64_t number(const json::object& o, const char* k) {
  const auto* v = o.if_contains(k);
  if (!v) return 0;
  if (v->is_int64()) return static_cast<uint64_t>(v->as_int64());
  if (v->is_uint64()) return v->as_uint64();
  if (v->is_string()) return std::strtoull(v->as_string().c_str(), nullptr, 10);
  return 0;
}

}  // namespace

std::unique_ptr<DemoChain> DemoChain::from_env() {
  std::string file = env("AQ_DEMO_CHAIN_FILE");
  if (file.empty()) return nullptr;
  auto c = std::make_unique<DemoChain>();
  std::ifstream in(file);
  std::stringstream ss;
  ss << in.rdbuf();
  boost::system::error_code ec;
  auto v = json::parse(ss.str(), ec);
  if (ec || !v.is_object())
    throw std::runtime_error("AQ_DEMO_CHAIN_FILE " + file + " is not the deployment JSON");
  c->deployment_ = v.as_object();
  c->chain_id_ = number(c->deployment_, "chainId");
  c->file_ = file;
  c->tools_ = env("AQ_DEMO_CHAIN_TOOLS");
  c->rpc_ = env("AQ_DEMO_CHAIN_RPC");
  if (c->tools_.empty() || c->rpc_.empty() || c->chain_id_ == 0)
    throw std::runtime_error(
        "the demo chain needs AQ_DEMO_CHAIN_TOOLS, AQ_DEMO_CHAIN_RPC and a chainId: start it "
        "with ops/run --demo");
  return c;
}

eth::Address DemoChain::token(const std::string& symbol) const {
  return address_at(deployment_, {"tokens", symbol.c_str(), "address"});
}
eth::Address DemoChain::exchange_proxy() const {
  return address_at(deployment_, {"zeroEx", "exchangeProxy"});
}
eth::Address DemoChain::hashflow_pool() const {
  return address_at(deployment_, {"hashflow", "pool"});
}
eth::Address DemoChain::maker() const {
  return address_at(deployment_, {"accounts", "maker", "address"});
}
eth::Address DemoChain::taker(int i) const {
  const auto& takers = deployment_.at("accounts").at("takers").as_array();
  auto a = eth::Address::parse(takers.at(static_cast<size_t>(i)).at("address").as_string());
  return *a;
}

void DemoChain::configure(rfq::TakersConfig& t) const {
  t.chain_id = chain_id_;
  t.unwatched = false;
  t.tokens = {{"WBTC", "BTC", token("WBTC"), 8, {}},
              {"USDT", "USDT", token("USDT"), 6, {}},
              {"WETH", "ETH", token("WETH"), 18, {}}};
  rfq::chain::ChainOptions c;
  c.name = "anvil";
  c.chain_id = chain_id_;
  c.rpc_url_env = "AQ_DEMO_CHAIN_RPC";
  c.ws_url_env = "AQ_DEMO_CHAIN_WS";
  c.confirmations = 2;
  c.poll_ms = 500;
  c.grace_s = 10;
  c.wallet_refresh_ms = 2000;
  t.chains = {c};
  t.zeroex.exchange_proxy = exchange_proxy();
  t.hashflow.pool = hashflow_pool();
  t.hashflow.external_account = maker();
}

DemoChain::Tx DemoChain::take(const std::vector<std::string>& args) const {
  std::vector<std::string> argv{"node", tools_ + "/take.mjs"};
  argv.insert(argv.end(), args.begin(), args.end());
  argv.insert(argv.end(), {"--rpc", rpc_, "--deploy", file_});
  auto [rc, out] = run(argv, std::chrono::seconds(60));
  Tx tx;
  auto line = last_json_line(out);
  if (!line) {
    tx.error = "take.mjs (" + std::to_string(rc) + "): " + out.substr(0, 400);
    return tx;
  }
  tx.ok = rc == 0 && line->if_contains("ok") && line->at("ok").is_bool() && line->at("ok").as_bool();
  if (const auto* h = line->if_contains("txHash"); h && h->is_string()) tx.tx_hash = h->as_string();
  tx.block = number(*line, "blockNumber");
  tx.gas = number(*line, "gasUsed");
  if (const auto* e = line->if_contains("events"); e && e->is_array()) tx.events = e->as_array().size();
  if (!tx.ok) {
    const auto* r = line->if_contains("reason");
    tx.error = r && r->is_string() ? std::string(r->as_string()) : json::serialize(*line);
  }
  return tx;
}

DemoChain::Tx DemoChain::take_zeroex(const std::string& quote_body, int taker) const {
  return take({"zeroex-rfq", "--taker", std::to_string(taker), "--order", quote_body});
}

DemoChain::Tx DemoChain::take_hashflow(const std::string& quote_raw, int taker,
                                       uint64_t nonce) const {
  return take({"hashflow-rfqt", "--taker", std::to_string(taker), "--quote", quote_raw, "--nonce",
               std::to_string(nonce)});
}

std::optional<DemoChain::FillState> DemoChain::wait_fill(const std::string& db_url,
                                                         const std::string& quote_id,
                                                         const std::string& state,
                                                         std::chrono::milliseconds timeout) const {
  auto conn = record::connect(db_url);
  auto deadline = std::chrono::steady_clock::now() + timeout;
  while (std::chrono::steady_clock::now() < deadline) {
    pqxx::read_transaction r(*conn);
    auto rows = r.exec("SELECT fill_id, settlement, coalesce(block_number, 0) FROM fills "
                       "WHERE quote_id = " + r.quote(quote_id) + " AND kind = 'trade'");
    // Seen is passed once confirmed: a fill found confirmed was seen first.
    if (!rows.empty() && (rows[0][1].as<std::string>() == state ||
                          (state == "seen" && rows[0][1].as<std::string>() == "confirmed")))
      return FillState{rows[0][0].as<std::string>(), rows[0][1].as<std::string>(),
                       rows[0][2].as<uint64_t>()};
    r.commit();
    std::this_thread::sleep_for(std::chrono::milliseconds(200));
  }
  return std::nullopt;
}

}  // namespace aq::app
