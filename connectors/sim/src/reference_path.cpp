#include "aqueduct/sim/reference_path.hpp"

#include <cmath>
#include <stdexcept>

namespace aq::sim {

ReferencePath::ReferencePath(uint64_t seed, std::vector<AssetVolatility> assets, double correlation,
                             int64_t step_ms, int64_t origin_ms)
    : rng_(seed), assets_(std::move(assets)), correlation_(correlation), step_ms_(step_ms), origin_ms_(origin_ms),
      log_level_(assets_.size(), 0.0) {
  if (step_ms_ <= 0) throw std::invalid_argument("reference path: step_ms must be positive");
  if (correlation_ < 0.0 || correlation_ > 1.0)
    throw std::invalid_argument("reference path: correlation must be within 0..1");
  for (const auto& a : assets_) factors_[a.asset].push_back(1'000'000'000);
}

void ReferencePath::extend_to(int64_t step) {
  // Each asset loads sqrt(rho) on one common factor, so any two assets correlate at rho.
  const double loading = std::sqrt(correlation_);
  const double idio = std::sqrt(1.0 - correlation_);
  auto have = static_cast<int64_t>(factors_.begin()->second.size()) - 1;
  for (; have < step; ++have) {
    double common = normal_(rng_);
    for (size_t i = 0; i < assets_.size(); ++i) {
      double z = loading * common + idio * normal_(rng_);
      log_level_[i] += assets_[i].sigma_per_step * z;
      factors_[assets_[i].asset].push_back(std::llround(1e9 * std::exp(log_level_[i])));
    }
  }
}

int64_t ReferencePath::factor_ppb(const std::string& asset, int64_t t_ms) {
  std::lock_guard lock(mutex_);
  auto it = factors_.find(asset);
  if (it == factors_.end() || t_ms <= origin_ms_) return 1'000'000'000;
  int64_t step = (t_ms - origin_ms_) / step_ms_;
  extend_to(step);
  return it->second[static_cast<size_t>(step)];
}

}  // namespace aq::sim
