#pragma once
// Client order ids of hedges sent straight from a fill, derived from the fill: the same fill,
// instrument and side always give the same id, so after a crash between sending a hedge and
// recording it, the order can be found again at its venue by that id (and the venue refuses a
// second order under it). 28 characters of [a-z0-9]: within every venue's limit, OKX's 32
// alphanumerics included.
//
// Hedges not sent straight from a fill (after an execution, a pulse, at recovery) are
// recorded before they are sent, with a random id; nothing needs to derive those.
#include <string>
#include <string_view>

#include "aqueduct/types/instrument.hpp"

namespace aq::hedging {

// "f" + 20 hex of SHA-256(fill id) + 6 hex of SHA-256(instrument key) + "b"/"s".
std::string fill_hedge_id(std::string_view fill_id, std::string_view instrument_key, Side side);

}  // namespace aq::hedging
