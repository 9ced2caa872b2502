#pragma once
// A venue-neutral limit IOC order, as every venue's request builder takes it.
#include <cstdint>
#include <string>

#include "aqueduct/types/instrument.hpp"

namespace aq::connectors {

struct LimitIoc {
  std::string symbol;          // the venue's symbol
  Side side = Side::Buy;
  int64_t qty = 0;             // instrument qty units (contracts for BitMEX)
  int64_t price = 0;           // instrument price units
  std::string client_order_id;
};

// Millisecond Unix time as ISO-8601 UTC with milliseconds: "2020-12-08T09:08:57.715Z".
std::string iso8601_ms(int64_t unix_ms);

}  // namespace aq::connectors
