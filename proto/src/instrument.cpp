#include "aqueduct/types/instrument.hpp"

namespace aq {

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
