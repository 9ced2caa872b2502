#include "aqueduct/types/instrument.hpp"

#include <stdexcept>

namespace aq {

namespace {
// BitMEX states multipliers in the settle coin's minor units.
int minor_unit_scale(const Instrument& inst) {
  const std::string& settle = inst.settle.empty() ? inst.quote : inst.settle;
  if (settle == "XBT" || settle == "BTC") return 8;  // XBt
  if (settle == "USDT") return 6;                    // USDt
  throw std::invalid_argument("instrument " + inst.key() +
                              ": a BitMEX-style multiplier in minor units of " + settle +
                              " is not known; settle coins allowed: XBT, USDT");
}
}  // namespace

Decimal contract_size(const Instrument& inst) {
  const Decimal& m = inst.multiplier;
  if (m.units == 0)
    throw std::invalid_argument("instrument " + inst.key() +
                                ": multiplier is zero; it must be non-zero");
  switch (inst.kind) {
    case InstrumentKind::Spot:
      return {1, 0};
    case InstrumentKind::Linear:
      return {m.units < 0 ? -m.units : m.units, m.scale};
    case InstrumentKind::Inverse:
      return m.units > 0 ? m : Decimal{-m.units, m.scale + minor_unit_scale(inst)};
    case InstrumentKind::Quanto:
      if (m.units < 0)
        throw std::invalid_argument("instrument " + inst.key() +
                                    ": a quanto multiplier must be positive");
      return {m.units, m.scale + minor_unit_scale(inst)};
  }
  return {1, 0};
}

const char* to_string(InstrumentKind k) {
  switch (k) {
    case InstrumentKind::Spot: return "spot";
    case InstrumentKind::Linear: return "linear";
    case InstrumentKind::Inverse: return "inverse";
    case InstrumentKind::Quanto: return "quanto";
  }
  return "unknown";
}

bool parse_instrument_kind(std::string_view s, InstrumentKind& out) {
  if (s == "spot") out = InstrumentKind::Spot;
  else if (s == "linear") out = InstrumentKind::Linear;
  else if (s == "inverse") out = InstrumentKind::Inverse;
  else if (s == "quanto") out = InstrumentKind::Quanto;
  else return false;
  return true;
}

}  // namespace aq
