#pragma once
// The built-in demo taker for `aqueduct run --demo`: every interval it asks for a firm quote,
// accepts it, and prints one line per quote -> fill -> hedge -> execution -> position, the
// latter three read off the bus as hedging and the router publish them.
#include <boost/asio/io_context.hpp>
#include <boost/asio/steady_timer.hpp>
#include <functional>
#include <memory>
#include <boost/json/object.hpp>
#include <random>
#include <string>
#include <zmq.hpp>

#include "aqueduct/app/config.hpp"
#include "aqueduct/bus/bus.hpp"
#include "aqueduct/net/http_client.hpp"
#include "aqueduct/rfq/native_auth.hpp"

namespace aq::app {

class DemoTaker {
 public:
  using Print = std::function<void(const std::string& line)>;
  DemoTaker(boost::asio::io_context& io, zmq::context_t& zmq, const AppConfig& config,
            uint16_t rfq_port, rfq::NativeCredentials credentials, std::chrono::milliseconds interval, Print print);
  void start();
  void stop();
  uint64_t fills() const { return fills_; }

 private:
  void tick();
  std::vector<std::pair<std::string, std::string>> signed_headers(const std::string& target,
                                                                  const std::string& body) const;
  void on_tape(std::string_view topic, const bus::Envelope& env);

  boost::asio::io_context& io_;
  const AppConfig& config_;
  rfq::NativeCredentials credentials_;
  std::chrono::milliseconds interval_;
  Print print_;
  net::HttpClient http_;
  bus::Subscriber tape_;
  boost::asio::steady_timer timer_;
  std::mt19937_64 rng_{7};
  uint64_t fills_ = 0;
  uint64_t n_ = 0;
  std::shared_ptr<bool> alive_ = std::make_shared<bool>(true);
};

// The breakdown of a quote (the "breakdown" object of /v1/quote) as two lines: every term in
// the order it adds up to the price, then the statistics and the venues it would hedge on.
std::string breakdown_lines(bool ask, const boost::json::object& breakdown);

}  // namespace aq::app
