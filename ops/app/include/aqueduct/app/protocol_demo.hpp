#pragma once
// `aqueduct run --demo`, for the aggregators' protocols: Hashflow-style and Bebop-style servers
// (the stand-ins of tests/standins) on loopback with our makers connected to them, and a taker
// for each protocol trading in turn — a 0x firm quote and last-look submit, a Hashflow rfqT and
// its trade, a Bebop taker_quote and its settlement. The fills and the hedges they cause are
// printed by the DemoTaker's tape, as the native taker's are.
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
}  // namespace aq::standins

namespace aq::app {

class Network;

class ProtocolDemo {
 public:
  using Print = std::function<void(const std::string& line)>;
  // Starts the stand-ins and points `config`'s takers block at them: the tokens and the 0x
  // listener are added if the config has none, Hashflow and Bebop are enabled on loopback, and
  // every protocol key is a fresh random one for this run.
  explicit ProtocolDemo(AppConfig& config);
  ~ProtocolDemo();
  // Once the network runs: a taker thread, one protocol per interval.
  void start(const Network& network, std::chrono::milliseconds interval, Print print);
  void stop();

 private:
  void run();
  void zeroex_round();
  void hashflow_round();
  void bebop_round();

  const AppConfig& config_;
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
