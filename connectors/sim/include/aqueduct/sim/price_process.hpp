#pragma once
// A seeded random walk of the mid price in integer ticks: the same seed gives the same path.
#include <cstdint>
#include <random>

namespace aq::sim {

class PriceProcess {
 public:
  // `max_step_ticks`: each step moves the mid by a uniform integer in [-max, +max] ticks.
  PriceProcess(uint64_t seed, int64_t start_mid, int64_t tick, int64_t max_step_ticks);
  int64_t step();
  int64_t mid() const { return mid_; }
  // Moves the mid by `bps` basis points at once (a flash crash or spike on this venue).
  void jump_bps(int64_t bps);
  // Pulls the walk back toward its start by 1/`ticks_to_half` of the distance each step (0:
  // none). Used for a venue's basis around a shared reference path, so venues do not drift
  // apart and a flash crash on one venue heals over a few seconds.
  void set_mean_reversion(int64_t divisor) { reversion_ = divisor; }

 private:
  std::mt19937_64 rng_;
  int64_t mid_;
  int64_t tick_;
  int64_t max_step_;
  int64_t start_;
  int64_t reversion_ = 0;
};

}  // namespace aq::sim
