#pragma once
// How healthy a venue is for hedging, from what the router saw: recent rejects, timeouts and
// rate limits, order latency, and how stale its book is. Pure: outcomes and `now` come in; a
// verdict comes out, which the hedge planner uses as a cost (penalty) or a veto (unusable).
//
// - Outcomes are kept for `window` (oldest dropped). The penalty grows with the share of
//   failed orders and with latency above the target, so routing drifts away from a venue
//   before it is fully sick.
// - A venue is unusable while its book is older than max_book_age, or after `trip_after`
//   failures in a row, for `cooldown` (then one order may probe it again).
#include <cstdint>
#include <deque>
#include <string>

namespace aq::router {

enum class OrderResult { Filled, Rejected, TimedOut, RateLimited, Unknown };

struct HealthParams {
  int64_t window_ns = 60'000'000'000;
  int64_t latency_target_ns = 50'000'000;  // 50 ms: above this, latency costs
  int64_t max_book_age_ns = 2'000'000'000;
  int trip_after = 3;  // failures in a row
  int64_t cooldown_ns = 10'000'000'000;
  int64_t failure_penalty_ppm = 20;           // at 100% failures: 20 ppm (2 bps) of price
  int64_t latency_penalty_ppm_per_100ms = 2;  // above the target
};

struct HealthVerdict {
  bool usable = true;
  int64_t penalty_ppm = 0;
  std::string
      why;  // for the plan and the tape: "3 failures in a row, resting until ..." or the rates
};

class VenueHealth {
 public:
  explicit VenueHealth(HealthParams p = {}) : p_(p) {}

  void on_order(OrderResult r, int64_t latency_ns, int64_t now_ns);
  // Our own rate limiter has no room for an order here until `until_ns`: not the venue's
  // fault (no failure counted), but nothing is routed here before then.
  void on_local_limit(int64_t until_ns) {
    if (until_ns > limited_until_ns_) limited_until_ns_ = until_ns;
  }
  void on_book(int64_t last_update_ns) { book_ns_ = last_update_ns; }

  HealthVerdict verdict(int64_t now_ns) const;

 private:
  struct Sample {
    int64_t at_ns;
    bool failed;
    int64_t latency_ns;
  };
  void expire(int64_t now_ns);

  HealthParams p_;
  std::deque<Sample> samples_;
  int consecutive_failures_ = 0;
  int64_t resting_until_ns_ = 0;
  int64_t limited_until_ns_ = 0;
  int64_t book_ns_ = 0;
};

}  // namespace aq::router
