#pragma once
// `aqueduct run --demo`, for the aggregators' protocols: Hashflow-style and Bebop-style servers
// (the stand-ins of tests/standins) on loopback with our makers connected to them, and a taker
// for each protocol trading in turn. With the local chain ops/run --demo starts (DemoChain),
// 0x and Hashflow settle on it: a 0x RFQ-T order filled by the taker's transaction on the real
// Exchange Proxy, a Hashflow rfqTQuote traded through the real router; the tape shows the
// transaction, the event, the fill and its confirmation. Without it, a 0x last-look submit and
// the stand-ins' trade messages stand for settlement (takers.settlement "unwatched"). Bebop is
// always a stand-in (see the README: reconciled by its trade stream). The fills and the hedges
// they cause are printed by the DemoTaker's tape, as the native taker's are.
#include <atomic>
#include <chrono>
#include <functional>
#include <memory>
#include <random>
#include <string>
#include <thread>

#include "aqueduct/app/config.hpp"
#include "aqueduct/eth/hex.hpp"

namespace aq::standins {
class HashflowServer;
class BebopServer;
struct HashflowRfq;
struct HashflowQuoteCheck;
}  // namespace aq::standins

namespace aq::app {

class Network;
class DemoChain;

class ProtocolDemo {
 public:
  using Print = std::function<void(const std::string& line)>;
  // Starts the stand-ins and points `config`'s takers block at them: the tokens and the 0x
  // listener are added if the config has none, Hashflow and Bebop are enabled on loopback, and
  // every protocol key is a fresh random one for this run.
  explicit ProtocolDemo(AppConfig& config);
  ~ProtocolDemo();
  // Once the network runs: a taker thread, one protocol per interval.
  // `db_url`: the record, where the demo watches chain fills get confirmed.
  void start(const Network& network, std::chrono::milliseconds interval, Print print,
             std::string db_url);
  void stop();

 private:
  void run();
  void zeroex_round();
  void hashflow_round();
  bool ask_hashflow(standins::HashflowRfq& r, standins::HashflowQuoteCheck& q);
  // With the local chain: the taker's transaction, its event, the fill and its confirmation.
  void zeroex_chain_round();
  void hashflow_chain_round();
  void follow_settlement(const std::string& tag, const std::string& quote_id);
  void bebop_round();

  const AppConfig& config_;
  std::unique_ptr<DemoChain> chain_;  // started by ops/run --demo, else none
  std::string db_url_;
  eth::Address maker_;
  uint16_t zeroex_port_ = 0;
  std::string zeroex_key_;
  std::unique_ptr<standins::HashflowServer> hashflow_;
  std::unique_ptr<standins::BebopServer> bebop_;
  std::chrono::milliseconds interval_{1000};
  Print print_;
  std::thread thread_;
  std::atomic<bool> stop_{false};
  std::mt19937_64 rng_{11};
  uint64_t round_ = 0;
};

}  // namespace aq::app
