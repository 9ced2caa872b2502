#include "aqueduct/sim/binance_sim.hpp"

#include "binance_market.hpp"

#include <algorithm>
#include <boost/asio/post.hpp>
#include <boost/json.hpp>
#include <boost/beast/websocket.hpp>
#include <spdlog/spdlog.h>

#include "aqueduct/bus/clock.hpp"
#include "aqueduct/connectors/binance/parse.hpp"
#include "aqueduct/net/hmac.hpp"
#include "aqueduct/net/url.hpp"
#include "aqueduct/sim/perp_marks.hpp"
#include "aqueduct/net/ws_session.hpp"

namespace aq::sim {

namespace beast = boost::beast;
namespace http = beast::http;
namespace websocket = beast::websocket;


BinanceSim::BinanceSim(boost::asio::io_context& io, BinanceSimOptions options)
    : io_(io),
      options_(std::move(options)),
      server_(io, net::HttpServerOptions{options_.address, options_.port},
              [this](const net::HttpRequest& r, net::HttpServer::Respond cb) {
                handle(r, std::move(cb));
              }),
      timer_(io) {
  uint64_t seed = options_.seed;
  for (const auto& si : options_.instruments) {
    markets_[si.instrument.symbol] = std::make_unique<Market>(si, seed++, options_.path);
  }
  server_.on_upgrade([this](beast::tcp_stream s, net::HttpRequest r) {
    on_upgrade(std::move(s), std::move(r));
  });
}

BinanceSim::~BinanceSim() { *alive_ = false; }

void BinanceSim::start() {
  server_.start();
  on_tick();
}

void BinanceSim::stop() {
  *alive_ = false;
  timer_.cancel();
  server_.stop();
  for (auto& [_, m] : markets_)
    for (auto& s : m->subscribers) s->close();
}

BinanceSim::Market* BinanceSim::market(const std::string& symbol) {
  std::string up = symbol;
  std::transform(up.begin(), up.end(), up.begin(), [](unsigned char c) { return std::toupper(c); });
  auto it = markets_.find(up);
  return it == markets_.end() ? nullptr : it->second.get();
}

void BinanceSim::inject_gap(const std::string& symbol) {
  boost::asio::post(io_, [this, symbol, alive = alive_] {
    if (!*alive) return;
    if (auto* m = market(symbol)) {
      if (options_.dialect == BinanceDialect::Spot) m->skip_next = 5;
      else m->drop_next = true;
    }
  });
}

void BinanceSim::set_silent(const std::string& symbol, bool on) {
  boost::asio::post(io_, [this, symbol, on, alive = alive_] {
    if (!*alive) return;
    if (auto* m = market(symbol)) m->silent = on;
  });
}

void BinanceSim::set_frozen(const std::string& symbol, bool on) {
  boost::asio::post(io_, [this, symbol, on, alive = alive_] {
    if (!*alive) return;
    if (auto* m = market(symbol)) m->frozen = on;
  });
}

void BinanceSim::jump_bps(const std::string& symbol, int64_t bps) {
  boost::asio::post(io_, [this, symbol, bps, alive = alive_] {
    if (!*alive) return;
    if (auto* m = market(symbol)) m->process.jump_bps(bps);
  });
}

void BinanceSim::drop_next(const std::string& symbol) {
  boost::asio::post(io_, [this, symbol, alive = alive_] {
    if (!*alive) return;
    if (auto* m = market(symbol)) m->drop_once = true;
  });
}

void BinanceSim::duplicate_next(const std::string& symbol) {
  boost::asio::post(io_, [this, symbol, alive = alive_] {
    if (!*alive) return;
    if (auto* m = market(symbol)) m->duplicate = true;
  });
}

void BinanceSim::cross_next(const std::string& symbol) {
  boost::asio::post(io_, [this, symbol, alive = alive_] {
    if (!*alive) return;
    if (auto* m = market(symbol)) m->cross = true;
  });
}

void BinanceSim::disconnect_all() {
  boost::asio::post(io_, [this, alive = alive_] {
    if (!*alive) return;
    for (auto& [_, m] : markets_) {
      for (auto& s : m->subscribers) s->close();
      m->subscribers.clear();
    }
  });
}

void BinanceSim::announce_shutdown() {
  boost::asio::post(io_, [this, alive = alive_] {
    if (!*alive) return;
    auto text = std::make_shared<const std::string>(R"({"e":"serverShutdown","E":)" +
                                                    std::to_string(wall_now_ns() / 1'000'000) + "}");
    for (auto& [_, m] : markets_)
      for (auto& s : m->subscribers) s->send(text);
  });
}

const L2Book* BinanceSim::published(const std::string& symbol) {
  auto* m = market(symbol);
  return m ? &m->book.published() : nullptr;
}

void BinanceSim::on_tick() {
  auto now_ms = wall_now_ns() / 1'000'000;
  for (auto& [symbol, m] : markets_) {
    if (m->frozen) continue;
    m->book.refresh(m->process.step(now_ms));
    fill_resting(*m, now_ms);
    auto diff = m->book.publish(m->skip_next);
    m->skip_next = 0;
    std::erase_if(m->subscribers, [](const auto& s) { return !s->open(); });
    if (diff.empty()) continue;
    binance::DepthUpdate u;
    u.event_time_ms = now_ms;
    u.symbol = symbol;
    u.first_id = diff.first_id;
    u.final_id = diff.final_id;
    if (options_.dialect == BinanceDialect::UsdmFutures) {
      u.prev_final_id = m->last_sent_u;
      u.has_prev = true;
      m->last_sent_u = diff.final_id;  // the stream's pu chain, whether or not anyone hears it
      if (m->drop_next) {
        m->drop_next = false;
        continue;
      }
    }
    if (m->drop_once) {
      m->drop_once = false;
      continue;
    }
    if (m->silent || m->subscribers.empty()) continue;
    u.bids = std::move(diff.bids);
    u.asks = std::move(diff.asks);
    if (m->cross && !m->book.published().asks().empty()) {
      // A bid at the best ask: a book no venue should ever show.
      u.bids.push_back(Level{m->book.published().asks().front().price, m->spec.book.base_qty});
      m->cross = false;
    }
    auto text = std::make_shared<const std::string>(
        binance::format_depth_update(u, m->spec.instrument));
    for (auto& s : m->subscribers) {
      s->send(text);
      if (m->duplicate) s->send(text);
    }
    m->duplicate = false;
  }
  publish_tops(now_ms);
  if (options_.dialect == BinanceDialect::UsdmFutures)
    for (auto& [symbol, m] : markets_) {
      // Settlements happen whether or not anyone is subscribed to the marks.
      const auto& b = m->book.published();
      if (b.bids().empty() || b.asks().empty()) continue;
      auto p = perp_marks(m->spec.instrument, (b.bids().front().price + b.asks().front().price) / 2,
                          now_ms, options_.funding_interval_ms);
      m->funding.on_announce(p.next_funding_ms, p.funding_rate, now_ms);
    }
  if (now_ms - last_mark_ms_ >= 1000) {
    last_mark_ms_ = now_ms;
    publish_marks(now_ms);
  }
  timer_.expires_after(options_.tick);
  timer_.async_wait([this, alive = alive_](beast::error_code ec) {
    if (!ec && *alive) on_tick();
  });
}

void BinanceSim::publish_tops(int64_t now_ms) {
  // bookTicker is real time: one event whenever the best bid or offer changed.
  for (auto& [symbol, m] : markets_) {
    std::erase_if(m->top_subscribers, [](const auto& s) { return !s->open(); });
    if (m->top_subscribers.empty() || m->silent) continue;
    const auto& b = m->book.published();
    if (b.bids().empty() || b.asks().empty()) continue;
    const auto& bid = b.bids().front();
    const auto& ask = b.asks().front();
    if (bid.price == m->last_bid.price && bid.qty == m->last_bid.qty && ask.price == m->last_ask.price &&
        ask.qty == m->last_ask.qty)
      continue;
    m->last_bid = bid;
    m->last_ask = ask;
    connectors::TopOfBook t{bid, ask, m->book.last_update_id(), now_ms * 1'000'000, 0};
    auto text = std::make_shared<const std::string>(
        binance::format_book_ticker(t, m->spec.instrument, options_.dialect == BinanceDialect::UsdmFutures));
    for (auto& s : m->top_subscribers) s->send(text);
  }
}

void BinanceSim::publish_marks(int64_t now_ms) {
  for (auto& [symbol, m] : markets_) {
    std::erase_if(m->mark_subscribers, [](const auto& s) { return !s->open(); });
    if (m->mark_subscribers.empty() || m->silent) continue;
    const auto& b = m->book.published();
    if (b.bids().empty() || b.asks().empty()) continue;
    const auto& inst = m->spec.instrument;
    auto p = perp_marks(inst, (b.bids().front().price + b.asks().front().price) / 2, now_ms,
                        options_.funding_interval_ms);
    auto mark = inst.price(p.mark).to_string(), index = inst.price(p.index).to_string();
    auto text = std::make_shared<const std::string>(
        R"({"e":"markPriceUpdate","E":)" + std::to_string(now_ms) + R"(,"s":")" + symbol + R"(","p":")" + mark +
        R"(","ap":")" + mark + R"(","P":")" + index + R"(","i":")" + index + R"(","r":")" + p.funding_rate.to_string() +
        R"(","T":)" + std::to_string(p.next_funding_ms) + "}");
    for (auto& s : m->mark_subscribers) s->send(text);
  }
}

