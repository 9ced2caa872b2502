#include "aqueduct/sim/price_process.hpp"

namespace aq::sim {

PriceProcess::PriceProcess(uint64_t seed, int64_t start_mid, int64_t tick, int64_t max_step_ticks)
    : rng_(seed), mid_(start_mid), tick_(tick), max_step_(max_step_ticks), start_(start_mid) {}

int64_t PriceProcess::step() {
  std::uniform_int_distribution<int64_t> d(-max_step_, max_step_);
  mid_ += d(rng_) * tick_;
  if (reversion_ > 0) mid_ -= (mid_ - start_) / reversion_ / tick_ * tick_;
  if (mid_ < 100 * tick_) mid_ = 100 * tick_;  // keep the walk positive
  return mid_;
}

void PriceProcess::jump_bps(int64_t bps) {
  mid_ += mid_ * bps / 10'000 / tick_ * tick_;
  if (mid_ < 100 * tick_) mid_ = 100 * tick_;
}

}  // namespace aq::sim
