#include "aqueduct/testing/local_chain.hpp"

#include <stdexcept>
#include <thread>

#include "aqueduct/testing/http.hpp"

#ifndef AQ_SOURCE_DIR
#error "AQ_SOURCE_DIR must name the source tree (tests/chain lives there)"
#endif

namespace aq::testing {
namespace json = boost::json;
using namespace std::chrono_literals;

namespace {

const std::string kChainDir = std::string(AQ_SOURCE_DIR) + "/tests/chain";

std::string anvil_bin() {
  return kChainDir + "/node_modules/@foundry-rs/anvil-linux-amd64/bin/anvil";
}

// The last line of a tool's output that is a JSON object.
json::object last_json_line(const std::string& out) {
  size_t end = out.size();
  while (end > 0) {
    size_t start = out.rfind('\n', end - 1);
    start = start == std::string::npos ? 0 : start + 1;
    std::string line = out.substr(start, end - start);
    boost::system::error_code ec;
    if (!line.empty() && line[0] == '{') {
      auto v = json::parse(line, ec);
      if (!ec && v.is_object()) return v.as_object();
    }
    if (start == 0) break;
    end = start - 1;
  }
  return {};
}

}  // namespace

LocalChain::LocalChain(uint64_t chain_id, const std::string& maker_key)
    : chain_id_(chain_id), port_(free_port()), dir_("aq-chain") {
  spawn_anvil("");
  // Deployed block by block as fast as transactions come (automine), then a block every
  // second, as a chain's clock and confirmations need.
  auto [rc, out] = run("deploy",
                       {"/usr/bin/env", "node", kChainDir + "/deploy.mjs", "--rpc", http_url(),
                        "--maker-key", "0x" + maker_key, "--out", dir_.file("deploy.json")},
                       dir_.str(), 120s);
  if (rc != 0)
    throw std::runtime_error("tests/chain/deploy.mjs failed (" + std::to_string(rc) + "): " + out);
  deployment_ = json::parse(read_file(dir_.file("deploy.json"))).as_object();
  if (!rpc("evm_setIntervalMining", {1})) throw std::runtime_error("evm_setIntervalMining failed");
}

LocalChain::~LocalChain() {
  if (anvil_.pid > 0) stop(anvil_);
}

void LocalChain::spawn_anvil(const std::string& load_state) {
  std::vector<std::string> args{anvil_bin(),
                                "--host",
                                "127.0.0.1",
                                "--port",
                                std::to_string(port_),
                                "--chain-id",
                                std::to_string(chain_id_),
                                "--quiet"};
  if (!load_state.empty()) {
    args.insert(args.end(), {"--load-state", load_state, "--block-time", "1"});
  }
  args.push_back("--dump-state");
  args.push_back(dir_.file("state.json"));
  anvil_ = spawn("anvil", args, dir_.str());
  auto deadline = std::chrono::steady_clock::now() + 15s;
  while (!rpc("eth_chainId")) {
    if (std::chrono::steady_clock::now() > deadline)
      throw std::runtime_error("anvil did not answer on " + http_url() + ": " +
                               read_file(anvil_.log));
    std::this_thread::sleep_for(50ms);
  }
}

std::string LocalChain::token(const std::string& symbol) const {
  return std::string(deployment_.at("tokens").at(symbol).at("address").as_string());
}
std::string LocalChain::exchange_proxy() const {
  return std::string(deployment_.at("zeroEx").at("exchangeProxy").as_string());
}
std::string LocalChain::taker_address(int i) const {
  return std::string(deployment_.at("accounts")
                         .at("takers")
                         .as_array()
                         .at(static_cast<size_t>(i))
                         .at("address")
                         .as_string());
}

std::string LocalChain::maker_address() const {
  return std::string(deployment_.at("accounts").at("maker").at("address").as_string());
}
std::string LocalChain::hashflow_pool() const {
  return std::string(deployment_.at("hashflow").at("pool").as_string());
}

std::optional<json::value> LocalChain::rpc(const std::string& method, json::array params) {
  json::object req{{"jsonrpc", "2.0"}, {"id", 1}, {"method", method}, {"params", params}};
  try {
    auto r =
        http_call(port_, "POST", "/", json::serialize(req), {{"Content-Type", "application/json"}});
    if (r.status != 200) return std::nullopt;
    auto v = json::parse(r.body);
    if (auto* res = v.as_object().if_contains("result")) return *res;
  } catch (const std::exception&) {
  }
  return std::nullopt;
}

std::string LocalChain::snapshot() {
  auto r = rpc("evm_snapshot");
  if (!r || !r->is_string()) throw std::runtime_error("evm_snapshot failed");
  return std::string(r->as_string());
}

void LocalChain::revert(const std::string& id) {
  auto r = rpc("evm_revert", {json::string(id)});
  if (!r || !r->is_bool() || !r->as_bool())
    throw std::runtime_error("evm_revert " + id + " failed");
}

void LocalChain::advance(uint64_t seconds) {
  rpc("evm_increaseTime", {seconds});
  rpc("evm_mine");
}

uint64_t LocalChain::block_number() {
  auto r = rpc("eth_blockNumber");
  return r ? std::stoull(std::string(r->as_string()), nullptr, 16) : 0;
}

LocalChain::Taken LocalChain::take_zeroex(const std::string& signed_order_json, int taker,
                                          const std::string& amount) {
  std::vector<std::string> args{"/usr/bin/env",
                                "node",
                                kChainDir + "/take.mjs",
                                "zeroex-rfq",
                                "--rpc",
                                http_url(),
                                "--deploy",
                                dir_.file("deploy.json"),
                                "--taker",
                                std::to_string(taker),
                                "--order",
                                signed_order_json};
  if (!amount.empty()) {
    args.push_back("--amount");
    args.push_back(amount);
  }
  auto [rc, out] = run("take", args, dir_.str(), 60s);
  return {rc, last_json_line(out), out};
}

LocalChain::Taken LocalChain::take_hashflow(const std::string& rfqt_quote_json, int taker,
                                            uint64_t nonce) {
  auto [rc, out] =
      run("take",
          {"/usr/bin/env", "node", kChainDir + "/take.mjs", "hashflow-rfqt", "--rpc", http_url(),
           "--deploy", dir_.file("deploy.json"), "--taker", std::to_string(taker), "--quote",
           rfqt_quote_json, "--nonce", std::to_string(nonce)},
          dir_.str(), 60s);
  return {rc, last_json_line(out), out};
}

void LocalChain::stop_node() {
  stop(anvil_);  // anvil writes its state dump on SIGTERM
  anvil_ = {};
}

void LocalChain::start_node() {
  spawn_anvil(dir_.file("state.json"));
}

}  // namespace aq::testing
