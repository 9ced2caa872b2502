#pragma once
// Binance order entry over signed REST: limit IOC with a client order id, and the outcome
// policy hedging relies on — a transport failure after the request may have been sent leaves
// the order UNKNOWN and it is reconciled by querying the order by its client id, never
// assumed rejected. So do a 5xx, a 429/418 rate-limit answer and a "Duplicate order": the
// query by client id says what happened ("Order does not exist" = it never reached the book).
#include <boost/asio/io_context.hpp>
#include <boost/asio/steady_timer.hpp>
#include <functional>
#include <memory>
#include <string>

#include "aqueduct/bus/clock.hpp"
#include "aqueduct/connectors/binance/parse.hpp"
#include "aqueduct/connectors/binance/signing.hpp"
#include "aqueduct/connectors/rate_limiter.hpp"
#include "aqueduct/msg/trading.pb.h"
#include "aqueduct/net/http_client.hpp"

namespace aq::binance {

struct Credentials {
  std::string api_key;
  std::string api_secret;
};

using connectors::OrderOutcome;

// Maps a Binance order status string to ours; "EXPIRED" with fills is an IOC remainder.
aqueduct::msg::OrderStatus map_status(const std::string& binance_status);

class OrderEntry {
 public:
  using Callback = std::function<void(OrderOutcome)>;

  OrderEntry(boost::asio::io_context& io, std::string host, uint16_t port, Credentials creds,
             Clock clock = wall_clock(), std::chrono::milliseconds timeout = std::chrono::milliseconds(5000),
             std::shared_ptr<connectors::RateLimiter> limiter = nullptr,
             std::shared_ptr<boost::asio::ssl::context> tls = nullptr);
  ~OrderEntry();
  void place_limit_ioc(const NewOrder& order, const Instrument& inst, Callback cb);

 private:
  void reconcile(NewOrder order, Instrument inst, Callback cb, int attempt);
  void note_response(const net::HttpResult& r);
  OrderOutcome outcome_from(const net::HttpResult& r, const Instrument& inst);

  boost::asio::io_context& io_;
  net::HttpClient http_;
  Credentials creds_;
  Clock clock_;
  std::shared_ptr<connectors::RateLimiter> limiter_;  // shared by everything using this account
  std::shared_ptr<bool> alive_ = std::make_shared<bool>(true);
};

}  // namespace aq::binance
