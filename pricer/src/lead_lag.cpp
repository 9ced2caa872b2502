#include "aqueduct/pricer/lead_lag.hpp"

#include <algorithm>
#include <cmath>

namespace aq::pricer {

double LeadLag::alpha(int64_t dt_ns) const {
  if (dt_ns <= 0) return 0.0;
  return 1.0 - std::exp2(-static_cast<double>(dt_ns) / static_cast<double>(half_life_ns_));
}

double LeadLag::observe(int64_t leader_mid, int64_t followers_fair, int64_t now_ns) {
  double gap = static_cast<double>(leader_mid) - static_cast<double>(followers_fair);
  if (!init_) {
    init_ = true;
    mean_gap_ = gap;
    last_ns_ = last_fit_ns_ = now_ns;
  }
  if (now_ns < last_ns_) return last_e_;
  // Fit: every deviation whose horizon has passed is paired with the followers' move since.
  while (!pending_.empty() && pending_.front().at_ns + horizon_ns_ <= now_ns) {
    const Pending& p = pending_.front();
    double move = static_cast<double>(followers_fair - p.followers);
    double a = alpha(p.at_ns - last_fit_ns_);
    if (samples_ == 0) a = 1.0;
    sxy_ += a * (p.e * move - sxy_);
    sxx_ += a * (p.e * p.e - sxx_);
    last_fit_ns_ = p.at_ns;
    ++samples_;
    pending_.pop_front();
  }
  mean_gap_ += alpha(now_ns - last_ns_) * (gap - mean_gap_);
  last_e_ = gap - mean_gap_;
  if (now_ns > last_ns_ || pending_.empty()) pending_.push_back({now_ns, last_e_, followers_fair});
  last_ns_ = now_ns;
  return last_e_;
}

double LeadLag::beta() const {
  if (samples_ == 0 || sxx_ <= 0) return 0.0;
  return std::clamp(sxy_ / sxx_, 0.0, 1.0);
}

}  // namespace aq::pricer
