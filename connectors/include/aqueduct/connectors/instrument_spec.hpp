#pragma once
// An instrument as a venue's metadata endpoint describes it, normalised to the project's
// instrument model (venues.md §1.8, §2.7, §3.6, §4.5, §5.3, §6.4). Each venue folder has a
// pure `metadata` parser producing these; `check_instrument` compares one with the configured
// instrument so that a venue whose tick, lot, kind or contract size differs from what the
// pricer and hedger assume is refused rather than traded.
#include <optional>
#include <string>
#include <vector>

#include "aqueduct/types/decimal.hpp"
#include "aqueduct/types/instrument.hpp"

namespace aq::connectors {

struct InstrumentSpec {
  std::string venue;   // our venue name
  std::string symbol;  // the venue's symbol
  InstrumentKind kind = InstrumentKind::Spot;
  std::string base, quote, settle;
  Decimal tick{0, 0};
  Decimal lot{0, 0};
  Decimal min_qty{0, 0};
  Decimal min_notional{0, 0};  // in the quote asset; 0 when the venue states none
  Decimal multiplier{1, 0};    // contract size (OKX ctVal, BitMEX multiplier); 1 for spot
  bool trading = true;         // the venue's status says orders are accepted
};

// Our instrument from the venue's description: scales from the tick's and lot's decimals.
Instrument to_instrument(const InstrumentSpec& s, int64_t taker_fee_ppm);

// What differs between the configured instrument and the venue's description, one line per
// field, naming both values ("tick: configured 0.01, venue says 0.1"); empty when they agree.
std::vector<std::string> check_instrument(const Instrument& configured, const InstrumentSpec& venue);

}  // namespace aq::connectors
