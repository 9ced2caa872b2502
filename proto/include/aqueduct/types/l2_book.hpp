#pragma once
// A price-level (L2) book in fixed-point units. Bids are kept best (highest) first, asks best
// (lowest) first, in flat sorted vectors: venue books are tens to a few thousand levels and
// updates cluster near the top, where a vector beats a node-based map.
#include <cstdint>
#include <optional>
#include <vector>

#include "aqueduct/types/instrument.hpp"

namespace aq {

struct Level {
  int64_t price = 0;  // units at the instrument's price scale
  int64_t qty = 0;    // units at the instrument's quantity scale
  friend bool operator==(const Level&, const Level&) = default;
};

class L2Book {
 public:
  // Sets the absolute quantity at a price; qty 0 removes the level (removing an absent level
  // is allowed, as venues do it).
  void set(Side side, int64_t price, int64_t qty);
  void clear();
  // The quantity resting at a price (0 when there is no level there).
  int64_t qty_at(Side side, int64_t price) const;

  const std::vector<Level>& bids() const { return bids_; }
  const std::vector<Level>& asks() const { return asks_; }
  const std::vector<Level>& side(Side s) const { return s == Side::Buy ? bids_ : asks_; }
  std::optional<Level> best_bid() const;
  std::optional<Level> best_ask() const;
  bool crossed() const;
  bool empty() const { return bids_.empty() && asks_.empty(); }

 private:
  std::vector<Level> bids_;
  std::vector<Level> asks_;
};

}  // namespace aq
