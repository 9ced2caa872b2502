#pragma once
// The network's configuration, read from one JSON file (ops/config/aqueduct.json by default).
// Secrets are never in the file: it names the environment variables that hold them.
#include <chrono>
#include <cstdint>
#include <string>
#include <vector>

#include "aqueduct/bus/endpoints.hpp"
#include "aqueduct/hedging/hedging_service.hpp"
#include "aqueduct/pricer/pricer_service.hpp"
#include "aqueduct/rfq/native_options.hpp"
#include "aqueduct/rfq/takers_config.hpp"
#include "aqueduct/sim/binance_sim.hpp"
#include "aqueduct/sim/fault_script.hpp"
#include "aqueduct/sim/reference_path.hpp"
#include "aqueduct/types/instrument.hpp"

namespace aq::app {

struct VenueConfig {
  std::string name;
  // The wire protocol: binance_spot, binance_usdm, okx, bybit, bitmex or coinbase. Defaults to
  // the venue's name ("binance" means binance_spot).
  std::string protocol;
  std::string host = "127.0.0.1";
  uint16_t port = 0;  // 0 with the simulator enabled: the simulator's port
  std::string api_key_env;
  std::string api_secret_env;
  std::string api_passphrase_env;  // OKX only
  std::chrono::milliseconds stale_after{1000};
  int64_t max_book_age_ms = 0;  // pricing: older books are left out; 0 = the pricer's default
  std::string record_dir;  // when set, raw market data is recorded under it (replayable)
  int64_t sim_lag_ms = 0;  // how late this venue's simulator follows the shared reference path
  // What the simulator's derivatives account for this venue starts with, in its perps' settle
  // coin (decimal text); empty: the simulator keeps no account and answers account reads
  // with the venue's server error.
  std::string sim_collateral;
  // Confirm every instrument against the venue's metadata endpoint before trusting its books.
  bool verify_metadata = true;
  bool tls = false;         // HTTPS/WSS with verification (real venues); the simulator is plain
  std::string tls_ca_file;  // trust store for `tls`; empty: the system's
};

struct AppConfig {
  std::string rfq_listen = "127.0.0.1";
  uint16_t rfq_port = 8080;
  std::chrono::milliseconds pricer_timeout{250};
  int64_t rfq_rate_limit_per_s = 50;  // per client, unless the client's record says otherwise
  rfq::NativeOptions native;  // client-key master secret, signature window, level streams
  // A takers' HTTP client (native or 0x) slower than this to send a whole request is cut off.
  std::chrono::milliseconds rfq_read_timeout{10'000};
  // The same indicative ask within this long is answered from the last answer (0: never).
  std::chrono::milliseconds indicative_cache{50};
  bus::Endpoints endpoints;
  // bus.curve_secret_env: the environment variable holding the deployment's bus secret key
  // (CURVE, Z85). Required when any endpoint is tcp://; empty: none (inproc, or ipc guarded
  // by its socket files' permissions).
  std::string bus_curve_secret_env;
  bool sim_enabled = true;
  std::string sim_listen = "127.0.0.1";
  uint16_t sim_port = 0;
  uint64_t sim_seed = 42;
  std::chrono::milliseconds sim_tick{100};
  int64_t sim_funding_interval_ms = 8 * 3600 * 1000;  // perps' funding settlements
  std::vector<sim::SimInstrument> sim_instruments;
  // The shared reference path (correlated assets, lead-lag between venues); empty = each
  // simulated instrument walks alone.
  std::vector<sim::AssetVolatility> sim_assets;
  double sim_correlation = 0.8;
  int64_t sim_path_step_ms = 100;
  // Faults the simulators play on schedule (a flash crash on one venue, a silent feed, ...).
  std::vector<sim::ScriptedFault> sim_faults;
  std::vector<VenueConfig> venues;
  Universe universe;
  int64_t max_book_age_ms = 2000;
  // Per-listing pricing parameters, ladders and client tiers (the "pricer" block and each
  // listing's "pricing" block).
  pricer::PricerConfig pricer;
  // The "hedging" block: retry pause, holding time and legs of a plan, the bound on unknown
  // outcomes, and the risk limits.
  hedging::HedgingOptions hedging;
  // hedging.cpu: the CPU kept for the hedging loop (and the router when it shares it); every
  // other thread of the process runs on the remaining CPUs. -1: not pinned.
  int hedging_cpu = -1;
  // hedging.busy_poll: the hedging loop polls without sleeping on its kept CPU (needs
  // hedging.cpu). It takes that whole CPU; in exchange a fill never waits for the thread to
  // wake, and the CPU never idles into a cold cache between fills.
  bool hedging_busy_poll = false;
  // router.account_interval_ms: how often the router reads each venue's derivatives account
  // (and at once when hedging starts and asks).
  std::chrono::milliseconds router_account_interval{5000};
  // The takers' protocols (the "takers" block): chain, maker key, tokens, aggregator gateways.
  rfq::TakersConfig takers;

  const VenueConfig* venue(const std::string& name) const {
    for (const auto& v : venues)
      if (v.name == name) return &v;
    return nullptr;
  }
};

// Throws std::runtime_error naming the file, the field and what is allowed.
AppConfig load_config(const std::string& path);
AppConfig parse_config(const std::string& json_text, const std::string& origin = "config");

}  // namespace aq::app
