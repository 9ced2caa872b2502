#include "aqueduct/pricer/volatility.hpp"

#include <algorithm>
#include <cmath>

namespace aq::pricer {

Volatility::Volatility(int64_t half_life_ns, double prior_bps_per_sqrt_s)
    : half_life_s_(static_cast<double>(half_life_ns) / 1e9),
      var_per_s_((prior_bps_per_sqrt_s / 1e4) * (prior_bps_per_sqrt_s / 1e4)) {}

void Volatility::observe(int64_t fair, int64_t now_ns) {
  if (fair <= 0) return;
  if (last_fair_ == 0) {
    last_fair_ = fair;
    last_ns_ = now_ns;
    return;
  }
  if (now_ns <= last_ns_) return;
  double dt = static_cast<double>(now_ns - last_ns_) / 1e9;
  double r = std::log(static_cast<double>(fair) / static_cast<double>(last_fair_));
  double alpha = 1.0 - std::exp2(-dt / half_life_s_);
  var_per_s_ += alpha * (r * r / dt - var_per_s_);
  last_fair_ = fair;
  last_ns_ = now_ns;
  ++samples_;
}

double Volatility::sigma() const {
  return std::sqrt(std::max(var_per_s_, 0.0));
}

JumpDetector::Jump JumpDetector::observe(int64_t fair, int64_t now_ns, double sigma_per_sqrt_s) {
  Jump j;
  if (fair <= 0) return j;
  for (auto* d : {&lows_, &highs_})
    while (!d->empty() && d->front().first < now_ns - window_ns_) d->pop_front();
  while (!lows_.empty() && lows_.back().second >= fair) lows_.pop_back();
  while (!highs_.empty() && highs_.back().second <= fair) highs_.pop_back();
  lows_.emplace_back(now_ns, fair);
  highs_.emplace_back(now_ns, fair);
  // The largest move from any point still inside the window: from its low or its high.
  auto move = [fair](int64_t from) {
    return static_cast<int64_t>(
        std::llround((static_cast<double>(fair) / static_cast<double>(from) - 1.0) * 1e6));
  };
  int64_t up = move(lows_.front().second), down = move(highs_.front().second);
  int64_t worst = up >= -down ? up : down;
  double window_s = static_cast<double>(window_ns_) / 1e9;
  j.move_ppm = worst;
  j.allowed_ppm = std::max<int64_t>(
      floor_ppm_, std::llround(sigmas_ * sigma_per_sqrt_s * std::sqrt(window_s) * 1e6));
  j.jumped = std::llabs(worst) > j.allowed_ppm;
  return j;
}

}  // namespace aq::pricer
