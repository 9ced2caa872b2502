#pragma once
// The I/O shell of the Binance book (spot or USD-M futures): one WebSocket diff stream and
// REST snapshots for one symbol, feeding the pure BookSync and reporting to a BookListener. Owns reconnects (with
// exponential backoff and jitter), resyncs and the staleness clock.
#include <boost/asio/io_context.hpp>
#include <boost/asio/steady_timer.hpp>
#include <chrono>
#include <memory>
#include <random>
#include <string>

#include "aqueduct/bus/clock.hpp"
#include "aqueduct/connectors/binance/book_sync.hpp"
#include "aqueduct/connectors/binance/replay.hpp"
#include "aqueduct/connectors/book_feed.hpp"
#include "aqueduct/connectors/book_listener.hpp"
#include "aqueduct/connectors/perp_listener.hpp"
#include "aqueduct/connectors/top_listener.hpp"
#include "aqueduct/connectors/rate_limiter.hpp"
#include "aqueduct/net/http_client.hpp"
#include "aqueduct/net/ws_client.hpp"

namespace aq::binance {

struct SessionOptions {
  std::string host = "127.0.0.1";
  uint16_t port = 0;
  std::chrono::milliseconds stale_after{1000};
  std::chrono::milliseconds reconnect_min{100};
  std::chrono::milliseconds reconnect_max{10'000};
  int snapshot_limit = 1000;
  Chain chain = Chain::Spot;                     // UsdmFutures for fapi streams
  std::string depth_path = "/api/v3/depth";      // "/fapi/v1/depth" for USD-M futures
  std::string record_path;  // when set, every raw message is appended here (see replay.hpp)
  // Binance closes a stream at 24 h; we reconnect on our own schedule a little before.
  std::chrono::milliseconds max_connection_age{std::chrono::hours(23) + std::chrono::minutes(50)};
  // The venue's request-weight limits, shared by every session on the same IP; none = unlimited.
  std::shared_ptr<connectors::RateLimiter> limiter;
  std::shared_ptr<boost::asio::ssl::context> tls;  // real venues; null: plain TCP (the simulator)
};

class MarketDataSession : public connectors::BookFeed {
 public:
  // With a perp listener and the USD-M chain, the session also subscribes the symbol's
  // markPrice@1s stream on the same connection and reports mark, index and funding. With a
  // top listener it subscribes bookTicker too and reports the venue's best bid and offer.
  MarketDataSession(boost::asio::io_context& io, Instrument inst, SessionOptions options,
                    connectors::BookListener& listener, Clock clock = wall_clock(),
                    connectors::PerpListener* perp_listener = nullptr,
                    connectors::TopListener* top_listener = nullptr);
  ~MarketDataSession() override;
  void start() override;
  void stop() override;
  size_t size() const override { return 1; }
  const Instrument& instrument(size_t) const override { return inst_; }
  aqueduct::msg::BookState state(size_t) const override { return state_; }
  L2Book book(size_t) const override { return sync_.book(); }
  uint64_t seq(size_t) const override { return sync_.update_id(); }

  aqueduct::msg::BookState state() const { return state_; }
  const BookSync& sync() const { return sync_; }
  uint64_t resyncs() const { return resyncs_; }

 private:
  void connect();
  void on_message(std::string_view text);
  void request_snapshot();
  void on_snapshot(net::HttpResult r);
  void on_disconnect(const std::string& why);
  void reconnect_now(const std::string& why);
  void resync(const std::string& why);
  void set_state(aqueduct::msg::BookState s, const std::string& reason);
  void arm_staleness_check();

  boost::asio::io_context& io_;
  Instrument inst_;
  SessionOptions options_;
  connectors::BookListener& listener_;
  Clock clock_;
  connectors::PerpListener* perp_listener_;
  connectors::TopListener* top_listener_;
  BookSync sync_;
  DepthUpdate update_;  // parse buffer, reused
  std::unique_ptr<Recorder> recorder_;
  std::shared_ptr<net::WsClient> ws_;
  net::HttpClient rest_;
  boost::asio::steady_timer reconnect_timer_;
  boost::asio::steady_timer stale_timer_;
  std::chrono::milliseconds backoff_;
  std::mt19937_64 jitter_;
  aqueduct::msg::BookState state_ = aqueduct::msg::BOOK_STATE_UNSPECIFIED;
  bool snapshot_in_flight_ = false;
  bool limited_logged_ = false;
  bool stopped_ = false;
  int64_t last_message_ns_ = 0;
  int64_t connected_ns_ = 0;  // 0 while not connected
  uint64_t resyncs_ = 0;
  std::shared_ptr<bool> alive_ = std::make_shared<bool>(true);
};

}  // namespace aq::binance
