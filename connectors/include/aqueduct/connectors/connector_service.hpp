#pragma once
// The connectors component: runs every configured venue session (any BookFeed: Binance's
// REST+diff sessions, the subscription-stream sessions of OKX, Bybit, BitMEX, Coinbase) on one
// loop and publishes what they report on the bus — BookSnapshot on (re)sync and as a periodic checkpoint,
// BookDelta for each applied diff, VenueStatus on every state change.
#include <boost/asio/io_context.hpp>
#include <boost/asio/steady_timer.hpp>
#include <map>
#include <memory>
#include <vector>
#include <zmq.hpp>

#include "aqueduct/bus/bus.hpp"
#include "aqueduct/connectors/book_feed.hpp"
#include "aqueduct/connectors/book_listener.hpp"
#include "aqueduct/connectors/perp_listener.hpp"
#include "aqueduct/connectors/top_listener.hpp"

namespace aq::connectors {

struct ConnectorOptions {
  std::chrono::milliseconds checkpoint_interval{1000};
  int checkpoint_depth = 100;  // levels per side in checkpoint snapshots
};

class ConnectorService : public BookListener, public PerpListener, public TopListener {
 public:
  ConnectorService(boost::asio::io_context& io, zmq::context_t& zmq, const std::string& pub_endpoint,
                   ConnectorOptions options);
  // Adds a session built with this service as its listener (before start()).
  void add(std::unique_ptr<BookFeed> feed) { feeds_.push_back(std::move(feed)); }
  BookListener& listener() { return *this; }
  PerpListener& perp_listener() { return *this; }
  TopListener& top_listener() { return *this; }
  void start();
  void stop();

  void on_book_snapshot(const Instrument& inst, const L2Book& book, uint64_t seq,
                        int64_t exchange_ts_ns, int64_t local_ts_ns) override;
  void on_book_delta(const Instrument& inst, const BookChange& change) override;
  void on_book_state(const Instrument& inst, aqueduct::msg::BookState state,
                     const std::string& reason) override;
  // Mark/index on md.mark.<venue>.<symbol>, funding on md.funding.<venue>.<symbol>.
  void on_perp_stats(const Instrument& inst, const PerpStats& stats) override;
  // The venue's best bid and offer on md.top.<venue>.<symbol>; a crossed or one-sided top is
  // not published.
  void on_top_of_book(const Instrument& inst, const TopOfBook& top) override;

 private:
  void checkpoint();

  boost::asio::io_context& io_;
  ConnectorOptions options_;
  bus::Publisher pub_;
  std::vector<std::unique_ptr<BookFeed>> feeds_;
  boost::asio::steady_timer checkpoint_timer_;
  std::shared_ptr<bool> alive_ = std::make_shared<bool>(true);
};

}  // namespace aq::connectors
