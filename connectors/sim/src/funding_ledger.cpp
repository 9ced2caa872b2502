#include "aqueduct/sim/funding_ledger.hpp"

namespace aq::sim {

void FundingLedger::on_announce(int64_t next_ms, const Decimal& rate, int64_t now_ms) {
  if (next_ms_ > 0 && next_ms > next_ms_ && now_ms >= next_ms_) {
    settled_.push_back({next_ms_, rate_});
    if (settled_.size() > keep_) settled_.pop_front();
  }
  if (next_ms >= next_ms_) {
    next_ms_ = next_ms;
    rate_ = rate;
  }
}

std::vector<connectors::FundingSettlement> FundingLedger::settled(int64_t from_ms, int64_t to_ms,
                                                                  size_t limit) const {
  std::vector<connectors::FundingSettlement> out;
  for (const auto& s : settled_) {
    if (s.at_ms < from_ms || s.at_ms > to_ms) continue;
    if (out.size() >= limit) break;
    out.push_back(s);
  }
  return out;
}

}  // namespace aq::sim
