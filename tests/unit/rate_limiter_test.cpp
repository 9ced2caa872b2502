#include <doctest/doctest.h>

#include "aqueduct/connectors/rate_limiter.hpp"

using aq::connectors::BucketSpec;
using aq::connectors::RateLimiter;

namespace {
constexpr int64_t kMs = 1'000'000;
constexpr int64_t kS = 1'000 * kMs;
}  // namespace

TEST_CASE("rate limiter: linked buckets admit only when every bucket has room, and take from none otherwise") {
  RateLimiter rl({{"WEIGHT 1m", 10, 60 * kS}, {"ORDERS 10s", 2, 10 * kS}});
  int64_t t = 1000 * kS;
  CHECK(rl.try_acquire({1, 1}, t).admitted);
  CHECK(rl.try_acquire({1, 1}, t).admitted);
  auto refused = rl.try_acquire({1, 1}, t);
  CHECK_FALSE(refused.admitted);
  CHECK(refused.reason.find("ORDERS 10s limit of 2") != std::string::npos);
  CHECK(refused.retry_at_ns == t + 5 * kS);  // one order back every 5 s
  // The refused request took nothing from the weight bucket.
  CHECK(rl.available(0, t) == 8);
  // A weight-only request still passes.
  CHECK(rl.try_acquire({5}, t).admitted);
  CHECK(rl.available(0, t) == 3);
  // Continuous refill: after 5 s one order is back, and 0.83 weight (not yet a whole unit).
  CHECK(rl.try_acquire({1, 1}, t + 5 * kS).admitted);
  CHECK_FALSE(rl.try_acquire({0, 1}, t + 5 * kS).admitted);
  CHECK(rl.available(0, t + 60 * kS) == 10);  // never above capacity
  auto too_big = rl.try_acquire({11}, t + 60 * kS);
  CHECK_FALSE(too_big.admitted);
  CHECK(too_big.reason.find("exceeds the limit of 10") != std::string::npos);
}

TEST_CASE("rate limiter: 429 honours Retry-After, repeats back off exponentially, 418 pauses two minutes, 2xx resets") {
  RateLimiter rl(RateLimiter::binance_spot());
  int64_t t = 5000 * kS;
  rl.on_response(429, 3 * kS, t);
  auto a = rl.try_acquire({1}, t + 1 * kS);
  CHECK_FALSE(a.admitted);
  CHECK(a.retry_at_ns == t + 3 * kS);
  CHECK(a.reason.find("back off") != std::string::npos);
  CHECK(rl.try_acquire({1}, t + 3 * kS).admitted);
  rl.on_response(200, std::nullopt, t + 3 * kS);  // the streak ends with a success
  // Without Retry-After: 1 s, then 2 s; a success resets it to 1 s.
  rl.on_response(503, std::nullopt, t + 10 * kS);
  CHECK(rl.paused_until_ns() == t + 11 * kS);
  rl.on_response(503, std::nullopt, t + 11 * kS);
  CHECK(rl.paused_until_ns() == t + 13 * kS);
  rl.on_response(200, std::nullopt, t + 13 * kS);
  rl.on_response(503, std::nullopt, t + 20 * kS);
  CHECK(rl.paused_until_ns() == t + 21 * kS);
  rl.on_response(418, 1 * kS, t + 30 * kS);
  CHECK(rl.paused_until_ns() == t + 150 * kS);
  // Other errors say nothing about limits.
  rl.on_response(400, std::nullopt, t + 200 * kS);
  CHECK(rl.try_acquire({1, 1, 1}, t + 200 * kS).admitted);
}

TEST_CASE("Binance depth request weights") {
  CHECK(aq::connectors::binance_depth_weight(100) == 5);
  CHECK(aq::connectors::binance_depth_weight(101) == 25);
  CHECK(aq::connectors::binance_depth_weight(1000) == 50);
  CHECK(aq::connectors::binance_depth_weight(5000) == 250);
}
