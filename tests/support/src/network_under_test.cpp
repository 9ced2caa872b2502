#include "aqueduct/testing/network_under_test.hpp"

#include <cstdlib>

#include "aqueduct/testing/wait.hpp"

namespace aq::testing {

namespace {

// Runs in the member initialisers, before `net` is constructed: the connectors and the
// simulators read their credentials from the environment.
rfq::NativeCredentials prepare(const TestDatabase& db, const std::string& client_id,
                               std::initializer_list<const char*> venue_env) {
  for (const char* venue : venue_env) {
    std::string prefix = std::string("AQ_TEST_") + venue;
    setenv((prefix + "_KEY").c_str(), ("k-" + client_id).c_str(), 1);
    setenv((prefix + "_SECRET").c_str(), ("s-" + client_id).c_str(), 1);
  }
  return add_native_client(db.url(), client_id);
}

uint16_t start(app::Network& net) {
  net.start();
  return net.rfq_port();
}

}  // namespace

NetworkUnderTest::NetworkUnderTest(const std::string& config_json, const std::string& client_id,
                                   std::initializer_list<const char*> venue_env)
    : key(prepare(db, client_id, venue_env)),
      net(app::parse_config(config_json), app::parse_components("all"), zmq, db.url()),
      client{start(net), key} {}

sim::BinanceSim::Account NetworkUnderTest::account(sim::BinanceSim& sim,
                                                   const std::string& symbol) {
  sim::BinanceSim::Account a;
  net.run_on(app::Component::Simulator, [&] { a = sim.account(symbol); });
  return a;
}

std::string first_hedge_order(const TestDatabase& db, const std::string& columns,
                              std::chrono::milliseconds within) {
  wait_until([&] { return db.scalar("SELECT count(*) FROM hedge_orders") != "0"; }, within);
  return db.scalar("SELECT " + columns + " FROM hedge_orders ORDER BY created_at LIMIT 1");
}

}  // namespace aq::testing
