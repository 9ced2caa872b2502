#pragma once
// The hedging component's shell: nets fills into exposure, asks the policy for hedges, records
// them and sends them to the router as requests (whose replies are the execution reports),
// and folds the reports back in. One loop, no locks.
#include <boost/asio/io_context.hpp>
#include <boost/asio/steady_timer.hpp>
#include <map>
#include <memory>
#include <string>
#include <zmq.hpp>

#include "aqueduct/bus/bus.hpp"
#include "aqueduct/hedging/exposure.hpp"
#include "aqueduct/hedging/hedge_policy.hpp"
#include "aqueduct/hedging/hedge_store.hpp"

namespace aq::hedging {

struct HedgingOptions {
  PolicyParams policy;
  std::chrono::milliseconds retry_after_empty{250};  // after an IOC that filled nothing
  // How often committed fills that never arrived over the bus are picked up from the record.
  std::chrono::milliseconds fill_sweep_interval{500};
  // A hedge order with no report after this long is sent again (the router deduplicates).
  std::chrono::milliseconds resend_after{2000};
};

class HedgingService {
 public:
  HedgingService(boost::asio::io_context& io, zmq::context_t& zmq, const bus::Endpoints& endpoints,
                 const Universe& universe, std::unique_ptr<HedgeStore> store,
                 HedgingOptions options, Clock clock = wall_clock());
  void start();
  void stop();
  const ExposureBook& exposure() const { return book_; }
  // Fills that reached hedging through the record rather than the bus.
  uint64_t swept_fills() const { return swept_; }

 private:
  struct InFlight {
    std::string asset;
    int64_t signed_position_qty;
    const Instrument* inst;
    bus::Envelope order;
    int64_t sent_ns = 0;
    bool unknown = false;  // the router reported the outcome unknown at least once
  };
  void on_message(std::string_view topic, const bus::Envelope& env);
  void on_fill(const aqueduct::msg::Fill& f);
  void on_execution(const aqueduct::msg::ExecutionReport& r);
  void evaluate(const std::string& asset);
  void publish_position(const std::string& asset, const std::string& cause, bool record = true);
  void sweep_untaken_fills();
  void resend_unanswered();
  const Instrument* hedge_instrument(const std::string& asset) const;

  boost::asio::io_context& io_;
  const Universe& universe_;
  std::unique_ptr<HedgeStore> store_;
  HedgingOptions options_;
  Clock clock_;
  bus::Subscriber sub_;
  bus::Publisher pub_;
  bus::RpcClient router_;
  ExposureBook book_;
  std::map<std::string, InFlight> in_flight_;
  std::map<std::string, std::unique_ptr<boost::asio::steady_timer>> retry_timers_;
  boost::asio::steady_timer sweep_timer_;
  boost::asio::steady_timer resend_timer_;
  uint64_t swept_ = 0;
  std::shared_ptr<bool> alive_ = std::make_shared<bool>(true);
};

}  // namespace aq::hedging
