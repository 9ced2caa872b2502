#include "aqueduct/app/feeds.hpp"

#include "aqueduct/bus/clock.hpp"
#include "aqueduct/connectors/binance/market_data_session.hpp"
#include "aqueduct/connectors/binance/order_protocol.hpp"
#include "aqueduct/connectors/bitmex/order_protocol.hpp"
#include "aqueduct/connectors/bitmex/stream_protocol.hpp"
#include "aqueduct/connectors/bybit/order_protocol.hpp"
#include "aqueduct/connectors/bybit/stream_protocol.hpp"
#include "aqueduct/connectors/coinbase/stream_protocol.hpp"
#include "aqueduct/connectors/okx/order_protocol.hpp"
#include "aqueduct/connectors/okx/stream_protocol.hpp"
#include "aqueduct/connectors/stream_session.hpp"
#include "aqueduct/connectors/verified_feed.hpp"
#include "aqueduct/net/tls.hpp"

namespace aq::app {

namespace {
std::string record_path(const VenueConfig& v, const std::string& what) {
  if (v.record_dir.empty()) return {};
  return v.record_dir + "/" + v.name + "-" + what + "-" + std::to_string(wall_now_ns() / 1'000'000) + ".jsonl";
}
}  // namespace

namespace {
// Each session starts only after the venue's metadata confirms its instruments.
std::vector<std::unique_ptr<connectors::BookFeed>> verified(boost::asio::io_context& io, const VenueConfig& v,
                                                            std::vector<std::unique_ptr<connectors::BookFeed>> feeds,
                                                            connectors::BookListener& listener) {
  if (!v.verify_metadata) return feeds;
  auto tls = net::make_client_tls({v.tls, v.tls_ca_file, ""});
  for (auto& f : feeds)
    f = std::make_unique<connectors::VerifiedFeed>(io, v.protocol, v.host, v.port, std::move(f), listener,
                                                   std::chrono::seconds(30), tls);
  return feeds;
}
}  // namespace

std::unique_ptr<connectors::StreamProtocol> make_stream_protocol(const std::string& protocol,
                                                                 std::vector<Instrument> instruments) {
  if (protocol == "okx") return std::make_unique<okx::StreamProtocol>(std::move(instruments));
  if (protocol == "bybit") return std::make_unique<bybit::StreamProtocol>(std::move(instruments));
  if (protocol == "bitmex") return std::make_unique<bitmex::StreamProtocol>(std::move(instruments));
  if (protocol == "coinbase") return std::make_unique<coinbase::StreamProtocol>(std::move(instruments));
  throw std::invalid_argument("protocol '" + protocol + "' is not a subscription stream; choose okx, bybit, bitmex or coinbase");
}

std::unique_ptr<connectors::OrderProtocol> make_order_protocol(const std::string& protocol,
                                                               connectors::VenueCredentials creds) {
  if (protocol == "binance_spot") return std::make_unique<binance::OrderProtocol>(binance::Market::Spot, std::move(creds));
  if (protocol == "binance_usdm")
    return std::make_unique<binance::OrderProtocol>(binance::Market::UsdmFutures, std::move(creds));
  if (protocol == "okx") return std::make_unique<okx::OrderProtocol>(std::move(creds));
  if (protocol == "bybit") return std::make_unique<bybit::OrderProtocol>(std::move(creds));
  if (protocol == "bitmex") return std::make_unique<bitmex::OrderProtocol>(std::move(creds));
  return nullptr;
}

std::vector<std::unique_ptr<connectors::BookFeed>> make_feeds(boost::asio::io_context& io, const VenueConfig& v,
                                                              const Universe& universe,
                                                              connectors::BookListener& listener,
                                                              connectors::PerpListener* perp_listener,
                                                              connectors::TopListener* top_listener) {
  std::vector<Instrument> insts;
  for (const auto& i : universe.instruments)
    if (i.venue == v.name) insts.push_back(i);
  std::vector<std::unique_ptr<connectors::BookFeed>> out;
  if (insts.empty()) return out;
  auto tls = net::make_client_tls({v.tls, v.tls_ca_file, ""});

  if (v.protocol == "binance_spot" || v.protocol == "binance_usdm") {
    // One request-weight budget for all of this venue's sessions (they share an IP).
    auto limiter = std::make_shared<connectors::RateLimiter>(
        v.protocol == "binance_spot" ? connectors::RateLimiter::binance_spot() : connectors::RateLimiter::binance_usdm());
    for (const auto& inst : insts) {
      binance::SessionOptions s;
      s.host = v.host;
      s.port = v.port;
      s.stale_after = v.stale_after;
      if (v.protocol == "binance_usdm") {
        s.chain = binance::Chain::UsdmFutures;
        s.depth_path = "/fapi/v1/depth";
      }
      s.record_path = record_path(v, inst.symbol);
      s.limiter = limiter;
      s.tls = tls;
      out.push_back(std::make_unique<binance::MarketDataSession>(io, inst, s, listener, wall_clock(), perp_listener,
                                                                 top_listener));
    }
    return verified(io, v, std::move(out), listener);
  }

  connectors::StreamSessionOptions s;
  s.host = v.host;
  s.port = v.port;
  s.stale_after = v.stale_after;
  s.tls = tls;
  auto add = [&](std::unique_ptr<connectors::StreamProtocol> p, const std::string& what) {
    s.record_path = record_path(v, what);
    out.push_back(std::make_unique<connectors::StreamSession>(io, std::move(p), s, listener, wall_clock(), perp_listener,
                                                               top_listener));
  };
  if (v.protocol == "bybit") {
    // One connection per category: spot and linear live on different endpoints.
    std::vector<Instrument> spot, linear;
    for (auto& i : insts) (i.kind == InstrumentKind::Spot ? spot : linear).push_back(i);
    if (!spot.empty()) add(std::make_unique<bybit::StreamProtocol>(spot), "spot");
    if (!linear.empty()) add(std::make_unique<bybit::StreamProtocol>(linear), "linear");
  } else {
    add(make_stream_protocol(v.protocol, insts), "books");
  }
  return verified(io, v, std::move(out), listener);
}

}  // namespace aq::app
