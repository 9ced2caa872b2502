#pragma once
// A simulated perpetual's funding settlements, as the venues' public histories list them. The
// simulator announces the next settlement and its rate with every mark (perp_marks.hpp); once
// a later settlement is announced after an earlier one's time, the earlier one settled at the
// last rate announced for it. The same rule hedging books live settlements by.
#include <cstdint>
#include <deque>
#include <vector>

#include "aqueduct/connectors/funding_settlement.hpp"

namespace aq::sim {

class FundingLedger {
 public:
  // Keeps the last `keep` settlements (a venue's history is longer; tests need a few).
  explicit FundingLedger(size_t keep = 1000) : keep_(keep) {}
  void on_announce(int64_t next_ms, const Decimal& rate, int64_t now_ms);
  // Settlements in [from_ms, to_ms], oldest first, at most `limit`.
  std::vector<connectors::FundingSettlement> settled(int64_t from_ms, int64_t to_ms,
                                                     size_t limit) const;

 private:
  size_t keep_;
  int64_t next_ms_ = 0;
  Decimal rate_;
  std::deque<connectors::FundingSettlement> settled_;
};

}  // namespace aq::sim
