#pragma once
// Wires the components of one process together: each selected component gets its own
// io_context on its own thread (one event loop per component) and they talk only over the
// bus, except the router, which shares hedging's loop when both run here and is called
// directly by it (the fill-to-order path has no thread hop). With every component selected and inproc endpoints, this is the whole network in one
// process; with a subset and ipc/tcp endpoints, one process of a distributed deployment.
#include <boost/asio/io_context.hpp>
#include <functional>
#include <map>
#include <memory>
#include <set>
#include <string>
#include <thread>
#include <vector>
#include <zmq.hpp>

#include "aqueduct/app/config.hpp"
#include "aqueduct/bus/bus_security.hpp"
#include "aqueduct/sim/stream_sim.hpp"

namespace aq::sim { class BinanceSim; }
namespace aq::connectors { class ConnectorService; }
namespace aq::pricer { class PricerService; }
namespace aq::rfq { class RfqService; }
namespace aq::hedging { class HedgingService; }
namespace aq::router { class RouterService; }

namespace aq::app {

enum class Component { Simulator, Connectors, Pricer, Rfq, Hedging, Router };
const char* to_string(Component c);
// Parses "sim,connectors,pricer,rfq,hedging,router" or "all"; throws naming the bad entry.
std::set<Component> parse_components(const std::string& list);

class Network {
 public:
  Network(AppConfig config, std::set<Component> components, zmq::context_t& zmq,
          std::string database_url);
  ~Network();
  Network(const Network&) = delete;
  Network& operator=(const Network&) = delete;

  // Builds every component (binding its sockets) and starts their loops.
  void start();
  // Stops every loop and joins its thread; idempotent.
  void stop();

  uint16_t rfq_port() const;
  rfq::RfqService* rfq() { return rfq_.get(); }
  hedging::HedgingService* hedging() { return hedging_.get(); }
  uint16_t sim_port() const;
  uint16_t usdm_sim_port() const;
  sim::BinanceSim* simulator() { return sim_.get(); }
  sim::BinanceSim* usdm_simulator() { return usdm_sim_.get(); }
  // The simulator of a subscription-stream venue (okx, bybit, bitmex, coinbase) by venue name.
  sim::StreamSim* stream_simulator(const std::string& venue) {
    auto it = stream_sims_.find(venue);
    return it == stream_sims_.end() ? nullptr : it->second.get();
  }
  const std::map<std::string, std::unique_ptr<sim::StreamSim>>& stream_simulators() const { return stream_sims_; }
  const AppConfig& config() const { return config_; }
  // Runs `f` on the given component's loop and waits for it (for tests and inspection).
  void run_on(Component c, const std::function<void()>& f);

 private:
  struct Loop {
    Component component;
    std::unique_ptr<boost::asio::io_context> io;
    std::thread thread;
  };
  boost::asio::io_context& loop_for(Component c);
  Component loop_owner(Component c) const;  // whose loop c runs on
  // Plays a scripted fault on its venue's simulator at its time (and ends a timed one).
  void schedule_fault(boost::asio::io_context& io, const sim::ScriptedFault& f);

  AppConfig config_;
  std::set<Component> components_;
  zmq::context_t& zmq_;
  // The bus key on zmq_ (bus.curve_secret_env), before any socket and after the last.
  std::unique_ptr<bus::BusSecurity> bus_security_;
  std::string database_url_;
  std::vector<Loop> loops_;
  std::unique_ptr<sim::BinanceSim> sim_;       // Binance spot face
  std::unique_ptr<sim::BinanceSim> usdm_sim_;  // Binance USD-M futures face, if configured
  std::map<std::string, std::unique_ptr<sim::StreamSim>> stream_sims_;  // by venue name
  std::unique_ptr<connectors::ConnectorService> connectors_;
  std::unique_ptr<pricer::MarkoutRecorder> markouts_;  // declared first: outlives the pricer
  std::unique_ptr<pricer::PricerService> pricer_;
  std::unique_ptr<rfq::RfqService> rfq_;
  std::unique_ptr<hedging::HedgingService> hedging_;
  std::unique_ptr<router::RouterService> router_;
  bool started_ = false;
  bool stopped_ = false;
};

}  // namespace aq::app
