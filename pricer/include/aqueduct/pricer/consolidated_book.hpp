#pragma once
// One listing's view of every venue book that prices it, merged per side into what hedging a
// size would actually cost.
//
// Each venue's levels are mapped onto one grid — the listing's price scale plus kExtraDigits
// ("pricing units") and the listing's quantity scale — with the venue's taker fee folded into
// the price (an ask costs price * (1 + fee), a bid yields price * (1 - fee)), rounded against us.
// Venues that do not quote in the listing's currency, and perpetuals feeding a spot listing, are
// brought onto the reference venues' level by adjustments measured from the books themselves:
// a conversion rate (EWMA of reference mid / venue mid) and a basis (EWMA of venue mid -
// reference mid). Reference venues are spot books in the listing's own quote currency.
//
// evaluate(now) decides which venues count: a venue is left out while it has no data, is not
// live (resyncing), is older than its age limit, has no adjustment yet, or when its adjusted
// mid is further than outlier_ppm from the median of the others (with two venues that
// disagree, both are left out: nothing says which one is right). Adjustments learn only from
// venues that were kept, so a flash crash on one venue is neither priced nor learned.
//
// Pure: books are read through pointers the shell keeps current; time is an argument.
#include <array>
#include <cstdint>
#include <string>
#include <vector>

#include "aqueduct/pricer/pricing_params.hpp"
#include "aqueduct/types/venue_book.hpp"

namespace aq::pricer {

inline constexpr int kExtraDigits = 4;
inline constexpr size_t kMaxVenues = 16;

enum class VenueStatus { Live, NoData, NotLive, Stale, NoReference, Outlier, Unsupported };
const char* to_string(VenueStatus s);

// One venue's part of a consolidated walk.
struct Allocation {
  uint16_t venue = 0;   // index into ConsolidatedBook::venues()
  int64_t qty = 0;      // listing qty units
  int128 notional = 0;  // pricing units * qty units, fee included
};

struct ConsolidatedWalk {
  bool complete = false;
  int64_t filled = 0;       // listing qty units
  int128 notional = 0;      // pricing units * listing qty units, fees included
  int128 fee_notional = 0;  // the part of `notional` that is taker fees
  int64_t worst_price = 0;  // pricing units, fee included
  std::array<Allocation, kMaxVenues> alloc{};
  size_t venues_used = 0;
};

class ConsolidatedBook {
 public:
  struct Source {
    const Instrument* instrument = nullptr;
    const VenueBook* book = nullptr;  // nullptr: no data for this instrument
  };

  // What evaluate() found about one venue.
  struct Venue {
    const Instrument* instrument = nullptr;
    const VenueBook* book = nullptr;
    bool reference = false;  // spot in the listing's quote: defines the level
    bool converts = false;   // quotes in another currency: needs a conversion rate
    VenueStatus status = VenueStatus::NoData;
    int64_t max_age_ns = 0;
    int64_t age_ns = 0;
    int64_t mid = 0;            // pricing units, adjusted, no fee (0 when not evaluated)
    int64_t micro = 0;          // liquidity-weighted microprice of the top of book, same units
    int64_t depth_bid = 0;      // listing qty units within the depth band below the mid
    int64_t depth_ask = 0;      // ... above the mid
    int64_t deviation_ppm = 0;  // from the median of the others (outlier test)
    // Adjustments (statistics, hence double): factor converts the venue's quote currency,
    // basis is added in pricing units.
    bool adjusted = false;  // has an adjustment (always true for references)
    double factor = 1.0;
    double basis = 0.0;
    int64_t adjust_last_ns = 0;
    // Transform of a raw price to fee-included pricing units, per side: raw * mul / div + add.
    int128 mul[2]{};  // [0] bids, [1] asks
    int128 div = 1;
    int64_t add = 0;
    // Size of one raw qty unit in listing qty units: raw * qmul / qdiv (inverse: / price too).
    int64_t qmul = 1, qdiv = 1;
    uint64_t depth_version = ~0ull;  // the book version depth_bid/ask were measured at
    double to_pricing = 1.0;         // 10^(listing price scale + kExtraDigits - instrument's)
    double plain_mid = 0, plain_micro = 0;  // pricing units, before adjustment (statistics)
    std::string why() const;                // a sentence for refusals and operators
  };

  ConsolidatedBook(const Listing& listing, std::vector<Source> sources,
                   const PricingParams& params);

  // Re-decides which venues count and refreshes adjustments. Cheap (O(venues) plus the depth
  // band scan of each venue). Calling it twice with the same `now` changes nothing.
  void evaluate(int64_t now_ns);

  // Walks the side the taker takes (Buy: the asks) across live venues, best effective price
  // first, for `qty` listing units.
  ConsolidatedWalk walk(Side taker_side, int64_t qty) const;

  // Liquidity-weighted microprice of the live venues (pricing units); 0 when none is live.
  int64_t fair() const { return fair_; }
  int64_t depth(Side taker_side) const { return taker_side == Side::Buy ? depth_ask_ : depth_bid_; }
  int live_count() const { return live_; }
  int64_t last_update_ns() const { return last_update_ns_; }  // newest live book
  const std::vector<Venue>& venues() const { return venues_; }
  const Listing& listing() const { return *listing_; }
  // Pricing units <-> listing price units.
  static int64_t pricing_scale_factor() { return pow10(kExtraDigits); }

 private:
  struct Cache {
    uint64_t version = ~0ull;
    int64_t add = 0;
    int128 mul = 0;
    std::vector<Level> levels;  // pricing units (fee included), listing qty units
    size_t source_pos = 0;      // raw levels consumed so far
  };
  void inspect(Venue& v, int64_t now_ns);
  void set_transform(Venue& v);
  int64_t to_listing_qty(const Venue& v, int64_t raw_price, int64_t raw_qty) const;
  const Level* level(size_t venue, int side, size_t i) const;  // fills the cache lazily

  const Listing* listing_;
  const PricingParams* params_;
  std::vector<Venue> venues_;
  mutable std::vector<std::array<Cache, 2>> cache_;
  int64_t fair_ = 0;
  int64_t depth_bid_ = 0, depth_ask_ = 0;
  int live_ = 0;
  int64_t last_update_ns_ = 0;
  int64_t evaluated_ns_ = -1;
};

}  // namespace aq::pricer
