#pragma once
// Instruments (what a venue trades) and listings (what Aqueduct quotes to takers).
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "aqueduct/types/decimal.hpp"

namespace aq {

enum class Side { Buy, Sell };
inline Side opposite(Side s) { return s == Side::Buy ? Side::Sell : Side::Buy; }
inline const char* to_string(Side s) { return s == Side::Buy ? "buy" : "sell"; }

// How a contract's size turns into exposure and PnL (see shared domain notes).
enum class InstrumentKind { Spot, Linear, Inverse, Quanto };
const char* to_string(InstrumentKind k);
bool parse_instrument_kind(std::string_view s, InstrumentKind& out);

// One tradable instrument on one venue. Prices are int64 units at price_scale, sizes at
// qty_scale; tick and lot are in those units.
struct Instrument {
  std::string venue;   // "binance"
  std::string symbol;  // venue's own symbol, "BTCUSDT"
  InstrumentKind kind = InstrumentKind::Spot;
  std::string base;    // "BTC"
  std::string quote;   // "USDT"
  std::string settle;  // settlement asset; equals quote for spot and linear
  int price_scale = 2;
  int qty_scale = 5;
  int64_t tick = 1;     // price units
  int64_t lot = 1;      // qty units
  int64_t min_qty = 1;  // qty units
  Decimal multiplier{1, 0};
  int64_t taker_fee_ppm = 1000;  // 1000 ppm = 10 bps
  int64_t maker_fee_ppm = 1000;  // resting (post-only) fills; configured as the taker fee unless given

  std::string key() const { return venue + ":" + symbol; }
  // key() == k, without building the key (lookups by key run on the hedge path).
  bool has_key(std::string_view k) const {
    return k.size() == venue.size() + 1 + symbol.size() && k.substr(0, venue.size()) == venue &&
           k[venue.size()] == ':' && k.substr(venue.size() + 1) == symbol;
  }
  Decimal price(int64_t units) const { return {units, price_scale}; }
  Decimal qty(int64_t units) const { return {units, qty_scale}; }
};

// The size of one contract, whatever the venue's convention for `multiplier`:
//   spot     1 base
//   linear   base per contract (Binance 1, OKX ctVal, BitMEX's multiplier as given)
//   inverse  face in the quote per contract: OKX ctVal as given (BTC-USD-SWAP 100 USD); BitMEX
//            a negative value in the settle coin's minor units (XBTUSD -1e8 XBt -> 1 USD)
//   quanto   settle coin per contract per 1 of price, from BitMEX's minor units (ETHUSD 100
//            XBt -> 0.000001 XBT)
// Throws std::invalid_argument naming the instrument if the multiplier cannot be read (zero, a
// negative quanto, or minor units of a settle coin not known: XBT/BTC and USDT are).
Decimal contract_size(const Instrument& inst);

// What takers can ask Aqueduct for: a pair with its own precision, spread, size limits and
// the instruments that hedge it.
struct Listing {
  std::string name;  // "BTC-USDT"
  std::string base;
  std::string quote;
  int price_scale = 2;
  int qty_scale = 5;
  int64_t spread_ppm = 500;   // charged on each side of the hedge cost
  int64_t min_qty = 1;        // qty units at qty_scale
  int64_t max_qty = 0;        // qty units at qty_scale
  int64_t quote_ttl_ms = 3000;
  // Firm quotes live at once on one side (qty units): what takers could fill together. 0: no limit.
  int64_t max_outstanding = 0;
  int64_t hedge_threshold = 1;  // qty units: net exposure at which hedging acts
  int64_t hedge_slippage_ppm = 2000;  // limit price bound of hedge orders vs the fill price
  std::vector<std::string> hedge_instruments;  // Instrument::key() values
  // The books the price is built from (consolidated); empty means the hedge instruments.
  std::vector<std::string> price_sources;
  const std::vector<std::string>& sources() const { return price_sources.empty() ? hedge_instruments : price_sources; }
};

}  // namespace aq

namespace aq {

// Everything the network trades and quotes, as loaded from configuration.
struct Universe {
  std::vector<Instrument> instruments;
  std::vector<Listing> listings;

  const Instrument* instrument(std::string_view key) const {
    for (const auto& i : instruments)
      if (i.has_key(key)) return &i;
    return nullptr;
  }
  const Instrument* instrument(std::string_view venue, std::string_view symbol) const {
    for (const auto& i : instruments)
      if (i.venue == venue && i.symbol == symbol) return &i;
    return nullptr;
  }
  const Listing* listing(std::string_view name) const {
    for (const auto& l : listings)
      if (l.name == name) return &l;
    return nullptr;
  }
};

}  // namespace aq
