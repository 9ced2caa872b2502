#include "aqueduct/hedging/alert_webhook.hpp"

#include <spdlog/spdlog.h>

#include <boost/json.hpp>

#include "aqueduct/net/tls.hpp"

namespace aq::hedging {

std::optional<WebhookTarget> parse_webhook_url(const std::string& url, std::string* why) {
  auto fail = [&](const std::string& w) -> std::optional<WebhookTarget> {
    if (why) *why = w;
    return std::nullopt;
  };
  WebhookTarget t;
  std::string rest;
  if (url.rfind("http://", 0) == 0) {
    rest = url.substr(7);
  } else if (url.rfind("https://", 0) == 0) {
    t.tls = true;
    rest = url.substr(8);
  } else {
    return fail("'" + url + "' must start with http:// or https://");
  }
  auto slash = rest.find('/');
  std::string authority = rest.substr(0, slash);
  t.target = slash == std::string::npos ? "/" : rest.substr(slash);
  auto colon = authority.rfind(':');
  t.host = authority.substr(0, colon);
  t.port = t.tls ? 443 : 80;
  if (colon != std::string::npos) {
    std::string p = authority.substr(colon + 1);
    if (p.empty() || p.size() > 5 || p.find_first_not_of("0123456789") != std::string::npos ||
        std::stoi(p) < 1 || std::stoi(p) > 65535)
      return fail("'" + url + "' has a bad port (1..65535)");
    t.port = static_cast<uint16_t>(std::stoi(p));
  }
  if (t.host.empty() || t.host.find_first_of("@ ") != std::string::npos)
    return fail("'" + url + "' has no usable host (credentials in the URL are not accepted)");
  return t;
}

AlertWebhook::AlertWebhook(boost::asio::io_context& io, const WebhookTarget& target)
    : target_(target),
      http_(io, target.host, target.port, std::chrono::milliseconds(5000),
            target.tls ? net::make_client_tls({true, "", ""}) : nullptr) {}

void AlertWebhook::send(const std::string& event, const std::string& scope,
                        const std::string& state, const std::string& why, int64_t at_ns) {
  boost::json::object body{{"source", "aqueduct.hedging"},
                           {"event", event},
                           {"scope", scope},
                           {"state", state},
                           {"why", why},
                           {"at_ms", at_ns / 1'000'000}};
  http_.request(boost::beast::http::verb::post, target_.target, boost::json::serialize(body),
                {{"Content-Type", "application/json"}},
                [this, event, scope, alive = alive_](net::HttpResult r) {
                  if (!*alive) return;
                  if (r.ok()) {
                    ++sent_;
                    return;
                  }
                  ++failed_;
                  spdlog::error("hedging: alert webhook {}:{} refused the {} alert for {}: {}",
                                target_.host, target_.port, event, scope,
                                r.error ? r.error.message() : "HTTP " + std::to_string(r.status));
                });
}

}  // namespace aq::hedging
