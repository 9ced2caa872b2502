#include "aqueduct/sim/venue_price.hpp"

#include "aqueduct/types/decimal.hpp"

namespace aq::sim {

VenuePrice::VenuePrice(uint64_t seed, int64_t start_mid, int64_t tick, int64_t max_step_ticks, std::string asset,
                       PathLink link)
    : own_(seed, start_mid, tick, max_step_ticks),
      start_mid_(start_mid),
      tick_(tick),
      asset_(std::move(asset)),
      link_(std::move(link)),
      mid_(start_mid) {
  if (link_.path) own_.set_mean_reversion(32);
}

int64_t VenuePrice::step(int64_t now_ms) {
  int64_t own = own_.step();
  if (!link_.path) return mid_ = own;
  int64_t factor = link_.path->factor_ppb(asset_, now_ms - link_.lag_ms);
  int64_t common = static_cast<int64_t>(static_cast<int128>(start_mid_) * factor / 1'000'000'000 / tick_ * tick_);
  mid_ = common + (own - start_mid_);
  if (mid_ < 100 * tick_) mid_ = 100 * tick_;
  return mid_;
}

}  // namespace aq::sim