void BinanceSim::on_upgrade(beast::tcp_stream stream, net::HttpRequest req) {
  // Raw stream: /ws/<symbol>@depth@100ms or /ws/<symbol>@depth
  auto path = std::string(net::split_target(req.target()).path);
  std::string stream_name = path.rfind("/ws/", 0) == 0 ? path.substr(4) : "";
  auto at = stream_name.find('@');
  Market* m = at == std::string::npos ? nullptr : market(stream_name.substr(0, at));
  std::string kind = at == std::string::npos ? "" : stream_name.substr(at);
  auto session = std::make_shared<net::WsSession>(std::move(stream));
  if (!m || (kind != "@depth@100ms" && kind != "@depth")) {
    // Accept then close, like a venue answering an unknown stream.
    session->accept(std::move(req), [session](bool) { session->close(); });
    return;
  }
  session->accept(
      std::move(req),
      [this, m, session, alive = alive_](bool ok) {
        if (ok && *alive) m->subscribers.push_back(session);
      },
      [this, alive = alive_](const std::shared_ptr<net::WsSession>& s, std::string_view text) {
        if (*alive) on_frame(s, text);
      });
}

void BinanceSim::on_frame(const std::shared_ptr<net::WsSession>& s, std::string_view text) {
  // Live subscriptions on a raw stream (venues.md §1.2): {"method":"SUBSCRIBE","params":[...],"id":N}.
  boost::system::error_code ec;
  auto v = boost::json::parse(text, ec);
  const auto* o = ec ? nullptr : v.if_object();
  const auto* method = o ? o->if_contains("method") : nullptr;
  const auto* params = o ? o->if_contains("params") : nullptr;
  std::string id = o && o->if_contains("id") ? boost::json::serialize(o->at("id")) : "null";
  if (!method || !method->is_string() || method->as_string() != "SUBSCRIBE" || !params || !params->is_array()) {
    s->send(R"({"error":{"code":2,"msg":"Invalid request: only SUBSCRIBE is simulated"},"id":)" + id + "}");
    return;
  }
  for (const auto& p : params->as_array()) {
    std::string name = p.is_string() ? std::string(p.as_string()) : "";
    auto at = name.find('@');
    Market* m = at == std::string::npos ? nullptr : market(name.substr(0, at));
    std::string kind = at == std::string::npos ? "" : name.substr(at);
    bool mark = options_.dialect == BinanceDialect::UsdmFutures && (kind == "@markPrice@1s" || kind == "@markPrice");
    if (!m || (!mark && kind != "@bookTicker")) {
      s->send(R"({"error":{"code":2,"msg":"Invalid request: unknown stream )" + name + R"("},"id":)" + id + "}");
      return;
    }
    (mark ? m->mark_subscribers : m->top_subscribers).push_back(s);
  }
  s->send(R"({"result":null,"id":)" + id + "}");
}

