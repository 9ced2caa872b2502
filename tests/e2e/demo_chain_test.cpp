// `aqueduct run --demo` with the local chain ops/run --demo starts (AQ_DEMO_CHAIN_*): 0x and
// Hashflow trades settle on the real contracts, and the tape shows for each the taker's
// transaction, the event, the fill and its confirmation; the record holds them confirmed with
// their transactions. And without a node's URL, the on-chain protocols are off and the start-up
// says why.
#include <doctest/doctest.h>

#include <boost/json.hpp>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "aqueduct/testing/local_chain.hpp"
#include "aqueduct/testing/process.hpp"
#include "aqueduct/testing/temp_dir.hpp"
#include "aqueduct/testing/test_database.hpp"
#include "aqueduct/testing/wait.hpp"

using namespace aq;
using namespace std::chrono_literals;
using testing::Process, testing::ProcessGuard, testing::ScopedEnv, testing::free_port,
    testing::read_file, testing::spawn;
namespace json = boost::json;

namespace {

// The shipped config on free ports, with `key_hex` as the maker's key file.
std::string shipped_config(const std::string& dir, const std::string& key_hex) {
  std::ifstream shipped(std::string(AQ_SOURCE_DIR) + "/ops/config/aqueduct.json");
  std::stringstream ss;
  ss << shipped.rdbuf();
  auto cfg = json::parse(ss.str());
  auto& root = cfg.as_object();
  root["rfq"].as_object()["port"] = free_port();
  root["takers"].as_object()["maker_key_file"] = dir + "/maker.key";
  root["takers"].as_object()["zeroex"].as_object()["port"] = 0;
  root["hedging"].as_object()["metrics"].as_object()["port"] = 0;
  std::string config = dir + "/aqueduct.json";
  std::ofstream(config) << json::serialize(cfg);
  std::ofstream(dir + "/maker.key") << key_hex;
  std::filesystem::permissions(
      dir + "/maker.key",
      std::filesystem::perms::owner_read | std::filesystem::perms::owner_write);
  return config;
}

}  // namespace

TEST_CASE("aqueduct run --demo on the local chain: 0x and Hashflow settle on-chain, on the tape") {
  testing::LocalChain chain;
  testing::TestDatabase db;
  testing::TempDir tmp("aq-demo-chain");
  std::string dir = tmp.str();
  std::string config = shipped_config(dir, testing::kChainMakerKey);
  ScopedEnv db_env("AQUEDUCT_DATABASE_URL", db.url());
  ScopedEnv file("AQ_DEMO_CHAIN_FILE", chain.deployment_file());
  ScopedEnv tools("AQ_DEMO_CHAIN_TOOLS", std::string(AQ_SOURCE_DIR) + "/tests/chain");
  ScopedEnv rpc("AQ_DEMO_CHAIN_RPC", chain.http_url());
  ScopedEnv ws("AQ_DEMO_CHAIN_WS", chain.ws_url());

  std::vector<Process> procs;
  ProcessGuard guard{procs};
  procs.push_back(spawn(
      "demo", {AQ_BINARY, "run", "--demo", "--demo-interval-ms", "300", "--config", config}, dir));
  auto out = [&] { return read_file(procs[0].log); };
  auto confirmed = [&](const char* protocol) {
    return db.scalar("SELECT count(*) FROM fills WHERE protocol = '" + std::string(protocol) +
                     "' AND settlement = 'confirmed' AND tx_hash IS NOT NULL");
  };
  bool both = testing::wait_until(
      [&] { return confirmed("zeroex") != "0" && confirmed("hashflow") != "0"; }, 90'000ms);
  if (!both) MESSAGE("demo output:\n" << out());
  REQUIRE(both);
  auto tape = out();
  CHECK(tape.find("chain anvil                watched: id 31337") != std::string::npos);
  CHECK(tape.find("[chain]    taker 0x") != std::string::npos);
  CHECK(tape.find("sent fillRfqOrder: tx 0x") != std::string::npos);
  CHECK(tape.find("1 RfqOrderFilled event") != std::string::npos);
  CHECK(tape.find("HashflowRouter.tradeRFQT: tx 0x") != std::string::npos);
  CHECK(tape.find("1 Trade event from the pool") != std::string::npos);
  CHECK(tape.find("[0x]       event matched: fill f_") != std::string::npos);
  CHECK(tape.find("[hashflow] event matched: fill f_") != std::string::npos);
  CHECK(tape.find("confirmed: 2 blocks deep") != std::string::npos);
  CHECK(tape.find("[fill]") != std::string::npos);
  CHECK(tape.find("[hedge]") != std::string::npos);
  // Every on-chain fill carries its transaction; none is native.
  CHECK(db.scalar("SELECT count(*) FROM fills WHERE protocol IN ('zeroex', 'hashflow') AND "
                  "settlement = 'native'") == "0");
  CHECK(db.scalar("SELECT count(*) FROM chain_events WHERE event = '0x RfqOrderFilled' AND "
                  "outcome = 'record_fill'") != "0");
  CHECK(testing::stop(procs[0]) == 0);
}

// `aqueduct run` on the shipped config with no node URL for its chain, on its own record.
struct RunWithoutNode {
  testing::TestDatabase db;
  testing::TempDir tmp{"aq-no-chain"};
  std::string config = shipped_config(tmp.str(), testing::kChainMakerKey);
  ScopedEnv db_env{"AQUEDUCT_DATABASE_URL", db.url()};
  ScopedEnv no_node{"AQ_ETH_RPC_URL", ""};
  std::vector<Process> procs;
  ProcessGuard guard{procs};
  RunWithoutNode() {
    procs.push_back(spawn("run", {AQ_BINARY, "run", "--config", config}, tmp.str()));
  }
  std::string out() const { return read_file(procs[0].log); }
  bool logged(const std::string& text) {
    return testing::wait_until([&] { return out().find(text) != std::string::npos; }, 30'000ms);
  }
};

TEST_CASE("without its node's URL the chain is not followed: on-chain protocols are off, and why") {
  RunWithoutNode run;
  REQUIRE(run.logged("Ctrl-C stops"));
  auto banner = run.out();
  CHECK_MESSAGE(banner.find("on-chain protocols         off: no node for chain ethereum (1): "
                            "set AQ_ETH_RPC_URL to its http(s) URL") != std::string::npos,
                banner);
  CHECK(banner.find("0x RFQ maker API") == std::string::npos);
  CHECK(banner.find("rfq (takers' API)") != std::string::npos);  // native quoting goes on
  CHECK(testing::stop(run.procs[0]) == 0);
}

TEST_CASE("a stop signal while the network starts is a clean shutdown, not a kill") {
  RunWithoutNode run;
  // Logged while the network is built, before the banner: the CI run that found this stopped
  // a process between its banner and its wait, and it died of the signal.
  REQUIRE(run.logged("on-chain protocols"));
  CHECK(testing::stop(run.procs[0]) == 0);
  CHECK_MESSAGE(run.out().find("Aqueduct stopped.") != std::string::npos, run.out());
}
