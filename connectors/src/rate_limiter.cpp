#include "aqueduct/connectors/rate_limiter.hpp"

#include <algorithm>

namespace aq::connectors {

namespace {
constexpr int64_t kSecond = 1'000'000'000;
}

RateLimiter::RateLimiter(std::vector<BucketSpec> specs) {
  for (auto& s : specs) {
    int128 full = static_cast<int128>(s.capacity) * s.window_ns;
    buckets_.push_back({std::move(s), full, 0});
  }
}

void RateLimiter::refill(Bucket& b, int64_t now_ns) const {
  if (b.last_ns == 0 || now_ns < b.last_ns) {  // first use, or time went backwards: no refill
    b.last_ns = now_ns;
    return;
  }
  // Each elapsed nanosecond restores capacity/window units, i.e. `capacity` scaled units.
  int128 full = static_cast<int128>(b.spec.capacity) * b.spec.window_ns;
  b.level = std::min(full, b.level + static_cast<int128>(now_ns - b.last_ns) * b.spec.capacity);
  b.last_ns = now_ns;
}

int64_t RateLimiter::available(size_t i, int64_t now_ns) const {
  Bucket b = buckets_.at(i);
  refill(b, now_ns);
  return static_cast<int64_t>(b.level / b.spec.window_ns);
}

Admission RateLimiter::try_acquire(const std::vector<int64_t>& costs, int64_t now_ns) {
  Admission a;
  if (now_ns < paused_until_) {
    a.retry_at_ns = paused_until_;
    a.reason = "the venue asked us to back off (429/418/503) for another " +
               std::to_string((paused_until_ - now_ns) / 1'000'000) + " ms";
    return a;
  }
  int64_t retry_at = now_ns;
  for (size_t i = 0; i < buckets_.size(); ++i) {
    auto& b = buckets_[i];
    refill(b, now_ns);
    int64_t cost = i < costs.size() ? costs[i] : 0;
    if (cost <= 0) continue;
    int128 need = static_cast<int128>(cost) * b.spec.window_ns;
    if (cost > b.spec.capacity) {
      a.retry_at_ns = INT64_MAX;
      a.reason = b.spec.name + ": a cost of " + std::to_string(cost) + " exceeds the limit of " +
                 std::to_string(b.spec.capacity);
      return a;
    }
    if (b.level < need) {
      auto wait = static_cast<int64_t>((need - b.level + b.spec.capacity - 1) / b.spec.capacity);
      if (now_ns + wait > retry_at) {
        retry_at = now_ns + wait;
        a.reason = b.spec.name + " limit of " + std::to_string(b.spec.capacity) + " reached; room in " +
                   std::to_string(wait / 1'000'000) + " ms";
      }
    }
  }
  if (retry_at > now_ns) {
    a.retry_at_ns = retry_at;
    return a;
  }
  for (size_t i = 0; i < buckets_.size() && i < costs.size(); ++i)
    if (costs[i] > 0) buckets_[i].level -= static_cast<int128>(costs[i]) * buckets_[i].spec.window_ns;
  a.admitted = true;
  return a;
}

void RateLimiter::on_response(int status, std::optional<int64_t> retry_after_ns, int64_t now_ns) {
  if (status >= 200 && status < 300) {
    backoff_ns_ = 0;
    return;
  }
  if (status != 429 && status != 418 && status != 503) return;
  backoff_ns_ = backoff_ns_ == 0 ? kSecond : std::min(backoff_ns_ * 2, 60 * kSecond);
  int64_t pause = retry_after_ns ? *retry_after_ns : backoff_ns_;
  if (status == 418) pause = std::max(pause, 120 * kSecond);
  paused_until_ = std::max(paused_until_, now_ns + pause);
}

std::vector<BucketSpec> RateLimiter::binance_spot() {
  return {{"REQUEST_WEIGHT 1m", 6000, 60 * kSecond},
          {"ORDERS 10s", 100, 10 * kSecond},
          {"ORDERS 1d", 200'000, 86'400 * kSecond}};
}

std::vector<BucketSpec> RateLimiter::binance_usdm() {
  return {{"REQUEST_WEIGHT 1m", 2400, 60 * kSecond},
          {"ORDERS 10s", 300, 10 * kSecond},
          {"ORDERS 1m", 1200, 60 * kSecond}};
}

std::vector<BucketSpec> RateLimiter::okx_trade() {
  return {{"ORDERS 2s", 60, 2 * kSecond},
          {"CANCELS 2s", 60, 2 * kSecond},
          {"ORDER QUERIES 2s", 60, 2 * kSecond},
          {"FILLS 2s", 60, 2 * kSecond}};
}

std::vector<BucketSpec> RateLimiter::bybit_trade() {
  return {{"ORDERS 1s", 10, kSecond}, {"QUERIES 1s", 50, kSecond}, {"REQUESTS 5s", 600, 5 * kSecond}};
}

std::vector<BucketSpec> RateLimiter::bitmex_rest() {
  return {{"REQUESTS 1m", 120, 60 * kSecond}, {"ORDERS 1s", 10, kSecond}};
}

std::vector<BucketSpec> RateLimiter::for_protocol(const std::string& protocol) {
  if (protocol == "binance_spot") return binance_spot();
  if (protocol == "binance_usdm") return binance_usdm();
  if (protocol == "okx") return okx_trade();
  if (protocol == "bybit") return bybit_trade();
  if (protocol == "bitmex") return bitmex_rest();
  return {};
}

int64_t binance_depth_weight(int limit) {
  if (limit <= 100) return 5;
  if (limit <= 500) return 25;
  if (limit <= 1000) return 50;
  return 250;
}

}  // namespace aq::connectors
