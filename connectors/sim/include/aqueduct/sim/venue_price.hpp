#pragma once
// One venue's mid for one instrument. Alone, it is the instrument's own seeded walk. Linked to
// a shared ReferencePath, it is the asset's common path as seen `lag_ms` late (lead-lag),
// scaled to the instrument's starting mid, plus the venue's own small basis that reverts to
// zero — so the same asset moves together across venues and assets move together with each
// other, while a jump scripted on one venue (a flash crash) stays on that venue.
#include <cstdint>
#include <memory>
#include <string>

#include "aqueduct/sim/price_process.hpp"
#include "aqueduct/sim/reference_path.hpp"

namespace aq::sim {

struct PathLink {
  std::shared_ptr<ReferencePath> path;  // none: the instrument walks alone
  int64_t lag_ms = 0;                   // how late this venue sees the common path
};

class VenuePrice {
 public:
  VenuePrice(uint64_t seed, int64_t start_mid, int64_t tick, int64_t max_step_ticks, std::string asset,
             PathLink link);
  // Advances one tick at `now_ms` and returns the mid (price units, on the tick grid).
  int64_t step(int64_t now_ms);
  int64_t mid() const { return mid_; }
  void jump_bps(int64_t bps) { own_.jump_bps(bps); }

 private:
  PriceProcess own_;
  int64_t start_mid_;
  int64_t tick_;
  std::string asset_;
  PathLink link_;
  int64_t mid_;
};

}  // namespace aq::sim
