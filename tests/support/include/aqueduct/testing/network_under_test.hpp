#pragma once
// The whole network in this process against its venue simulators, with a private database
// and one native client of the takers: what the end-to-end hedging tests start from. The
// members are public so that a test reads the record, drives the simulators and places fills
// without another layer of names in between.
#include <chrono>
#include <initializer_list>
#include <string>

#include <zmq.hpp>

#include "aqueduct/app/network.hpp"
#include "aqueduct/rfq/native_auth.hpp"
#include "aqueduct/sim/binance_sim.hpp"
#include "aqueduct/testing/native_client.hpp"
#include "aqueduct/testing/taker_flow.hpp"
#include "aqueduct/testing/test_database.hpp"

namespace aq::testing {

class NetworkUnderTest {
 public:
  // Starts the network for `config_json` ("all" components). `venue_env` names the venues
  // whose credentials the config reads from AQ_TEST_<NAME>_KEY / AQ_TEST_<NAME>_SECRET; each
  // is set (to values derived from `client_id`) before anything starts.
  NetworkUnderTest(const std::string& config_json, const std::string& client_id,
                   std::initializer_list<const char*> venue_env = {"BINANCE"});
  NetworkUnderTest(const NetworkUnderTest&) = delete;
  NetworkUnderTest& operator=(const NetworkUnderTest&) = delete;

  // What the simulator `sim` holds for `symbol`, read on the simulators' own thread.
  sim::BinanceSim::Account account(sim::BinanceSim& sim, const std::string& symbol);

  TestDatabase db;
  rfq::NativeCredentials key;
  zmq::context_t zmq;
  app::Network net;
  NativeClient client;  // after `net`: its port is known once the network has started
  TakerFlow takers{client};
};

// `columns` (a SQL expression over hedge_orders) of the first hedge order recorded, waiting up
// to `within` for one; "" if none was.
std::string first_hedge_order(const TestDatabase& db, const std::string& columns,
                              std::chrono::milliseconds within = std::chrono::milliseconds(5000));

}  // namespace aq::testing
