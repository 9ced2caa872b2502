#include "aqueduct/router/venue_health.hpp"

#include <cstdio>

namespace aq::router {

void VenueHealth::expire(int64_t now_ns) {
  while (!samples_.empty() && now_ns - samples_.front().at_ns > p_.window_ns) samples_.pop_front();
}

void VenueHealth::on_order(OrderResult r, int64_t latency_ns, int64_t now_ns) {
  // An order whose outcome is unknown is a failure of the venue's answer, not of our request.
  bool failed = r != OrderResult::Filled;
  samples_.push_back({now_ns, failed, latency_ns});
  expire(now_ns);
  if (!failed) {
    consecutive_failures_ = 0;
    resting_until_ns_ = 0;
    return;
  }
  if (++consecutive_failures_ >= p_.trip_after) resting_until_ns_ = now_ns + p_.cooldown_ns;
}

HealthVerdict VenueHealth::verdict(int64_t now_ns) const {
  HealthVerdict v;
  char buf[200];
  if (book_ns_ == 0 || now_ns - book_ns_ > p_.max_book_age_ns) {
    v.usable = false;
    if (book_ns_ == 0)
      v.why = "no book yet";
    else {
      std::snprintf(buf, sizeof buf, "book stale for %lld ms (allowed %lld ms)",
                    static_cast<long long>((now_ns - book_ns_) / 1'000'000),
                    static_cast<long long>(p_.max_book_age_ns / 1'000'000));
      v.why = buf;
    }
    return v;
  }
  if (now_ns < limited_until_ns_) {
    v.usable = false;
    std::snprintf(buf, sizeof buf, "our rate limit for it has room again in %lld ms",
                  static_cast<long long>((limited_until_ns_ - now_ns + 999'999) / 1'000'000));
    v.why = buf;
    return v;
  }
  if (now_ns < resting_until_ns_) {
    v.usable = false;
    std::snprintf(buf, sizeof buf, "%d failed orders in a row; resting for %lld ms more",
                  consecutive_failures_,
                  static_cast<long long>((resting_until_ns_ - now_ns) / 1'000'000));
    v.why = buf;
    return v;
  }
  int64_t n = 0, failed = 0, over = 0;
  for (const auto& s : samples_) {
    if (now_ns - s.at_ns > p_.window_ns) continue;
    ++n;
    failed += s.failed ? 1 : 0;
    if (s.latency_ns > p_.latency_target_ns) over += s.latency_ns - p_.latency_target_ns;
  }
  if (n == 0) return v;
  int64_t fail_ppm = p_.failure_penalty_ppm * failed / n;
  int64_t mean_over_ms = over / n / 1'000'000;
  int64_t lat_ppm = p_.latency_penalty_ppm_per_100ms * mean_over_ms / 100;
  v.penalty_ppm = fail_ppm + lat_ppm;
  std::snprintf(buf, sizeof buf,
                "%lld of %lld recent orders failed; %lld ms mean latency above target",
                static_cast<long long>(failed), static_cast<long long>(n),
                static_cast<long long>(mean_over_ms));
  v.why = buf;
  return v;
}

}  // namespace aq::router
