#pragma once
// The I/O shell for venues whose books arrive over one WebSocket by subscription (OKX, Bybit,
// BitMEX, Coinbase): it connects, subscribes every instrument, feeds messages to the venue's
// pure StreamProtocol and reports to a BookListener. It owns everything with time in it:
// application pings and the pong deadline, per-instrument staleness, the snapshot deadline
// after a (re)subscribe, per-instrument resubscribe backoff, and reconnects with exponential
// backoff and jitter followed by a full resubscribe. A resync of one instrument unsubscribes
// and resubscribes that instrument only; the others stay live.
#include <boost/asio/io_context.hpp>
#include <boost/asio/steady_timer.hpp>
#include <chrono>
#include <memory>
#include <random>
#include <string>
#include <vector>

#include "aqueduct/bus/clock.hpp"
#include "aqueduct/connectors/book_feed.hpp"
#include "aqueduct/connectors/book_listener.hpp"
#include "aqueduct/connectors/perp_listener.hpp"
#include "aqueduct/connectors/top_listener.hpp"
#include "aqueduct/connectors/recorder.hpp"
#include "aqueduct/connectors/stream_protocol.hpp"
#include "aqueduct/net/ws_client.hpp"

namespace aq::connectors {

struct StreamSessionOptions {
  std::string host = "127.0.0.1";
  uint16_t port = 0;
  std::chrono::milliseconds stale_after{1000};
  std::chrono::milliseconds snapshot_timeout{3000};  // subscribed but no snapshot: try again
  std::chrono::milliseconds pong_timeout{3000};       // ping unanswered: reconnect
  std::chrono::milliseconds reconnect_min{100};
  std::chrono::milliseconds reconnect_max{10'000};
  std::chrono::milliseconds resubscribe_max{5'000};
  std::string record_path;  // when set, every raw message is appended here
  std::shared_ptr<boost::asio::ssl::context> tls;  // real venues; null: plain TCP (the simulator)
  // Venues close long-lived connections (Binance 24 h); reconnect on our schedule before that.
  std::chrono::milliseconds max_connection_age{std::chrono::hours(23) + std::chrono::minutes(50)};
};

class StreamSession : public BookFeed {
 public:
  StreamSession(boost::asio::io_context& io, std::unique_ptr<StreamProtocol> protocol,
                StreamSessionOptions options, BookListener& listener, Clock clock = wall_clock(),
                PerpListener* perp_listener = nullptr, TopListener* top_listener = nullptr);
  ~StreamSession() override;

  void start() override;
  void stop() override;
  size_t size() const override { return protocol_->size(); }
  const Instrument& instrument(size_t i) const override { return protocol_->instrument(i); }
  aqueduct::msg::BookState state(size_t i) const override { return books_[i].state; }
  L2Book book(size_t i) const override { return protocol_->book(i); }
  uint64_t seq(size_t i) const override { return protocol_->seq(i); }

  uint64_t resyncs() const { return resyncs_; }
  uint64_t reconnects() const { return reconnects_; }

 private:
  struct BookSlot {
    aqueduct::msg::BookState state = aqueduct::msg::BOOK_STATE_UNSPECIFIED;
    int64_t last_update_ns = 0;
    int64_t subscribed_ns = 0;   // when the last subscribe went out (snapshot deadline)
    int64_t live_since_ns = 0;
    int64_t resubscribe_at_ns = 0;  // pending resubscribe not before this time; 0 = none
    std::chrono::milliseconds backoff{0};
  };

  void connect();
  void on_open();
  void on_message(std::string_view text);
  void on_disconnect(const std::string& why);
  void handle(StreamEvent& e, int64_t now);
  void resync(size_t i, const std::string& why, int64_t now);
  void resubscribe(size_t i, int64_t now);
  void drop_connection(const std::string& why);
  void set_state(size_t i, aqueduct::msg::BookState s, const std::string& reason);
  void housekeeping();

  boost::asio::io_context& io_;
  std::unique_ptr<StreamProtocol> protocol_;
  StreamSessionOptions options_;
  BookListener& listener_;
  Clock clock_;
  PerpListener* perp_listener_;
  TopListener* top_listener_;
  std::vector<BookSlot> books_;
  std::vector<StreamEvent> events_;  // reused per message
  std::unique_ptr<Recorder> recorder_;
  std::shared_ptr<net::WsClient> ws_;
  bool connected_ = false;
  int64_t last_rx_ns_ = 0;
  int64_t ping_sent_ns_ = 0;  // 0 = no ping outstanding
  int64_t connected_ns_ = 0;
  boost::asio::steady_timer reconnect_timer_;
  boost::asio::steady_timer tick_timer_;
  std::chrono::milliseconds backoff_;
  std::mt19937_64 jitter_;
  bool stopped_ = true;
  uint64_t resyncs_ = 0;
  uint64_t reconnects_ = 0;
  std::shared_ptr<bool> alive_ = std::make_shared<bool>(true);
};

}  // namespace aq::connectors
