#pragma once
// The lifecycle of every firm quote, whatever protocol issued it (native, 0x, Hashflow, Bebop).
// Pure: time comes in, decisions come out.
//
//   reserve ──> Live ──begin_fill──> Filling ──commit──> Filled
//                 │  <──abort_fill──────┘
//                 ├──decline──> Declined
//                 └──(expiry)──> Expired
//
// A quote reserves its size against the listing's outstanding limit (per side: what we have
// promised to sell, or to buy, at once) and its notional against the client's limits until it
// is filled, declined or expires. A quote fills at most once: the Filling state holds it while
// the fill is made durable, so a second accept is refused even before the first commits.
// Expired and settled quotes are remembered for a grace period so that a late accept is told
// what happened rather than "unknown".
#include <cstdint>
#include <map>
#include <queue>
#include <string>
#include <vector>
#include <unordered_map>

#include "aqueduct/types/instrument.hpp"

namespace aq::rfq {

enum class Protocol { Native, ZeroEx, Hashflow, Bebop };
const char* to_string(Protocol p);

// Notional in the listing's quote asset, at 10^-6 (the listings quote in USD stablecoins).
constexpr int kNotionalScale = 6;
// qty x price rounded up to the notional scale (limits are checked against the larger value).
int64_t notional_of(int64_t qty, int qty_scale, int64_t price, int price_scale);

struct IssuedQuote {
  std::string quote_id;
  std::string client_id;
  std::string listing;
  Protocol protocol = Protocol::Native;
  Side side = Side::Buy;  // the taker's side
  int64_t price = 0;      // listing price units
  int64_t qty = 0;        // listing qty units
  int64_t notional = 0;   // at kNotionalScale
  int64_t created_ns = 0;
  int64_t expiry_ns = 0;
};

// A firm quote as every gateway builds it: its notional follows from price and size.
IssuedQuote make_issued_quote(std::string quote_id, std::string client_id, const Listing& listing,
                              Protocol protocol, Side side, int64_t price, int64_t qty,
                              int64_t created_ns, int64_t expiry_ns);

enum class QuoteState { Live, Filling, Filled, Declined, Expired };
const char* to_string(QuoteState s);

struct ListingLimit {
  int64_t max_outstanding_qty = 0;  // per side, listing qty units; 0 = no limit
};
struct ClientLimit {
  int64_t max_quote_notional = 0;  // one quote; 0 = no limit
  int64_t max_open_notional = 0;   // all live quotes together; 0 = no limit
};

enum class ReserveError {
  None,
  DuplicateId,
  ListingOutstanding,
  ClientQuoteNotional,
  ClientOpenNotional
};
struct ReserveResult {
  ReserveError error = ReserveError::None;
  std::string detail;  // what was asked, what is in use, what is allowed
  explicit operator bool() const { return error == ReserveError::None; }
};
const char* to_string(ReserveError e);

enum class FillError {
  None,
  Unknown,
  NotYours,
  Expired,
  AlreadyFilled,
  InProgress,
  Declined,
  BadQty
};
const char* to_string(FillError e);

struct FillCheck {
  bool enforce_expiry = true;  // false for on-chain settlements reported after the fact
  bool check_client = true;    // false when the protocol has no per-quote client identity
};

class QuoteLedger {
 public:
  explicit QuoteLedger(int64_t grace_ns = 600'000'000'000) : grace_ns_(grace_ns) {}

  ReserveResult reserve(const IssuedQuote& q, const ListingLimit& listing,
                        const ClientLimit& client, int64_t now_ns);
  // Starts a fill of `qty` (0 < qty <= the quote's qty). On success the quote is Filling and
  // `out` holds it; its reservation stays until commit_fill or abort_fill.
  FillError begin_fill(const std::string& quote_id, const std::string& client_id, int64_t qty,
                       int64_t now_ns, IssuedQuote& out, FillCheck check = {});
  void commit_fill(const std::string& quote_id);
  // The fill could not be made durable: the quote is Live again (or Expired if past expiry).
  void abort_fill(const std::string& quote_id, int64_t now_ns);
  // The taker or our last look declined a Live quote; its reservation is released.
  bool decline(const std::string& quote_id);
  // A quote this ledger no longer holds (forgotten, or issued before a restart) back from the
  // record, without a reservation: Expired, or Filled if the record says so. For settlements
  // reported on-chain after the fact. False if the ledger already holds it.
  bool restore(const IssuedQuote& q, bool filled);
  // Expires Live quotes whose time has come; forgets settled ones past the grace period.
  // Work is proportional to the quotes whose time has come, not to all quotes held: each
  // quote waits in a deadline queue (its expiry, then the end of its grace). `expired` gets
  // the quotes whose expiry passed now (whatever their state: filled, declined or live until
  // now); `forgotten` the ones dropped. Returns how many were forgotten.
  size_t sweep(int64_t now_ns, std::vector<std::string>* expired = nullptr,
               std::vector<std::string>* forgotten = nullptr);

  const IssuedQuote* find(const std::string& quote_id) const;
  QuoteState state(const std::string& quote_id) const;  // Expired for unknown ids too
  int64_t outstanding(const std::string& listing, Side side) const;
  int64_t open_notional(const std::string& client_id) const;
  size_t size() const { return quotes_.size(); }

 private:
  struct Entry {
    IssuedQuote quote;
    QuoteState state = QuoteState::Live;
  };
  void release(const Entry& e);

  int64_t grace_ns_;
  std::unordered_map<std::string, Entry> quotes_;
  using Deadline = std::pair<int64_t, std::string>;  // when, quote id
  std::priority_queue<Deadline, std::vector<Deadline>, std::greater<>> deadlines_;
  std::map<std::pair<std::string, Side>, int64_t> outstanding_;
  std::unordered_map<std::string, int64_t> open_notional_;
};

}  // namespace aq::rfq
