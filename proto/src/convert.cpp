#include "aqueduct/types/convert.hpp"

namespace aq {

aqueduct::msg::Side to_proto(Side s) {
  return s == Side::Buy ? aqueduct::msg::SIDE_BUY : aqueduct::msg::SIDE_SELL;
}

bool from_proto(aqueduct::msg::Side s, Side& out) {
  switch (s) {
    case aqueduct::msg::SIDE_BUY: out = Side::Buy; return true;
    case aqueduct::msg::SIDE_SELL: out = Side::Sell; return true;
    default: return false;
  }
}

}  // namespace aq
