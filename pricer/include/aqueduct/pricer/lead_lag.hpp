#pragma once
// How far ahead of the other venues the leading venue is, measured online.
//
// At each observation the gap between the leader's mid and the followers' fair value is
// compared with its own running mean; the deviation e is what the followers have not caught up
// with yet. After `horizon` the followers' actual move is known, and an EWMA regression of that
// move on e gives beta (clamped to [0, 1]): the share of a leader's move the followers make
// within the horizon. The fair value then leans by (1 - leader weight) * beta * e.
// Statistics, hence doubles; pure: time is an argument.
#include <cstdint>
#include <deque>

namespace aq::pricer {

class LeadLag {
 public:
  LeadLag(int64_t horizon_ns, int64_t half_life_ns)
      : horizon_ns_(horizon_ns), half_life_ns_(half_life_ns) {}

  // leader and followers in pricing units; returns the current deviation e.
  double observe(int64_t leader_mid, int64_t followers_fair, int64_t now_ns);
  double beta() const;
  double deviation() const { return last_e_; }
  int64_t samples() const { return samples_; }

 private:
  struct Pending {
    int64_t at_ns;
    double e;
    int64_t followers;
  };
  double alpha(int64_t dt_ns) const;
  int64_t horizon_ns_, half_life_ns_;
  std::deque<Pending> pending_;
  bool init_ = false;
  double mean_gap_ = 0, sxy_ = 0, sxx_ = 0, last_e_ = 0;
  int64_t last_ns_ = 0, last_fit_ns_ = 0, samples_ = 0;
};

}  // namespace aq::pricer
