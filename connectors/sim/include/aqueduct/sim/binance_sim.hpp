#pragma once
// The venue simulator's Binance faces (spot, or USD-M futures): serves on loopback the same
// wire protocol the real connector speaks — `/ws/<symbol>@depth@100ms` diffs with U/u (pu)
// ids, `GET /api/v3/depth` (`/fapi/v1/depth`) snapshots, and HMAC-signed order entry matched
// against its own book: limit IOC placement, the order query, cancel and the account's trades.
// Faults for tests are scripted through the methods below (thread-safe: they post to the loop).
#include <atomic>
#include <boost/asio/io_context.hpp>
#include <boost/asio/steady_timer.hpp>
#include <functional>
#include <map>
#include <memory>
#include <set>
#include <variant>
#include <string>
#include <vector>

#include "aqueduct/connectors/order_outcome.hpp"
#include "aqueduct/net/http_server.hpp"
#include "aqueduct/net/url.hpp"
#include "aqueduct/net/ws_session.hpp"
#include "aqueduct/sim/perp_marks.hpp"
#include "aqueduct/sim/price_process.hpp"
#include "aqueduct/sim/sim_account.hpp"
#include "aqueduct/sim/sim_book.hpp"
#include "aqueduct/sim/venue_price.hpp"
#include "aqueduct/types/instrument.hpp"

namespace aq::sim {

struct SimInstrument {
  Instrument instrument;
  int64_t start_mid = 0;         // price units
  int64_t max_step_ticks = 40;   // random-walk step bound per tick
  SimBookParams book;
  std::string asset;             // the reference path it follows; empty = the instrument's base
};

// Which Binance API the simulator speaks: spot (/api/v3, diffs chained by U/u) or USD-M
// futures (/fapi/v1, diffs chained by pu).
enum class BinanceDialect { Spot, UsdmFutures };

// Scripted order-entry faults (venues.md §9): each applies to the next `count` orders.
struct OrderFault {
  enum class Kind {
    RateLimited,          // 429 -1003 before matching: the order never reaches the book
    UnavailableExecuted,  // the order executes, but the reply is 503 (outcome unknown)
    SlowAck,              // the order executes at once; the reply is held back `delay`
    PartialFill,          // at most half the quantity fills (IOC remainder expires)
  };
  Kind kind = Kind::RateLimited;
  int count = 1;
  std::chrono::milliseconds delay{0};
};

struct BinanceSimOptions {
  BinanceDialect dialect = BinanceDialect::Spot;
  std::string address = "127.0.0.1";
  uint16_t port = 0;
  uint64_t seed = 42;
  std::chrono::milliseconds tick{100};
  int64_t funding_interval_ms = kFundingInterval8hMs;  // perps: settlements this often
  std::string api_key;     // order entry credentials the simulator accepts
  std::string api_secret;
  std::vector<SimInstrument> instruments;
  PathLink path;  // a shared reference path and this venue's lag; none = independent walks
  std::optional<SimMarginTerms> account;  // futures: the account /fapi/v2/account reports
};

class BinanceSim {
 public:
  BinanceSim(boost::asio::io_context& io, BinanceSimOptions options);
  ~BinanceSim();
  void start();
  void stop();
  uint16_t port() const { return server_.port(); }
  const std::string& address() const { return server_.address(); }

  // Scripted faults (callable from any thread).
  // Spot: the next diff skips update ids. Futures: the next diff is dropped, so the one after
  // it carries a pu the client never saw.
  void inject_gap(const std::string& symbol);
  void set_silent(const std::string& symbol, bool on);  // stop/resume sending diffs
  void jump_bps(const std::string& symbol, int64_t bps);
  void set_frozen(const std::string& symbol, bool on);  // the market stops moving entirely
  void drop_next(const std::string& symbol);       // the next diff is not sent
  void duplicate_next(const std::string& symbol);  // the next diff is sent twice
  void cross_next(const std::string& symbol);      // the next diff carries a bid at the best ask
  void disconnect_all();                           // closes every stream, as a venue restart does
  void announce_shutdown();                        // sends {"e":"serverShutdown"} on every stream
  void set_order_fault(OrderFault fault);
  // The book as of the last published diff. Call on the simulator's loop.
  const L2Book* published(const std::string& symbol);

  uint64_t orders_received() const { return orders_.load(); }

  // What the account traded on a symbol: the net quantity bought (qty units, sells negative)
  // and each order's executed quantity by client id. Call on the simulator's loop.
  struct Account {
    int64_t net_qty = 0;
    std::map<std::string, int64_t> executed;  // client order id -> qty units (> 0 only)
  };
  Account account(const std::string& symbol) const;
  // Called with each order-entry request's client order id as soon as it is read off the
  // socket, before authentication or matching (benchmarks: when an order reached the venue).
  // Set on the simulator's loop.
  void set_order_observer(std::function<void(std::string_view client_order_id)> f) { order_observer_ = std::move(f); }

 private:
  struct Market;
  void on_tick();
  void handle(const net::HttpRequest& req, net::HttpServer::Respond respond);
  net::HttpResponse depth(const std::string& query);
  net::HttpResponse exchange_info(const std::string& query);
  // Order entry (binance_sim_orders.cpp): true when `req` was an order-entry request.
  bool handle_order_entry(const net::HttpRequest& req, net::HttpServer::Respond& respond);
  net::HttpResponse order(const net::HttpRequest& req, int64_t max_fill_ppm = 1'000'000);
  net::HttpResponse query_order(const net::HttpRequest& req);
  net::HttpResponse cancel_order(const net::HttpRequest& req);
  net::HttpResponse trades(const net::HttpRequest& req);
  net::HttpResponse account(const net::HttpRequest& req);  // futures: GET /fapi/v2/account
  // The signed request's parameters, or the error Binance answers with.
  std::variant<net::Params, net::HttpResponse> authenticate(const net::HttpRequest& req);
  struct SimOrder {
    std::string symbol, client_order_id, side, price, orig_qty;  // as the order was sent
    uint64_t order_id = 0;
    std::string status;  // IOC: FILLED or EXPIRED once matched; post-only: NEW until filled or CANCELED
    int64_t executed_qty = 0, cumulative_quote = 0, time_ms = 0;
    std::vector<connectors::OrderFill> fills;
    bool post_only = false;  // spot LIMIT_MAKER, futures GTX: its fills are maker fills
  };
  // Fills the market's post-only orders that the market has reached (on each tick).
  void fill_resting(Market& m, int64_t now_ms);
  std::string format_order(const SimOrder& o, bool with_fills) const;
  void on_upgrade(boost::beast::tcp_stream stream, net::HttpRequest req);
  void on_frame(const std::shared_ptr<net::WsSession>& s, std::string_view text);
  void publish_marks(int64_t now_ms);
  net::HttpResponse funding_rates(const std::string& query);
  void publish_tops(int64_t now_ms);
  Market* market(const std::string& symbol);

  boost::asio::io_context& io_;
  std::function<void(std::string_view)> order_observer_;
  BinanceSimOptions options_;
  net::HttpServer server_;
  boost::asio::steady_timer timer_;
  std::map<std::string, std::unique_ptr<Market>> markets_;  // by upper-case symbol
  std::map<std::string, SimOrder> orders_by_client_id_;
  uint64_t next_order_id_ = 5'000'000;
  int64_t last_mark_ms_ = 0;
  uint64_t next_trade_id_ = 9'000'000;
  std::atomic<uint64_t> orders_{0};
  OrderFault fault_;
  int fault_left_ = 0;
  std::shared_ptr<bool> alive_ = std::make_shared<bool>(true);
};

}  // namespace aq::sim