namespace {
net::HttpResponse error(http::status st, int code, std::string msg) {
  return net::json_response(st, binance::format_api_error({code, std::move(msg)}));
}
}  // namespace

void BinanceSim::handle(const net::HttpRequest& req, net::HttpServer::Respond respond) {
  auto t = net::split_target(req.target());
  bool spot = options_.dialect == BinanceDialect::Spot;
  std::string_view depth_path = spot ? "/api/v3/depth" : "/fapi/v1/depth";
  if (t.path == depth_path && req.method() == http::verb::get) return respond(depth(std::string(t.query)));
  if (handle_order_entry(req, respond)) return;
  if (t.path == (spot ? "/api/v3/exchangeInfo" : "/fapi/v1/exchangeInfo") && req.method() == http::verb::get)
    return respond(exchange_info(std::string(t.query)));
  if (t.path == "/api/v3/time")
    return respond(net::json_response(
        http::status::ok, "{\"serverTime\":" + std::to_string(wall_now_ns() / 1'000'000) + "}"));
  if (t.path == "/api/v3/ping") return respond(net::json_response(http::status::ok, "{}"));
  if (!spot && t.path == "/fapi/v1/fundingRate" && req.method() == http::verb::get)
    return respond(funding_rates(std::string(t.query)));
  respond(error(http::status::not_found, -1000, "Unknown endpoint " + std::string(t.path)));
}

