#pragma once
// How much the fair value moves: an EWMA of squared log returns per second (half-life in
// time, not in samples, so bursts of updates do not shorten memory), and a short-horizon jump
// detector that compares the move over a window with what that sigma allows.
// Statistics, hence doubles. Pure: time is an argument.
#include <cstdint>
#include <deque>

namespace aq::pricer {

class Volatility {
 public:
  Volatility(int64_t half_life_ns, double prior_bps_per_sqrt_s);

  // One fair-value observation (pricing units, > 0). Same or older `now` is ignored.
  void observe(int64_t fair, int64_t now_ns);

  // Sigma of log returns per sqrt(second).
  double sigma() const;
  double sigma_bps() const { return sigma() * 1e4; }
  int64_t samples() const { return samples_; }

 private:
  double half_life_s_;
  double var_per_s_;
  int64_t last_fair_ = 0;
  int64_t last_ns_ = 0;
  int64_t samples_ = 0;
};

// Trips when the fair value has moved further than `sigmas` standard deviations (scaled to the
// window) and further than `floor_ppm` within `window_ns`.
class JumpDetector {
 public:
  JumpDetector(int64_t window_ns, double sigmas, int64_t floor_ppm)
      : window_ns_(window_ns), sigmas_(sigmas), floor_ppm_(floor_ppm) {}

  struct Jump {
    bool jumped = false;
    int64_t move_ppm = 0;     // signed, over the window
    int64_t allowed_ppm = 0;  // what sigma allowed
  };
  // `sigma_per_sqrt_s` is the volatility before this observation.
  Jump observe(int64_t fair, int64_t now_ns, double sigma_per_sqrt_s);
  // Forget the window (after an operator re-arms: the move that tripped is history).
  void reset() {
    lows_.clear();
    highs_.clear();
  }

 private:
  int64_t window_ns_;
  double sigmas_;
  int64_t floor_ppm_;
  // Monotonic deques of (time, fair): the window's lowest and highest values in O(1).
  std::deque<std::pair<int64_t, int64_t>> lows_, highs_;
};

}  // namespace aq::pricer
