#pragma once
// The price of a size: walk the hedge venue's book for the size (what hedging it will cost),
// add the venue's taker fee and the listing's spread, and round against ourselves to the
// listing's tick. Refuses — with a reason — rather than quote on a stale, broken or thin book.
// Pure: books and time are inputs.
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "aqueduct/msg/quoting.pb.h"
#include "aqueduct/pricer/venue_book.hpp"
#include "aqueduct/types/instrument.hpp"

namespace aq::pricer {

struct PricingLimits {
  int64_t max_book_age_ns = 2'000'000'000;  // older books are stale
};

// A walk of one side of a book for a size.
struct Walk {
  bool complete = false;      // false: the book ran out first
  int64_t filled = 0;         // qty units
  int128 notional = 0;        // sum(price units * qty units)
  int64_t worst_price = 0;    // price units of the last level touched
};
// Walks the side a taker-buy would lift (asks) when `side` is Buy, else the bids.
Walk walk_book(const L2Book& book, Side side, int64_t qty);

struct FirmPrice {
  int64_t price = 0;  // units at the listing's price scale
  int64_t qty = 0;    // units at the listing's qty scale
  std::string venue_key;
  Decimal hedge_vwap;  // at the instrument price scale + 4
  Decimal fee_per_unit;
  Decimal spread_per_unit;
  int64_t book_age_ms = 0;
};

struct Refusal {
  aqueduct::msg::RefusalReason reason = aqueduct::msg::REFUSAL_UNSPECIFIED;
  std::string detail;
};

struct PriceResult {
  std::optional<FirmPrice> price;
  Refusal refusal;
  bool ok() const { return price.has_value(); }
};

// The books the pricer holds, by Instrument::key().
class BookLookup {
 public:
  virtual ~BookLookup() = default;
  virtual const VenueBook* find(const std::string& instrument_key) const = 0;
};

// `taker_side` is the taker's: Buy means we sell to them and hedge by buying on the venue.
PriceResult firm_price(const Listing& listing, const Universe& universe, const BookLookup& books,
                       Side taker_side, int64_t qty, int64_t now_ns, const PricingLimits& limits);

}  // namespace aq::pricer
