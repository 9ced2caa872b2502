#include "aqueduct/connectors/binance/order_entry.hpp"

#include <boost/asio/post.hpp>
#include <spdlog/spdlog.h>

namespace aq::binance {

namespace http = boost::beast::http;
using aqueduct::msg::OrderStatus;

namespace {
constexpr int64_t kRecvWindowMs = 5000;
constexpr int kMaxReconcileAttempts = 20;
}  // namespace

OrderStatus map_status(const std::string& s) {
  if (s == "NEW") return aqueduct::msg::ORDER_NEW;
  if (s == "PARTIALLY_FILLED") return aqueduct::msg::ORDER_PARTIALLY_FILLED;
  if (s == "FILLED") return aqueduct::msg::ORDER_FILLED;
  if (s == "CANCELED") return aqueduct::msg::ORDER_CANCELED;
  if (s == "EXPIRED" || s == "EXPIRED_IN_MATCH") return aqueduct::msg::ORDER_EXPIRED;
  if (s == "REJECTED") return aqueduct::msg::ORDER_REJECTED;
  return aqueduct::msg::ORDER_UNKNOWN;
}

OrderEntry::OrderEntry(boost::asio::io_context& io, std::string host, uint16_t port,
                       Credentials creds, Clock clock, std::chrono::milliseconds timeout,
                       std::shared_ptr<connectors::RateLimiter> limiter, std::shared_ptr<boost::asio::ssl::context> tls)
    : io_(io),
      http_(io, std::move(host), port, timeout, std::move(tls)),
      creds_(std::move(creds)),
      clock_(std::move(clock)),
      limiter_(std::move(limiter)) {}

void OrderEntry::note_response(const net::HttpResult& r) {
  if (!limiter_ || r.error) return;
  std::optional<int64_t> retry;
  if (r.retry_after_s) retry = *r.retry_after_s * 1'000'000'000;
  limiter_->on_response(r.status, retry, clock_());
}

OrderEntry::~OrderEntry() { *alive_ = false; }

OrderOutcome OrderEntry::outcome_from(const net::HttpResult& r, const Instrument& inst) {
  OrderOutcome o;
  if (r.error) {
    o.status = r.maybe_sent ? aqueduct::msg::ORDER_UNKNOWN : aqueduct::msg::ORDER_REJECTED;
    o.detail = "transport: " + r.error.message() + (r.maybe_sent ? " after sending" : " before sending");
    return o;
  }
  if (r.status >= 500) {
    // 5xx: Binance documents the outcome as unknown.
    o.status = aqueduct::msg::ORDER_UNKNOWN;
    o.detail = "HTTP " + std::to_string(r.status);
    return o;
  }
  if (r.status == 429 || r.status == 418) {
    // Rate limited (418: banned for repeating it). Binance refuses such requests before
    // matching, but we do not take a rate limiter's word for a hedge: the query by client id
    // decides, and "Order does not exist" then makes it a rejection.
    o.status = aqueduct::msg::ORDER_UNKNOWN;
    o.detail = "HTTP " + std::to_string(r.status) + " (rate limited)";
    return o;
  }
  if (r.status != 200) {
    o.status = aqueduct::msg::ORDER_REJECTED;
    try {
      auto e = parse_api_error(r.body);
      o.detail = "binance " + std::to_string(e.code) + ": " + e.msg;
      // -2010 "Duplicate order sent": an order with this client id exists already (we sent it
      // before a restart or a lost reply). Its outcome is that order's, found by reconciling.
      if (e.code == -2010 && e.msg.find("Duplicate") != std::string::npos)
        o.status = aqueduct::msg::ORDER_UNKNOWN;
    } catch (const ParseError&) {
      o.detail = "HTTP " + std::to_string(r.status);
    }
    return o;
  }
  try {
    auto res = parse_order_result(r.body, inst);
    o.status = map_status(res.status);
    o.venue_order_id = res.order_id;
    o.filled_qty = res.executed_qty;
    o.filled_quote = res.cumulative_quote;
    o.venue_ts_ms = res.transact_time_ms;
    o.fills = std::move(res.fills);
  } catch (const ParseError& e) {
    // The venue answered 200 but we cannot read it: the order may have executed.
    o.status = aqueduct::msg::ORDER_UNKNOWN;
    o.detail = e.what();
  }
  return o;
}

void OrderEntry::place_limit_ioc(const NewOrder& order, const Instrument& inst, Callback cb) {
  if (limiter_) {
    // POST /api/v3/order: weight 1, one order in each order bucket. Refused here, the order is
    // certainly not at the venue, so it is a rejection the caller can act on at once.
    auto a = limiter_->try_acquire({1, 1, 1}, clock_());
    if (!a.admitted) {
      OrderOutcome o;
      o.status = aqueduct::msg::ORDER_REJECTED;
      o.detail = "not sent: rate limit (" + a.reason + ")";
      boost::asio::post(io_, [cb = std::move(cb), o = std::move(o)]() mutable { cb(std::move(o)); });
      return;
    }
  }
  auto query = limit_ioc_query(order, inst, kRecvWindowMs, clock_() / 1'000'000);
  auto signed_query = sign_query(query, creds_.api_secret);
  http_.request(http::verb::post, "/api/v3/order?" + signed_query, {},
                {{"X-MBX-APIKEY", creds_.api_key}},
                [this, order, inst, cb = std::move(cb), alive = alive_](net::HttpResult r) {
                  if (!*alive) return;
                  note_response(r);
                  auto o = outcome_from(r, inst);
                  if (o.status != aqueduct::msg::ORDER_UNKNOWN) return cb(std::move(o));
                  spdlog::warn("binance order {}: outcome unknown ({}); reconciling",
                               order.client_order_id, o.detail);
                  reconcile(order, inst, cb, 1);
                });
}

void OrderEntry::reconcile(NewOrder order, Instrument inst, Callback cb, int attempt) {
  auto timer = std::make_shared<boost::asio::steady_timer>(io_);
  timer->expires_after(std::chrono::milliseconds(std::min(50 * attempt, 1000)));
  timer->async_wait([this, timer, order, inst, cb, attempt, alive = alive_](auto ec) {
    if (ec || !*alive) return;
    if (limiter_) {
      // GET /api/v3/order weighs 4. Over the limit, wait for room without spending an attempt.
      auto a = limiter_->try_acquire({4}, clock_());
      if (!a.admitted) {
        if (a.retry_at_ns == INT64_MAX) {
          OrderOutcome o;
          o.detail = "cannot reconcile: " + a.reason;
          return cb(std::move(o));
        }
        return reconcile(order, inst, cb, attempt);
      }
    }
    auto q = sign_query(order_status_query(order.symbol, order.client_order_id, kRecvWindowMs,
                                           clock_() / 1'000'000),
                        creds_.api_secret);
    http_.request(http::verb::get, "/api/v3/order?" + q, {}, {{"X-MBX-APIKEY", creds_.api_key}},
                  [this, order, inst, cb, attempt, alive](net::HttpResult r) {
                    if (!*alive) return;
                    note_response(r);
                    if (!r.error && r.status == 400) {
                      try {
                        if (parse_api_error(r.body).code == -2013) {
                          // The venue has no such order: it never reached the book.
                          OrderOutcome o;
                          o.status = aqueduct::msg::ORDER_REJECTED;
                          o.detail = "reconciled: order never reached the venue";
                          return cb(std::move(o));
                        }
                      } catch (const ParseError&) {
                      }
                    }
                    auto o = outcome_from(r, inst);
                    if (o.status != aqueduct::msg::ORDER_UNKNOWN &&
                        o.status != aqueduct::msg::ORDER_REJECTED) {
                      o.detail = "reconciled after " + std::to_string(attempt) + " queries";
                      return cb(std::move(o));
                    }
                    if (attempt >= kMaxReconcileAttempts) {
                      o.status = aqueduct::msg::ORDER_UNKNOWN;
                      o.detail = "still unknown after " + std::to_string(attempt) + " queries";
                      return cb(std::move(o));
                    }
                    reconcile(order, inst, cb, attempt + 1);
                  });
  });
}

}  // namespace aq::binance
