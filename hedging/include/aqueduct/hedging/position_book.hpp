#pragma once
// Positions per asset (our inventory from takers' fills), per venue and per instrument (hedge
// positions), and the exposure they add up to, by asset, in base units and in USD. Pure: marks
// come in, numbers come out.
//
// An instrument position keeps its size and its entry value (average cost), both exact
// integers, so that realized + unrealized PnL is the total to the smallest unit:
//   value(N, P): spot/linear N·size·P in the quote; quanto N·size·P in the settle coin;
//                inverse −N·size/P in the settle coin (so value(exit) − value(entry) is PnL).
// A fill that reduces a position releases the entry value pro rata (rounded half-even) and
// realizes value(fill) − released; what stays is exactly the remainder.
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "aqueduct/hedging/contract_math.hpp"
#include "aqueduct/types/instrument.hpp"

namespace aq::hedging {

// Prices to value positions with.
struct Marks {
  std::map<std::string, int64_t> instrument;  // Instrument::key() -> mark, instrument price units
  std::map<std::string, Decimal> usd;         // canonical asset -> its price in USD
  // USD-pegged assets (USD, USDT, USDC) are 1 unless given.
  std::optional<Decimal> usd_price(const std::string& asset) const;
};

struct InstrumentPosition {
  const Instrument* inst = nullptr;
  int64_t qty = 0;          // signed, instrument qty units
  int64_t entry_value = 0;  // value of the open qty at its entries, kAssetScale of pnl_asset
  int64_t realized = 0;     // kAssetScale of pnl_asset
  std::string pnl_asset;    // quote (spot, linear) or settle coin (inverse, quanto)
};

struct Exposure {
  int64_t qty = 0;  // kAssetScale, signed: + long
  int64_t usd = 0;  // kUsdScale; 0 when the asset's USD price is not known
  bool usd_known = false;
};

// An asset's exposure could not be valued: which mark or price is missing.
struct MissingMark {
  std::string what;
};

class PositionBook {
 public:
  // A taker's fill on a listing: the taker buying `qty` base (kAssetScale) at `price` means we
  // sold it: base inventory down, quote inventory up by qty·price (rounded half-even).
  void on_taker_fill(const std::string& base, const std::string& quote, Side taker_side,
                     int64_t qty, const Decimal& price);
  // A hedge execution on a venue: `qty` instrument units at `price` instrument units.
  void on_venue_fill(const Instrument& inst, Side side, int64_t qty, int64_t price);
  // Restores state (recovery): a position as recorded.
  void set_position(const Instrument& inst, int64_t qty, int64_t entry_value, int64_t realized);
  void set_inventory(const std::string& asset, int64_t qty) {
    inventory_[canonical_asset(asset)] = qty;
  }
  // The USD-like cash takers' fills of `asset` moved (restored from the record).
  void set_quote_cash(const std::string& asset, int64_t cash) {
    quote_cash_[canonical_asset(asset)] = cash;
  }
  int64_t quote_cash(const std::string& asset) const;
  const std::map<std::string, int64_t>& quote_cash() const { return quote_cash_; }

  int64_t inventory(const std::string& asset) const;
  const InstrumentPosition* position(const std::string& instrument_key) const;
  const std::map<std::string, InstrumentPosition>& positions() const { return positions_; }
  const std::map<std::string, int64_t>& inventories() const { return inventory_; }

  // Unrealized PnL of one instrument position at its mark, in its pnl_asset (kAssetScale).
  std::optional<int64_t> unrealized(const InstrumentPosition& p, const Marks& marks) const;

  // Exposure per canonical asset: inventory + every instrument's base delta + the settle-coin
  // holdings that inverse and quanto PnL accrue in. `venue` empty: all venues; else only that
  // venue's instruments (no inventory). Assets whose exposure needs a missing mark are listed
  // in `missing` and left out: never valued at a guess. An asset without a USD price keeps its
  // qty, with usd_known false (and is listed in `missing` if it is not flat).
  std::map<std::string, Exposure> exposures(const Marks& marks, const std::string& venue = {},
                                            std::vector<MissingMark>* missing = nullptr) const;

  // What everything is worth now in USD (kUsdScale): inventory of every asset, spot holdings
  // and what they cost, and derivatives' PnL in the coin they pay it in. From a flat start
  // this is the PnL since then. nullopt if any price it needs is missing.
  std::optional<int64_t> equity_usd(const Marks& marks) const;
  // The gross USD notional of `venue`'s derivative positions (linear, inverse, quanto):
  // Σ |base delta at the mark| · USD price of the base, kUsdScale, rounded up (what initial
  // margin is held against). nullopt if a mark or a USD price it needs is missing.
  std::optional<int64_t> derivatives_gross_usd(const Marks& marks, const std::string& venue) const;
  // The PnL of trading one asset (its listings' fills and their hedges), USD at kUsdScale:
  // its inventory at the mark, the USD-like cash its fills moved, its spot hedges, and its
  // derivatives' PnL. nullopt if a price it needs is missing.
  std::optional<int64_t> asset_pnl_usd(const std::string& asset, const Marks& marks) const;

 private:
  std::map<std::string, int64_t> inventory_;             // canonical asset -> kAssetScale
  std::map<std::string, int64_t> quote_cash_;            // base asset -> USD-like cash of its fills
  std::map<std::string, InstrumentPosition> positions_;  // Instrument::key() ->
};

// value(N, P) of the table above, at kAssetScale, rounded half-even.
int64_t position_value(const Instrument& inst, int64_t qty, int64_t price);

}  // namespace aq::hedging