net::HttpResponse BinanceSim::funding_rates(const std::string& query) {
  // GET /fapi/v1/fundingRate?symbol=&startTime=&endTime=&limit= (limit 100 by default, at most
  // 1000): [{"symbol","fundingRate","fundingTime"}], oldest first (no markPrice: the simulator
  // keeps none per settlement).
  auto params = net::parse_query(query);
  if (!params)
    return error(http::status::bad_request, -1100, "Illegal characters found in a parameter.");
  auto symbol = net::param(*params, "symbol");
  Market* m = symbol ? market(*symbol) : nullptr;
  if (!m) return error(http::status::bad_request, -1121, "Invalid symbol.");
  int64_t from = 0, to = INT64_MAX;
  size_t limit = 100;
  try {
    if (auto v = net::param(*params, "startTime")) from = std::stoll(*v);
    if (auto v = net::param(*params, "endTime")) to = std::stoll(*v);
    if (auto v = net::param(*params, "limit")) limit = std::clamp<size_t>(std::stoul(*v), 1, 1000);
  } catch (...) {
    return error(http::status::bad_request, -1100, "Illegal characters found in a parameter.");
  }
  std::string body = "[";
  for (const auto& s : m->funding.settled(from, to, limit)) {
    if (body.size() > 1) body += ',';
    body += R"({"symbol":")" + *symbol + R"(","fundingTime":)" + std::to_string(s.at_ms) +
            R"(,"fundingRate":")" + s.rate.to_string() + R"("})";
  }
  return net::json_response(http::status::ok, body + "]");
}

net::HttpResponse BinanceSim::depth(const std::string& query) {
  auto params = net::parse_query(query);
  if (!params) return error(http::status::bad_request, -1100, "Illegal characters found in a parameter.");
  auto symbol = net::param(*params, "symbol");
  if (!symbol) return error(http::status::bad_request, -1102, "Mandatory parameter 'symbol' was not sent, was empty/null, or malformed.");
  Market* m = market(*symbol);
  if (!m) return error(http::status::bad_request, -1121, "Invalid symbol.");
  size_t limit = 100;
  if (auto l = net::param(*params, "limit")) {
    try {
      limit = std::clamp<size_t>(std::stoul(*l), 1, 5000);
    } catch (...) {
      return error(http::status::bad_request, -1100, "Illegal characters found in parameter 'limit'.");
    }
  }
  binance::DepthSnapshot s;
  s.last_update_id = m->book.last_update_id();
  const auto& b = m->book.published();
  s.bids.assign(b.bids().begin(), b.bids().begin() + static_cast<long>(std::min(limit, b.bids().size())));
  s.asks.assign(b.asks().begin(), b.asks().begin() + static_cast<long>(std::min(limit, b.asks().size())));
  return net::json_response(http::status::ok, binance::format_depth_snapshot(s, m->spec.instrument));
}

net::HttpResponse BinanceSim::exchange_info(const std::string& query) {
  // exchangeInfo (venues.md §1.8, §2.7) for every simulated symbol, or the one asked for.
  auto params = net::parse_query(query);
  auto only = params ? net::param(*params, "symbol") : std::nullopt;
  bool spot = options_.dialect == BinanceDialect::Spot;
  std::string symbols;
  for (const auto& [symbol, m] : markets_) {
    if (only && *only != symbol) continue;
    const auto& i = m->spec.instrument;
    if (!symbols.empty()) symbols += ',';
    symbols += R"({"symbol":")" + symbol + R"(","status":"TRADING","baseAsset":")" + i.base + R"(","quoteAsset":")" + i.quote + "\"";
    if (!spot)
      symbols += R"(,"pair":")" + symbol + R"(","contractType":"PERPETUAL","marginAsset":")" + i.settle + "\"";
    symbols += R"(,"filters":[{"filterType":"PRICE_FILTER","minPrice":")" + i.price(i.tick).to_string() +
               R"(","maxPrice":"1000000","tickSize":")" + i.price(i.tick).to_string() +
               R"("},{"filterType":"LOT_SIZE","minQty":")" + i.qty(i.min_qty).to_string() + R"(","maxQty":"9000","stepSize":")" +
               i.qty(i.lot).to_string() + "\"}," +
               (spot ? R"({"filterType":"NOTIONAL","minNotional":"5.00000000","applyMinToMarket":true})"
                     : R"({"filterType":"MIN_NOTIONAL","notional":"100"})") +
               "]}";
  }
  if (only && symbols.empty()) return error(http::status::bad_request, -1121, "Invalid symbol.");
  return net::json_response(
      http::status::ok,
      R"({"timezone":"UTC","serverTime":)" + std::to_string(wall_now_ns() / 1'000'000) +
          (spot ? R"(,"rateLimits":[{"rateLimitType":"REQUEST_WEIGHT","interval":"MINUTE","intervalNum":1,"limit":6000},{"rateLimitType":"ORDERS","interval":"SECOND","intervalNum":10,"limit":100}])"
                : R"(,"rateLimits":[{"rateLimitType":"REQUEST_WEIGHT","interval":"MINUTE","intervalNum":1,"limit":2400},{"rateLimitType":"ORDERS","interval":"SECOND","intervalNum":10,"limit":300}])") +
          R"(,"symbols":[)" + symbols + "]}");
}

}  // namespace aq::sim
