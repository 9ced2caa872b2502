#pragma once
// The simulator's common price driver: one seeded path per asset (BTC, ETH, ...) whose
// per-step log returns are correlated through a shared market factor, so assets move together
// as they do on real venues. Every simulated venue reads the same path, each with its own lag,
// which gives a lead-lag between venues (a quote priced off the laggard is picked off by the
// leader's move, as in production). The path is a function of time: it is extended lazily, so
// simulators on different loops and threads read one consistent history.
//
// Doubles are used for the statistics of the walk only; what leaves is an integer factor in
// parts per billion, and venue prices are rounded to their tick in integer arithmetic.
#include <cstdint>
#include <map>
#include <mutex>
#include <random>
#include <string>
#include <vector>

namespace aq::sim {

struct AssetVolatility {
  std::string asset;         // "BTC"
  double sigma_per_step = 0; // standard deviation of one step's log return (e.g. 0.0003)
};

class ReferencePath {
 public:
  // `correlation` (0..1) is the pairwise correlation of any two assets' step returns.
  ReferencePath(uint64_t seed, std::vector<AssetVolatility> assets, double correlation, int64_t step_ms,
                int64_t origin_ms);

  // The asset's price relative to the origin, in parts per billion, at `t_ms` (before the
  // origin: 1e9). Unknown assets stay at 1e9. Thread-safe.
  int64_t factor_ppb(const std::string& asset, int64_t t_ms);
  int64_t step_ms() const { return step_ms_; }
  double correlation() const { return correlation_; }

 private:
  void extend_to(int64_t step);

  std::mutex mutex_;
  std::mt19937_64 rng_;
  std::normal_distribution<double> normal_{0.0, 1.0};
  std::vector<AssetVolatility> assets_;
  double correlation_;
  int64_t step_ms_;
  int64_t origin_ms_;
  std::map<std::string, std::vector<int64_t>> factors_;  // per asset, per step
  std::vector<double> log_level_;                        // per asset, at the last step
};

}  // namespace aq::sim
