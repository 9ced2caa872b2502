#pragma once
// One funding settlement of a perpetual as the venue's public history records it: when it
// settled and the rate every position paid (longs pay a positive rate, shorts receive it).
// Hedging books from these the settlements it was not running for.
#include <cstdint>
#include <vector>

#include "aqueduct/types/decimal.hpp"

namespace aq::connectors {

struct FundingSettlement {
  int64_t at_ms = 0;
  Decimal rate;  // per interval, as published (e.g. 0.0001)
};

// A page of a venue's funding history, oldest first. `full` says the venue may hold more in
// the window than one answer carries: ask again from the last settlement.
struct FundingHistoryPage {
  std::vector<FundingSettlement> settlements;
  bool full = false;
};

}  // namespace aq::connectors
