#pragma once
// Limit order entry over REST for any venue's OrderProtocol: place, then (for venues that
// only acknowledge, and for post-only orders resting on the book) query until final, then
// fetch the trades. A post-only order still working at its deadline is cancelled, and its
// final state (fills made before the cancel included) is what is reported. A transport failure
// after sending, a timeout, a 5xx or a 429 leaves the order UNKNOWN and it is reconciled by
// querying it by client id: found, it is whatever the venue says; not found, it never
// reached the book and is a rejection. The rate limiter is consulted before anything is sent,
// with each request's cost as the venue's protocol states it: an order over the limit is not
// sent (rejected at once), a query waits for room.
#include <boost/asio/io_context.hpp>
#include <functional>
#include <map>
#include <memory>
#include <string>

#include "aqueduct/bus/clock.hpp"
#include "aqueduct/connectors/order_protocol.hpp"
#include "aqueduct/connectors/rate_limiter.hpp"
#include "aqueduct/net/http_client.hpp"

namespace aq::connectors {

class RestOrderEntry {
 public:
  using Callback = std::function<void(OrderOutcome)>;

  RestOrderEntry(boost::asio::io_context& io, std::unique_ptr<OrderProtocol> protocol,
                 std::string host, uint16_t port, Clock clock = wall_clock(),
                 std::chrono::milliseconds timeout = std::chrono::milliseconds(5000),
                 std::shared_ptr<RateLimiter> limiter = nullptr, int max_queries = 20,
                 std::shared_ptr<boost::asio::ssl::context> tls = nullptr);
  ~RestOrderEntry();
  // True when the request was handed to the venue's connection (written now when the
  // connection is open and idle); false when the rate limiter refused it (cb says so).
  // A post-only order rests until `cancel_at_ns` (the clock's time), polled meanwhile; then it
  // is cancelled and reported as it ends. Without a deadline it is queried like any
  // acknowledged order, a bounded number of times.
  bool place(const LimitOrder& order, const Instrument& inst, Callback cb,
             int64_t cancel_at_ns = 0);
  // Cancels, then reports the order's final state from a query: a cancel refused because the
  // order filled reports that fill.
  void cancel(const LimitOrder& order, const Instrument& inst, Callback cb);
  // Brings a working post-only order's deadline forward to now: it is cancelled at its next
  // poll and reported as it ends. False when no such order is working here.
  bool cancel_working(const std::string& client_order_id);
  // Places nothing: finds the order by its client id and reports its final state, fills
  // included. One the venue never had is reported REJECTED with `never_placed` set. One
  // still working (a post-only order whose placer is gone) is cancelled first.
  void reconcile(const LimitOrder& order, const Instrument& inst, Callback cb);
  // Builds and signs a placement for `inst` as place would, and drops it: nothing
  // is sent and the rate limiter is not asked. Keeps the signing path's code and data warm
  // between rare orders (see SendPathWarmer).
  void warm(const Instrument& inst) const;
  // Reads the venue's derivatives account (OrderProtocol::account) over a connection of its
  // own, so that no order ever waits behind it. The rate limiter is asked first; without room
  // nothing is sent. `cb` gets the figures, or nullopt and why (no such account, no room, a
  // transport error, an unreadable answer). False, and no call, when the venue has no account.
  using AccountCallback = std::function<void(std::optional<MarginAccount>, std::string why)>;
  bool fetch_account(AccountCallback cb);
  // Reads `inst`'s funding settlements in [from_ms, to_ms] (OrderProtocol::funding_history)
  // over the same side connection as account reads. `cb` gets a page, or nullopt and why.
  // False, and no call, when `inst` pays no funding on this venue.
  using FundingCallback = std::function<void(std::optional<FundingHistoryPage>, std::string why)>;
  bool fetch_funding_history(const Instrument& inst, int64_t from_ms, int64_t to_ms,
                             FundingCallback cb);

 private:
  struct Job;
  void send(RestRequest r, std::function<void(net::HttpResult)> done);
  // A venue's answer (its status, any Retry-After) to the rate limiter.
  void tell_limiter(const net::HttpResult& res);
  // Sends what `build` makes once the rate limiter has room for its cost, waiting for it.
  void send_admitted(std::shared_ptr<Job> job, std::function<RestRequest()> build,
                     std::function<void(net::HttpResult)> done);
  void query(std::shared_ptr<Job> job);
  void cancel_job(std::shared_ptr<Job> job);
  void fetch_fills(std::shared_ptr<Job> job);
  // Sends a read (account, funding history) on the side connection once the rate limiter
  // admits it; `done` gets the answer, or why it was not had.
  void side_read(RestRequest r, std::function<void(std::optional<RestAnswer>, std::string)> done);

  boost::asio::io_context& io_;
  std::unique_ptr<OrderProtocol> protocol_;
  net::HttpClient http_;
  // Account reads: made on first use, to the same venue.
  std::unique_ptr<net::HttpClient> account_http_;
  std::string host_;
  uint16_t port_ = 0;
  std::chrono::milliseconds timeout_;
  std::shared_ptr<boost::asio::ssl::context> tls_;
  Clock clock_;
  std::shared_ptr<RateLimiter> limiter_;
  int max_queries_;
  std::map<std::string, std::weak_ptr<Job>> working_;  // post-only orders resting, by client id
  std::shared_ptr<bool> alive_ = std::make_shared<bool>(true);
};

}  // namespace aq::connectors
