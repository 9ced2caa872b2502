// A venue's health as the router sees it: failure share and latency as a cost, a stale book
// or failures in a row as a veto, and a cooldown before it is tried again.
#include <doctest/doctest.h>

#include "aqueduct/router/venue_health.hpp"

using namespace aq::router;

namespace {
constexpr int64_t kMs = 1'000'000;
constexpr int64_t kS = 1'000 * kMs;
}  // namespace

TEST_CASE("a healthy venue costs nothing; failures and slow answers add a penalty") {
  VenueHealth h;
  h.on_book(10 * kS);
  for (int i = 0; i < 4; ++i) h.on_order(OrderResult::Filled, 10 * kMs, 10 * kS);
  auto v = h.verdict(10 * kS);
  CHECK(v.usable);
  CHECK(v.penalty_ppm == 0);
  // One reject in five: 20% of the 20 ppm.
  h.on_order(OrderResult::Rejected, 10 * kMs, 10 * kS);
  v = h.verdict(10 * kS);
  CHECK(v.usable);
  CHECK(v.penalty_ppm == 4);
  CHECK(v.why == "1 of 5 recent orders failed; 0 ms mean latency above target");
  // Slow answers: 550 ms on average over 5 orders beyond the 50 ms target -> 2 ppm per 100 ms.
  VenueHealth slow;
  slow.on_book(1);
  for (int i = 0; i < 5; ++i) slow.on_order(OrderResult::Filled, 550 * kMs, 1);
  CHECK(slow.verdict(1).penalty_ppm == 10);
}

TEST_CASE("three failures in a row rest the venue for the cooldown; a success restores it") {
  VenueHealth h;
  h.on_book(0 + 1);
  h.on_order(OrderResult::TimedOut, 5 * kS, 1 * kS);
  h.on_order(OrderResult::RateLimited, 1 * kMs, 1 * kS);
  CHECK(h.verdict(1 * kS).usable);
  h.on_book(1 * kS);
  h.on_order(OrderResult::Unknown, 5 * kS, 1 * kS);
  auto v = h.verdict(1 * kS);
  CHECK_FALSE(v.usable);
  CHECK(v.why == "3 failed orders in a row; resting for 10000 ms more");
  h.on_book(11 * kS);
  CHECK(h.verdict(11 * kS).usable);  // the cooldown is over: one order may probe it
  h.on_order(OrderResult::Filled, 10 * kMs, 11 * kS);
  CHECK(h.verdict(11 * kS).usable);
  // Old outcomes leave the window.
  h.on_book(100 * kS);
  CHECK(h.verdict(100 * kS).penalty_ppm == 0);
}

TEST_CASE("a stale or missing book makes a venue unusable, whatever its orders did") {
  VenueHealth h;
  CHECK(h.verdict(1).why == "no book yet");
  h.on_book(1 * kS);
  CHECK(h.verdict(3 * kS).usable);
  auto v = h.verdict(3 * kS + 1);
  CHECK_FALSE(v.usable);
  CHECK(v.why == "book stale for 2000 ms (allowed 2000 ms)");
}

TEST_CASE("our own rate limiter's refusals are no venue failure: the venue waits for room only") {
  VenueHealth h;
  h.on_book(1 * kS);
  h.on_order(OrderResult::Filled, 10 * kMs, 1 * kS);
  // Three orders refused by our limiter: room again at 3.5 s.
  for (int i = 0; i < 3; ++i) h.on_local_limit(3 * kS + 500 * kMs);
  h.on_local_limit(2 * kS);  // an earlier time does not shorten it
  h.on_book(2 * kS);
  auto v = h.verdict(2 * kS);
  CHECK_FALSE(v.usable);
  CHECK(v.why == "our rate limit for it has room again in 1500 ms");
  h.on_book(3 * kS + 600 * kMs);
  v = h.verdict(3 * kS + 600 * kMs);
  CHECK(v.usable);  // no cooldown, no failure counted
  CHECK(v.penalty_ppm == 0);
}
