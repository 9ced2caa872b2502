#pragma once
// A venue's REST order entry as pure functions (no I/O, no clock: time is passed in): the
// signed request that places a limit IOC, the request that finds it again by client id (and
// its trades), and what the venue's answers mean. RestOrderEntry runs any of them with the
// one policy hedging relies on: whatever cannot be known from an answer is UNKNOWN and is
// settled by querying, never assumed rejected.
#include <boost/beast/http/verb.hpp>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "aqueduct/connectors/funding_settlement.hpp"
#include "aqueduct/connectors/margin_account.hpp"
#include "aqueduct/connectors/order_outcome.hpp"
#include "aqueduct/connectors/order_request.hpp"
#include "aqueduct/types/instrument.hpp"

namespace aq::connectors {

struct VenueCredentials {
  std::string api_key;
  std::string api_secret;
  std::string passphrase;  // OKX only
};

struct RestRequest {
  boost::beast::http::verb verb = boost::beast::http::verb::get;
  std::string target;  // path and query, exactly as signed
  std::string body;    // exactly as signed
  std::vector<std::pair<std::string, std::string>> headers;
  // What the request costs in each bucket of the venue's RateLimiter (the venue's own
  // spec, e.g. RateLimiter::binance_spot()); empty = not counted.
  std::vector<int64_t> cost;
};

// A venue's answer, as a status code and body (transport errors never reach the protocol).
struct RestAnswer {
  int status = 0;
  std::string_view body;
};

enum class Verdict {
  Final,     // the outcome is known (filled, expired, rejected before matching)
  Accepted,  // the venue took the order; its result must be queried
  Open,      // (query) the order is still working
  NotFound,  // (query) the venue has no such order: it never reached the book
  Unknown,   // cannot tell (5xx, rate limited, unreadable): query again
};

struct Answer {
  Verdict verdict = Verdict::Unknown;
  OrderOutcome outcome;  // status, venue id, filled quantities; detail names what was read
};

// An answer that settles nothing (a 5xx, a rate limit, an unreadable body): query again.
inline Answer unknown(std::string detail) {
  Answer a;
  a.verdict = Verdict::Unknown;
  a.outcome.detail = std::move(detail);
  return a;
}

class OrderProtocol {
 public:
  virtual ~OrderProtocol() = default;
  virtual const char* venue_kind() const = 0;
  // The client order id as the venue will hold it (OKX allows only 32 alphanumerics).
  virtual std::string venue_client_id(const std::string& client_order_id) const { return client_order_id; }
  virtual RestRequest place(const LimitOrder& order, const Instrument& inst, int64_t now_ms) const = 0;
  virtual Answer read_place(const RestAnswer& a, const Instrument& inst) const = 0;
  virtual RestRequest query(const LimitOrder& order, const Instrument& inst, int64_t now_ms) const = 0;
  virtual Answer read_query(const RestAnswer& a, const Instrument& inst) const = 0;
  // Cancels by client id. The answer is read as: Final (cancelled now), Accepted (the venue
  // refuses because the order is already filled or done — which is not a failure: its final
  // state, fills included, comes from the query), Unknown, or a rejection of the request.
  virtual RestRequest cancel(const LimitOrder& order, const Instrument& inst, int64_t now_ms) const = 0;
  virtual Answer read_cancel(const RestAnswer& a, const Instrument& inst) const = 0;
  // The trades of a final order with fills, where the order query does not list them.
  virtual std::optional<RestRequest> fills(const std::string& venue_order_id, const Instrument& inst,
                                           int64_t now_ms) const = 0;
  // Fails (returns nullopt) when the answer cannot be read.
  virtual std::optional<std::vector<OrderFill>> read_fills(const RestAnswer& a, const Instrument& inst) const = 0;
  // The signed request for the derivatives account's margin; nullopt when this venue (or the
  // market this protocol trades on it) has no such account, as a spot market has none.
  virtual std::optional<RestRequest> account(int64_t /*now_ms*/) const { return std::nullopt; }
  // The account's figures, or nullopt with `why` set when the answer cannot be read (an
  // error, a missing field): never a guess.
  virtual std::optional<MarginAccount> read_account(const RestAnswer& /*a*/,
                                                    std::string& why) const {
    why = std::string(venue_kind()) + " reports no margin account";
    return std::nullopt;
  }
  // The request for `inst`'s funding settlements in [from_ms, to_ms] (the venue's public
  // history); nullopt when `inst` pays no funding here (spot, or a venue without history).
  virtual std::optional<RestRequest> funding_history(const Instrument& /*inst*/,
                                                     int64_t /*from_ms*/, int64_t /*to_ms*/) const {
    return std::nullopt;
  }
  // The settlements read, oldest first, or nullopt with `why` set when the answer cannot be
  // read: a settlement missed is never guessed.
  virtual std::optional<FundingHistoryPage> read_funding_history(const RestAnswer& /*a*/,
                                                                 const Instrument& inst,
                                                                 std::string& why) const {
    why = std::string(venue_kind()) + " publishes no funding history for " + inst.symbol;
    return std::nullopt;
  }
};

}  // namespace aq::connectors
