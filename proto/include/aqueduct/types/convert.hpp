#pragma once
// Conversions between the core types and their Protobuf forms.
#include "aqueduct/msg/common.pb.h"
#include "aqueduct/types/decimal.hpp"
#include "aqueduct/types/instrument.hpp"

namespace aq {

inline void to_proto(const Decimal& d, aqueduct::msg::Decimal* out) {
  out->set_units(d.units);
  out->set_scale(static_cast<uint32_t>(d.scale));
}
inline Decimal from_proto(const aqueduct::msg::Decimal& d) {
  return {d.units(), static_cast<int>(d.scale())};
}
// A proto decimal expressed at `scale`; throws DecimalError if that would lose digits.
inline int64_t units_at(const aqueduct::msg::Decimal& d, int scale) {
  return from_proto(d).rescaled(scale, Rounding::Exact).units;
}

aqueduct::msg::Side to_proto(Side s);
// Returns false for SIDE_UNSPECIFIED or an unknown value.
bool from_proto(aqueduct::msg::Side s, Side& out);

}  // namespace aq
