#include "aqueduct/connectors/binance/market_data_session.hpp"

#include <algorithm>
#include <spdlog/spdlog.h>

namespace aq::binance {

using aqueduct::msg::BookState;
namespace http = boost::beast::http;

MarketDataSession::MarketDataSession(boost::asio::io_context& io, Instrument inst,
                                     SessionOptions options, connectors::BookListener& listener,
                                     Clock clock, connectors::PerpListener* perp_listener,
                                     connectors::TopListener* top_listener)
    : io_(io),
      inst_(std::move(inst)),
      options_(std::move(options)),
      listener_(listener),
      clock_(std::move(clock)),
      perp_listener_(perp_listener),
      top_listener_(top_listener),
      sync_(10'000, options_.chain),
      rest_(io, options_.host, options_.port, std::chrono::milliseconds(5000), options_.tls),
      reconnect_timer_(io),
      stale_timer_(io),
      backoff_(options_.reconnect_min),
      jitter_(std::hash<std::string>{}(inst_.symbol)) {
  if (!options_.record_path.empty()) recorder_ = std::make_unique<Recorder>(options_.record_path);
}

MarketDataSession::~MarketDataSession() {
  *alive_ = false;
  stop();
}

void MarketDataSession::start() {
  stopped_ = false;
  connect();
  arm_staleness_check();
}

void MarketDataSession::stop() {
  stopped_ = true;
  reconnect_timer_.cancel();
  stale_timer_.cancel();
  if (ws_) ws_->close();
}

void MarketDataSession::set_state(BookState s, const std::string& reason) {
  if (s == state_) return;
  state_ = s;
  if (s == aqueduct::msg::BOOK_LIVE)
    spdlog::info("{}: book {} ({})", inst_.key(), BookState_Name(s), reason);
  else
    spdlog::warn("{}: book {} ({})", inst_.key(), BookState_Name(s), reason);
  listener_.on_book_state(inst_, s, reason);
}

void MarketDataSession::connect() {
  if (stopped_) return;
  std::string lower = inst_.symbol;
  std::transform(lower.begin(), lower.end(), lower.begin(),
                 [](unsigned char c) { return std::tolower(c); });
  sync_.reset();
  set_state(aqueduct::msg::BOOK_SYNCING, "connecting to " + options_.host + ":" +
                                             std::to_string(options_.port));
  ws_ = net::WsClient::create(io_, options_.host, options_.port,
                                "/ws/" + lower + "@depth@100ms", options_.tls);
  auto alive = alive_;
  // Identify this connection without owning it: a shared_ptr here would be a cycle through the
  // client's own callback.
  const net::WsClient* ws = ws_.get();
  ws_->start(
      [this, alive, lower] {
        if (!*alive) return;
        backoff_ = options_.reconnect_min;
        last_message_ns_ = clock_();
        connected_ns_ = last_message_ns_;
        // Live subscriptions on the depth connection: the venue's own best bid and offer, and
        // for a perpetual its mark price and funding.
        std::string params;
        if (perp_listener_ && options_.chain == Chain::UsdmFutures) params += "\"" + lower + "@markPrice@1s\"";
        if (top_listener_) params += (params.empty() ? "\"" : ",\"") + lower + "@bookTicker\"";
        if (!params.empty()) ws_->send(R"({"method":"SUBSCRIBE","params":[)" + params + R"(],"id":1})");
      },
      [this, alive](std::string_view text) {
        if (*alive) on_message(text);
      },
      [this, alive, ws](const std::string& why) {
        if (*alive && ws == ws_.get()) on_disconnect(why);
      });
}

void MarketDataSession::reconnect_now(const std::string& why) {
  if (!ws_) return;
  auto ws = std::move(ws_);
  ws->close();  // its callbacks no longer match ws_, so report the loss here
  on_disconnect(why);
}

void MarketDataSession::on_disconnect(const std::string& why) {
  connected_ns_ = 0;
  sync_.reset();
  snapshot_in_flight_ = false;
  set_state(aqueduct::msg::BOOK_DOWN, "stream lost: " + why);
  if (stopped_) return;
  // Exponential backoff with full jitter, so many sessions do not reconnect in lockstep.
  std::uniform_int_distribution<int64_t> d(backoff_.count() / 2, backoff_.count());
  auto wait = std::chrono::milliseconds(d(jitter_));
  backoff_ = std::min(backoff_ * 2, options_.reconnect_max);
  reconnect_timer_.expires_after(wait);
  reconnect_timer_.async_wait([this, alive = alive_](boost::system::error_code ec) {
    if (!ec && *alive) connect();
  });
}

void MarketDataSession::on_message(std::string_view text) {
  int64_t now = clock_();
  if (recorder_) recorder_->write(now, text);
  if (text.find("\"serverShutdown\"") != std::string_view::npos) {
    // Binance announces a restart of this server: move to another connection now.
    return reconnect_now("the venue announced serverShutdown");
  }
  if (text.find("\"markPriceUpdate\"") != std::string_view::npos) {
    try {
      auto st = parse_mark_price(text);
      st.local_ts_ns = now;
      if (perp_listener_) perp_listener_->on_perp_stats(inst_, st);
    } catch (const ParseError& e) {
      spdlog::warn("{}: ignored an unreadable markPriceUpdate: {}", inst_.key(), e.what());
    }
    return;  // not book data: the book is unaffected either way
  }
  if (text.find("\"result\"") != std::string_view::npos && text.find("\"id\"") != std::string_view::npos)
    return;  // the answer to our SUBSCRIBE
  if (is_book_ticker(text)) {
    try {
      auto top = parse_book_ticker(text, inst_);
      top.local_ts_ns = now;
      if (top_listener_) top_listener_->on_top_of_book(inst_, top);
    } catch (const ParseError& e) {
      spdlog::warn("{}: ignored an unreadable bookTicker: {}", inst_.key(), e.what());
    }
    return;  // the depth stream alone keeps the book, and its staleness clock
  }
  // Only depth messages count against staleness: a live ticker must not hide a dead book.
  last_message_ns_ = now;
  DepthUpdate& u = update_;
  try {
    parse_depth_update(text, inst_, u);
  } catch (const ParseError& e) {
    // A message we cannot read may have carried levels: the book can no longer be trusted.
    resync(std::string("unreadable message: ") + e.what());
    return;
  }
  uint64_t prev = sync_.update_id();
  auto r = sync_.on_update(u);
  switch (r.event) {
    case SyncEvent::Buffered:
      if (!snapshot_in_flight_) request_snapshot();
      break;
    case SyncEvent::Applied: {
      if (state_ == aqueduct::msg::BOOK_STALE) set_state(aqueduct::msg::BOOK_LIVE, "updates resumed");
      connectors::BookChange c{prev, u.final_id, u.event_time_ms * 1'000'000, now, &u.bids, &u.asks};
      listener_.on_book_delta(inst_, c);
      break;
    }
    case SyncEvent::Ignored:
      break;
    default:
      resync(std::string(to_string(r.event)) + ": " + r.detail);
  }
}

void MarketDataSession::resync(const std::string& why) {
  ++resyncs_;
  sync_.reset();
  set_state(aqueduct::msg::BOOK_RESYNCING, why);
  // Keep the stream: new diffs are buffered and the next one triggers a fresh snapshot.
}

void MarketDataSession::request_snapshot() {
  if (options_.limiter) {
    auto a = options_.limiter->try_acquire({connectors::binance_depth_weight(options_.snapshot_limit)}, clock_());
    if (!a.admitted) {
      // Stay RESYNCING; the next buffered diff asks again.
      if (!limited_logged_) spdlog::warn("{}: snapshot deferred: {}", inst_.key(), a.reason);
      limited_logged_ = true;
      return;
    }
    limited_logged_ = false;
  }
  snapshot_in_flight_ = true;
  rest_.request(http::verb::get,
                options_.depth_path + "?symbol=" + inst_.symbol + "&limit=" +
                    std::to_string(options_.snapshot_limit),
                {}, {}, [this, alive = alive_](net::HttpResult r) {
                  if (*alive) on_snapshot(std::move(r));
                });
}

void MarketDataSession::on_snapshot(net::HttpResult r) {
  snapshot_in_flight_ = false;
  if (options_.limiter && !r.error) {
    std::optional<int64_t> retry;
    if (r.retry_after_s) retry = *r.retry_after_s * 1'000'000'000;
    options_.limiter->on_response(r.status, retry, clock_());
  }
  if (stopped_ || sync_.live()) return;
  if (!r.ok()) {
    spdlog::warn("{}: snapshot request failed ({}); retrying on the next diff",
                 inst_.key(), r.error ? r.error.message() : "HTTP " + std::to_string(r.status));
    return;
  }
  if (recorder_) recorder_->write(clock_(), r.body);
  DepthSnapshot s;
  try {
    s = parse_depth_snapshot(r.body, inst_);
  } catch (const ParseError& e) {
    spdlog::warn("{}: bad snapshot: {}", inst_.key(), e.what());
    return;
  }
  auto out = sync_.on_snapshot(s);
  if (out.event == SyncEvent::SnapshotTooOld) {
    spdlog::info("{}: {}; fetching another", inst_.key(), out.detail);
    return;  // the next buffered diff triggers a new request
  }
  if (out.needs_snapshot()) return resync(std::string(to_string(out.event)) + ": " + out.detail);
  int64_t now = clock_();
  set_state(aqueduct::msg::BOOK_LIVE, "synced at update id " + std::to_string(sync_.update_id()));
  listener_.on_book_snapshot(inst_, sync_.book(), sync_.update_id(), 0, now);
}

void MarketDataSession::arm_staleness_check() {
  stale_timer_.expires_after(options_.stale_after / 4);
  stale_timer_.async_wait([this, alive = alive_](boost::system::error_code ec) {
    if (ec || !*alive || stopped_) return;
    int64_t now = clock_();
    if (connected_ns_ != 0 &&
        now - connected_ns_ > std::chrono::duration_cast<std::chrono::nanoseconds>(options_.max_connection_age).count())
      reconnect_now("planned reconnect before the venue's 24 h connection limit");
    int64_t silent_ns = now - last_message_ns_;
    if (state_ == aqueduct::msg::BOOK_LIVE &&
        silent_ns > std::chrono::duration_cast<std::chrono::nanoseconds>(options_.stale_after).count())
      set_state(aqueduct::msg::BOOK_STALE,
                "no update for " + std::to_string(silent_ns / 1'000'000) + " ms");
    arm_staleness_check();
  });
}

}  // namespace aq::binance
