#pragma once
// A simulated venue that streams books by subscription over one WebSocket (OKX, Bybit,
// BitMEX, Coinbase), speaking the venue's protocol through a StreamFace. Each instrument has
// its own price process and book; subscribers get a snapshot and then one delta per tick.
// Scripted faults (callable from any thread; they post to the loop) cover what venues.md §9
// asks the connectors to survive: sequence gaps, dropped and duplicated messages, silence,
// frozen markets, crossed books, disconnects and jumps.
#include <atomic>
#include <boost/asio/io_context.hpp>
#include <boost/asio/steady_timer.hpp>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "aqueduct/net/http_server.hpp"
#include "aqueduct/net/ws_session.hpp"
#include "aqueduct/sim/binance_sim.hpp"
#include "aqueduct/sim/perp_marks.hpp"
#include "aqueduct/sim/price_process.hpp"
#include "aqueduct/sim/sim_account.hpp"
#include "aqueduct/sim/stream_face.hpp"
#include "aqueduct/sim/venue_price.hpp"

namespace aq::sim {

struct StreamSimOptions {
  std::string address = "127.0.0.1";
  uint16_t port = 0;
  uint64_t seed = 7;
  std::chrono::milliseconds tick{100};
  int64_t funding_interval_ms = kFundingInterval8hMs;  // perps: settlements this often
  std::vector<SimInstrument> instruments;
  PathLink path;  // a shared reference path and this venue's lag; none = independent walks
  connectors::VenueCredentials credentials;  // what order entry accepts
  std::optional<SimMarginTerms> account;     // the derivatives account; none: not kept
};

class StreamSim {
 public:
  StreamSim(boost::asio::io_context& io, std::unique_ptr<StreamFace> face, StreamSimOptions options);
  ~StreamSim();
  void start();
  void stop();
  uint16_t port() const { return server_.port(); }
  const std::string& address() const { return server_.address(); }
  const char* venue_kind() const { return face_->venue_kind(); }

  // Scripted faults.
  void inject_gap(const std::string& symbol);      // the next delta does not chain
  void drop_next(const std::string& symbol);       // the next delta is not sent
  void duplicate_next(const std::string& symbol);  // the next delta is sent twice
  void cross_next(const std::string& symbol);      // the next delta crosses the book
  void set_silent(const std::string& symbol, bool on);  // deltas stop (the market moves on)
  void set_frozen(const std::string& symbol, bool on);  // the market stops changing
  void jump_bps(const std::string& symbol, int64_t bps);
  void disconnect_all();  // closes every connection, as a venue restart does
  void set_order_fault(OrderFault fault);
  uint64_t orders_received() const { return orders_.load(); }

  // The book as last published (thread-safe copy), and subscribe requests seen per symbol.
  L2Book published(const std::string& symbol) const;
  uint64_t subscribes(const std::string& symbol) const;

 private:
  struct Market;
  struct Connection;
  void on_tick();
  void on_upgrade(boost::beast::tcp_stream stream, net::HttpRequest req);
  void on_http(const net::HttpRequest& req, net::HttpServer::Respond respond);
  std::optional<net::HttpResponse> orders(const net::HttpRequest& req, net::HttpServer::Respond& respond);
  SimOrder& execute(Market& m, const OrderCall& call, int64_t max_fill_ppm);
  // The account as of now (every fill so far, the marks now); nullopt when none is kept.
  std::optional<connectors::MarginAccount> account_now();
  // Fills the market's post-only orders that the market has reached (on each tick).
  void fill_resting(Market& m, int64_t now_ms);
  void on_frame(const std::shared_ptr<net::WsSession>& s, std::string_view text);
  void post_to(const std::string& symbol, std::function<void(Market&)> f);
  Market* market(const std::string& symbol);
  BookPush push_of(Market& m) const;
  PerpPush perp_of(Market& m, int64_t now_ms) const;
  TopPush top_of(Market& m, int64_t now_ms) const;

  boost::asio::io_context& io_;
  std::unique_ptr<StreamFace> face_;
  StreamSimOptions options_;
  net::HttpServer server_;
  boost::asio::steady_timer timer_;
  std::map<std::string, std::unique_ptr<Market>> markets_;
  std::map<uint64_t, std::unique_ptr<Connection>> connections_;  // by session id
  mutable std::mutex published_mutex_;
  std::map<std::string, L2Book> published_;
  std::map<std::string, uint64_t> subscribes_;
  int64_t last_perp_ms_ = 0;
  std::map<std::string, SimOrder> orders_by_client_;
  std::map<std::string, std::string> client_by_venue_id_;
  uint64_t next_order_id_ = 7'000'000;
  uint64_t next_trade_id_ = 8'000'000;
  std::atomic<uint64_t> orders_{0};
  OrderFault fault_;
  int fault_left_ = 0;
  std::shared_ptr<bool> alive_ = std::make_shared<bool>(true);
};

}  // namespace aq::sim
