#pragma once
// Risk alerts to an operator's webhook (Slack, PagerDuty or any HTTP receiver): each risk trip
// and re-arm is POSTed as JSON {"source":"aqueduct.hedging","event":"risk.trip","scope":...,
// "state":...,"why":...,"at_ms":...}. Best effort and never in the way: sent after the trip is
// recorded and acted on, one at a time in order, each with a 5 s deadline; a failure is logged
// at error level (the trip itself is already in audit_log and the error log).
#include <boost/asio/io_context.hpp>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>

#include "aqueduct/net/http_client.hpp"

namespace aq::hedging {

struct WebhookTarget {
  bool tls = false;
  std::string host;
  uint16_t port = 0;
  std::string target = "/";  // path and query
};

// "http://host[:port]/path" or "https://host[:port]/path"; nullopt with `why` set otherwise.
std::optional<WebhookTarget> parse_webhook_url(const std::string& url, std::string* why);

class AlertWebhook {
 public:
  AlertWebhook(boost::asio::io_context& io, const WebhookTarget& target);
  void send(const std::string& event, const std::string& scope, const std::string& state,
            const std::string& why, int64_t at_ns);
  uint64_t sent() const { return sent_; }
  uint64_t failed() const { return failed_; }

 private:
  WebhookTarget target_;
  net::HttpClient http_;
  uint64_t sent_ = 0, failed_ = 0;
  std::shared_ptr<bool> alive_ = std::make_shared<bool>(true);
};

}  // namespace aq::hedging
