#include "aqueduct/connectors/stream_session.hpp"

#include <algorithm>
#include <spdlog/spdlog.h>

namespace aq::connectors {

using aqueduct::msg::BookState;
using Kind = StreamEvent::Kind;

namespace {
int64_t ns(std::chrono::milliseconds ms) {
  return std::chrono::duration_cast<std::chrono::nanoseconds>(ms).count();
}
}  // namespace

StreamSession::StreamSession(boost::asio::io_context& io, std::unique_ptr<StreamProtocol> protocol,
                             StreamSessionOptions options, BookListener& listener, Clock clock,
                             PerpListener* perp_listener, TopListener* top_listener)
    : io_(io),
      protocol_(std::move(protocol)),
      options_(std::move(options)),
      listener_(listener),
      clock_(std::move(clock)),
      perp_listener_(perp_listener),
      top_listener_(top_listener),
      books_(protocol_->size()),
      reconnect_timer_(io),
      tick_timer_(io),
      backoff_(options_.reconnect_min),
      jitter_(std::hash<std::string>{}(std::string(protocol_->venue_kind()) + options_.host +
                                         std::to_string(options_.port))) {
  if (!options_.record_path.empty()) recorder_ = std::make_unique<Recorder>(options_.record_path);
}

StreamSession::~StreamSession() {
  *alive_ = false;
  stop();
}

void StreamSession::start() {
  if (!stopped_) return;
  stopped_ = false;
  connect();
  housekeeping();
}

void StreamSession::stop() {
  stopped_ = true;
  reconnect_timer_.cancel();
  tick_timer_.cancel();
  if (ws_) ws_->close();
  connected_ = false;
}

void StreamSession::set_state(size_t i, BookState s, const std::string& reason) {
  auto& b = books_[i];
  if (s == b.state) return;
  b.state = s;
  const auto& inst = protocol_->instrument(i);
  if (s == aqueduct::msg::BOOK_LIVE)
    spdlog::info("{}: book {} ({})", inst.key(), BookState_Name(s), reason);
  else
    spdlog::warn("{}: book {} ({})", inst.key(), BookState_Name(s), reason);
  listener_.on_book_state(inst, s, reason);
}

void StreamSession::connect() {
  if (stopped_) return;
  connected_ = false;
  ping_sent_ns_ = 0;
  protocol_->reset_connection();
  for (size_t i = 0; i < books_.size(); ++i) {
    protocol_->reset(i);
    set_state(i, aqueduct::msg::BOOK_SYNCING,
              "connecting to " + options_.host + ":" + std::to_string(options_.port));
  }
  ws_ = net::WsClient::create(io_, options_.host, options_.port, protocol_->target(), options_.tls);
  auto alive = alive_;
  // Identify this connection without owning it (the client's callbacks would form a cycle).
  const net::WsClient* ws = ws_.get();
  ws_->start([this, alive, ws] { if (*alive && ws == ws_.get()) on_open(); },
             [this, alive, ws](std::string_view text) {
               if (*alive && ws == ws_.get()) on_message(text);
             },
             [this, alive, ws](const std::string& why) {
               if (*alive && ws == ws_.get()) on_disconnect(why);
             });
}

void StreamSession::on_open() {
  connected_ = true;
  int64_t now = clock_();
  last_rx_ns_ = now;
  connected_ns_ = now;
  backoff_ = options_.reconnect_min;
  std::vector<size_t> all(books_.size());
  for (size_t i = 0; i < all.size(); ++i) {
    all[i] = i;
    books_[i].subscribed_ns = now;
    books_[i].last_update_ns = now;
    books_[i].resubscribe_at_ns = 0;
  }
  for (auto& frame : protocol_->subscribe(all)) ws_->send(std::move(frame));
}

void StreamSession::on_disconnect(const std::string& why) {
  connected_ = false;
  for (size_t i = 0; i < books_.size(); ++i) {
    protocol_->reset(i);
    set_state(i, aqueduct::msg::BOOK_DOWN, "stream lost: " + why);
  }
  if (stopped_) return;
  ++reconnects_;
  // Exponential backoff with jitter, so many sessions do not reconnect in lockstep.
  std::uniform_int_distribution<int64_t> d(backoff_.count() / 2, backoff_.count());
  auto wait = std::chrono::milliseconds(d(jitter_));
  backoff_ = std::min(backoff_ * 2, options_.reconnect_max);
  reconnect_timer_.expires_after(wait);
  reconnect_timer_.async_wait([this, alive = alive_](boost::system::error_code ec) {
    if (!ec && *alive) connect();
  });
}

void StreamSession::drop_connection(const std::string& why) {
  if (!ws_) return;
  auto ws = std::move(ws_);
  ws->close();  // its callbacks no longer match ws_, so report the loss here
  on_disconnect(why);
}

void StreamSession::on_message(std::string_view text) {
  int64_t now = clock_();
  last_rx_ns_ = now;
  ping_sent_ns_ = 0;  // any traffic proves the connection alive
  if (recorder_) recorder_->write(now, text);
  events_.clear();
  protocol_->on_message(text, events_);
  for (auto& e : events_) {
    handle(e, now);
    if (!ws_) return;  // the connection was dropped while handling
  }
}

void StreamSession::handle(StreamEvent& e, int64_t now) {
  switch (e.kind) {
    case Kind::Snapshot: {
      auto& b = books_[e.index];
      b.last_update_ns = now;
      b.live_since_ns = now;
      set_state(e.index, aqueduct::msg::BOOK_LIVE, "snapshot at seq " + std::to_string(e.seq));
      listener_.on_book_snapshot(protocol_->instrument(e.index), protocol_->book(e.index), e.seq,
                                 e.exchange_ts_ns, now);
      break;
    }
    case Kind::Delta: {
      auto& b = books_[e.index];
      b.last_update_ns = now;
      if (b.state == aqueduct::msg::BOOK_STALE) set_state(e.index, aqueduct::msg::BOOK_LIVE, "updates resumed");
      if (b.state != aqueduct::msg::BOOK_LIVE) break;
      BookChange c{e.prev_seq, e.seq, e.exchange_ts_ns, now, &e.bids, &e.asks};
      listener_.on_book_delta(protocol_->instrument(e.index), c);
      break;
    }
    case Kind::Heartbeat: {
      auto& b = books_[e.index];
      b.last_update_ns = now;
      if (b.state == aqueduct::msg::BOOK_STALE) set_state(e.index, aqueduct::msg::BOOK_LIVE, "venue heartbeat");
      break;
    }
    case Kind::Resubscribe:
      resync(e.index, e.detail, now);
      break;
    case Kind::Reconnect:
      spdlog::warn("{} {}:{}: reconnecting ({})", protocol_->venue_kind(), options_.host, options_.port, e.detail);
      drop_connection(e.detail);
      break;
    case Kind::Refused:
      spdlog::warn("{} {}:{}: venue refused a request: {}", protocol_->venue_kind(), options_.host,
                   options_.port, e.detail);
      break;
    case Kind::Unreadable:
      spdlog::warn("{} {}:{}: ignored a message: {}", protocol_->venue_kind(), options_.host, options_.port, e.detail);
      break;
    case Kind::PerpStats:
      e.perp.local_ts_ns = now;
      if (perp_listener_) perp_listener_->on_perp_stats(protocol_->instrument(e.index), e.perp);
      break;
    case Kind::Top:
      e.top.local_ts_ns = now;
      if (top_listener_) top_listener_->on_top_of_book(protocol_->instrument(e.index), e.top);
      break;
    case Kind::Pong:
    case Kind::Info:
      break;
  }
}

void StreamSession::resync(size_t i, const std::string& why, int64_t now) {
  ++resyncs_;
  auto& b = books_[i];
  protocol_->reset(i);
  set_state(i, aqueduct::msg::BOOK_RESYNCING, why);
  // A book that keeps failing soon after each snapshot is resubscribed ever more slowly, so a
  // venue-side fault cannot turn into a subscribe storm (OKX allows 480 per hour).
  bool flapping = b.live_since_ns != 0 && now - b.live_since_ns < ns(std::chrono::seconds(10));
  b.backoff = flapping ? std::min(std::max(b.backoff * 2, std::chrono::milliseconds(100)),
                                  options_.resubscribe_max)
                       : std::chrono::milliseconds(0);
  b.live_since_ns = 0;
  for (auto& frame : protocol_->unsubscribe(i)) ws_->send(std::move(frame));
  if (b.backoff.count() == 0) resubscribe(i, now);
  else b.resubscribe_at_ns = now + ns(b.backoff);
}

void StreamSession::resubscribe(size_t i, int64_t now) {
  auto& b = books_[i];
  b.resubscribe_at_ns = 0;
  b.subscribed_ns = now;
  protocol_->reset(i);
  for (auto& frame : protocol_->subscribe_book(i)) ws_->send(std::move(frame));
}

void StreamSession::housekeeping() {
  if (stopped_) return;
  int64_t now = clock_();
  if (connected_ && ws_) {
    int64_t idle = now - last_rx_ns_;
    if (now - connected_ns_ > ns(options_.max_connection_age)) {
      drop_connection("planned reconnect before the venue's connection age limit (" + std::to_string((now - connected_ns_) / 1'000'000) + " ms old)");
    } else if (ping_sent_ns_ != 0 && now - ping_sent_ns_ > ns(options_.pong_timeout)) {
      drop_connection("no answer to ping for " + std::to_string((now - ping_sent_ns_) / 1'000'000) + " ms");
    } else if (ping_sent_ns_ == 0 && idle > ns(protocol_->ping_after())) {
      ping_sent_ns_ = now;  // with no application ping, the deadline alone applies
      if (auto p = protocol_->ping(); !p.empty()) ws_->send(std::move(p));
    }
  }
  if (connected_ && ws_) {
    for (size_t i = 0; i < books_.size(); ++i) {
      auto& b = books_[i];
      if (b.resubscribe_at_ns != 0 && now >= b.resubscribe_at_ns) resubscribe(i, now);
      if (b.state == aqueduct::msg::BOOK_LIVE && now - b.last_update_ns > ns(options_.stale_after))
        set_state(i, aqueduct::msg::BOOK_STALE,
                  "no update for " + std::to_string((now - b.last_update_ns) / 1'000'000) + " ms");
      bool waiting = b.state == aqueduct::msg::BOOK_SYNCING || b.state == aqueduct::msg::BOOK_RESYNCING;
      if (waiting && b.resubscribe_at_ns == 0 && now - b.subscribed_ns > ns(options_.snapshot_timeout)) {
        // Subscribed, but no snapshot came: ask again rather than wait forever.
        for (auto& frame : protocol_->unsubscribe(i)) ws_->send(std::move(frame));
        resubscribe(i, now);
      }
    }
  }
  auto period = std::clamp(options_.stale_after / 4, std::chrono::milliseconds(10),
                           std::chrono::milliseconds(250));
  tick_timer_.expires_after(period);
  tick_timer_.async_wait([this, alive = alive_](boost::system::error_code ec) {
    if (!ec && *alive) housekeeping();
  });
}

}  // namespace aq::connectors
