#pragma once
// How a simulated venue that streams books by subscription writes its wire protocol: the
// StreamSim owns markets, connections, ticks and faults; a StreamFace only reads client frames
// and writes messages, so each venue's face is a small set of pure formatting functions.
#include <cstdint>
#include <functional>
#include <initializer_list>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "aqueduct/connectors/order_protocol.hpp"
#include "aqueduct/net/http_server.hpp"
#include "aqueduct/net/url.hpp"
#include "aqueduct/sim/perp_marks.hpp"
#include "aqueduct/sim/sim_book.hpp"
#include "aqueduct/types/decimal.hpp"
#include "aqueduct/types/instrument.hpp"
#include "aqueduct/types/l2_book.hpp"

namespace aq::sim {

struct Subscription {
  std::string symbol;  // the venue's symbol
  bool perp = false;   // mark/index/funding rather than the book
  bool top = false;    // the venue's best bid and offer (bbo-tbt, orderbook.1) rather than the book
};

// The best bid and offer about to go out (either side may be empty: qty 0).
struct TopPush {
  const Instrument* instrument = nullptr;
  Level bid, ask;
  uint64_t seq = 0;
  int64_t ts_ms = 0;
};

struct ClientRequest {
  enum class Op { Subscribe, Unsubscribe, Ping, None };
  Op op = Op::None;
  std::vector<Subscription> subs;    // what the request names
  std::vector<std::string> replies;  // acknowledgements, pongs or errors to send back now
};


// Per-connection state a face may keep (Coinbase numbers every message on a connection).
struct ConnectionState {
  uint64_t next_seq = 1;
  int64_t last_heartbeat_s = 0;
  uint64_t heartbeats = 0;
  bool heartbeats_enabled = false;
  std::set<std::string> channels;  // "channel:symbol" a face tracks itself (OKX index-tickers)
};

// One book message about to go out: the change (or full book) and its sequence numbers.
struct BookPush {
  const Instrument* instrument = nullptr;
  const L2Book* book = nullptr;    // the book after the change (snapshots: the whole of it)
  const L2Book* before = nullptr;  // deltas: the book before the change
  const Diff* diff = nullptr;      // deltas: the changed levels (absolute sizes, 0 removes)
  uint64_t prev_seq = 0;
  uint64_t seq = 0;
  int64_t ts_ms = 0;
  std::optional<Level> phantom_bid;
  bool lost_before = false;  // a scripted gap: venues with a per-connection sequence skip numbers  // a row to write as an update of a level that is not there
};

// An order the simulator matched, as its order-entry face reports it.
struct SimOrder {
  std::string venue_id;
  std::string client_id;
  std::string symbol;
  Side side = Side::Buy;
  int64_t price = 0;  // price units
  int64_t qty = 0;    // qty units
  int64_t filled = 0;
  std::vector<std::pair<Execution, std::string>> fills;  // with trade ids
  int64_t ts_ms = 0;
  bool post_only = false;
  // A post-only order on the book. Otherwise the order is done: filled when filled == qty,
  // else cancelled (an IOC's remainder, a post-only order cancelled or one that would take).
  bool resting = false;
};

// What a REST call to a simulated venue's order entry asks for, once the face has checked its
// signature and fields (`refusal` set: answer that and do nothing else).
struct OrderCall {
  enum class Kind { None, Place, QueryOrder, QueryFills, Cancel, Account };
  Kind kind = Kind::None;
  std::string symbol;
  std::string client_id;
  std::string venue_id;
  Side side = Side::Buy;
  int64_t price = 0;
  int64_t qty = 0;
  bool post_only = false;  // rests as a maker; cancelled by the venue if it would take
  std::optional<net::HttpResponse> refusal;
};

// A venue's order-entry endpoints, by method and path.
struct OrderRoute {
  boost::beast::http::verb verb;
  std::string_view path;
  OrderCall::Kind kind;
};

// Which order call a request is (Kind::None: not an order-entry request).
inline OrderCall::Kind order_call_kind(const net::HttpRequest& req, std::initializer_list<OrderRoute> routes) {
  auto path = net::split_target(req.target()).path;
  for (const auto& r : routes)
    if (r.path == path && r.verb == req.method()) return r.kind;
  return OrderCall::Kind::None;
}

using InstrumentLookup = std::function<const Instrument*(std::string_view symbol)>;
// A simulated perpetual's settlements in [from_ms, to_ms], oldest first, at most `limit`;
// nullopt when `symbol` is no perpetual here.
// A query parameter written as a decimal integer (a Unix ms time, a limit); `fallback` when
// absent, nullopt when present but not one.
inline std::optional<int64_t> int_param(const net::Params& p, std::string_view key,
                                        int64_t fallback) {
  auto v = net::param(p, key);
  if (!v) return fallback;
  if (v->empty() || v->size() > 18 || v->find_first_not_of("-0123456789") != std::string::npos)
    return std::nullopt;
  return std::stoll(*v);
}
using FundingLookup = std::function<std::optional<std::vector<connectors::FundingSettlement>>(
    std::string_view symbol, int64_t from_ms, int64_t to_ms, size_t limit)>;

class StreamFace {
 public:
  virtual ~StreamFace() = default;
  virtual const char* venue_kind() const = 0;
  virtual bool accepts_path(std::string_view path) const = 0;
  virtual std::optional<std::string> welcome() const { return std::nullopt; }
  virtual ClientRequest read_request(std::string_view text, ConnectionState& c) const = 0;
  // The venue's refusal of a subscription to a symbol it does not list.
  virtual std::string unknown_symbol(const std::string& symbol, ConnectionState& c) const = 0;
  virtual std::vector<std::string> snapshot(const BookPush& p, ConnectionState& c) const = 0;
  virtual std::vector<std::string> delta(const BookPush& p, ConnectionState& c) const = 0;
  // Sent when a subscribed book did not change in a tick (OKX's idle heartbeat); none by default.
  virtual std::optional<std::string> idle(const BookPush&, ConnectionState&) const { return std::nullopt; }
  // The venue's REST metadata endpoint for these instruments (instruments, products); nullopt
  // when `path` is not one this face serves. `query` is the raw query string.
  virtual std::optional<std::string> rest(std::string_view, std::string_view,
                                          const std::vector<const Instrument*>&) const {
    return std::nullopt;
  }
  // Order entry over REST (none by default). `read_order_call` authenticates and reads the
  // request; the simulator matches or looks up, then the face writes the answer.
  virtual OrderCall read_order_call(const net::HttpRequest&, const connectors::VenueCredentials&, int64_t,
                                    const InstrumentLookup&) const {
    return {};
  }
  virtual net::HttpResponse order_ack(const SimOrder&, const Instrument&) const { return {}; }
  virtual net::HttpResponse order_state(const SimOrder*, const Instrument&) const { return {}; }  // null: not found
  virtual net::HttpResponse order_fills(const SimOrder*, const Instrument&) const { return {}; }
  virtual net::HttpResponse rate_limited() const { return {}; }
  // The answer to cancelling an order: `cancelled_now` when it was resting and is cancelled
  // by this request; otherwise it was already done (or never existed: null).
  virtual net::HttpResponse cancel_answer(const SimOrder*, const Instrument&, bool /*cancelled_now*/) const {
    return {};
  }
  // The derivatives account's figures as the venue's account endpoint writes them; null: the
  // simulator keeps no account (answered as the venue's server error).
  virtual net::HttpResponse account_answer(const connectors::MarginAccount*) const { return {}; }
  // The venue's public funding history (a GET of `path` with `query`); nullopt when `path` is
  // not that endpoint here.
  virtual std::optional<net::HttpResponse> funding_history(std::string_view /*path*/,
                                                           std::string_view /*query*/,
                                                           const FundingLookup&) const {
    return std::nullopt;
  }
  // Mark, index and funding for a subscribed perpetual (once a second, and on subscribing).
  virtual std::vector<std::string> perp_stats(const PerpPush&, ConnectionState&) const { return {}; }
  // The venue's best bid and offer for a subscribed symbol, whenever it changes (and on
  // subscribing); none by default.
  virtual std::vector<std::string> top(const TopPush&, ConnectionState&) const { return {}; }
  // Sent once per tick on every connection (Coinbase's heartbeats channel); none by default.
  virtual std::optional<std::string> connection_heartbeat(int64_t, ConnectionState&) const { return std::nullopt; }
  // How a lost message shows on this venue. Sequenced venues: the sequence jumps. BitMEX has
  // no sequence, so its face answers with a row that contradicts the book instead.
  virtual bool gap_by_phantom_row() const { return false; }
};

}  // namespace aq::sim
