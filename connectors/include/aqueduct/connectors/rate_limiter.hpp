#pragma once
// Weighted, linked rate-limit buckets for one venue account or IP, as a pure state machine
// over injected time (no clock inside). A request names its cost in each bucket it counts
// against — a Binance order costs 1 request weight and 1 order in the 10-second and daily
// order buckets — and is admitted only if every bucket has room, so the buckets move together
// ("linked"). The venue's own answers feed back: a 429 or 503 pauses every request until the
// Retry-After time (or an exponential backoff when the venue gives none), a 418 (an IP ban
// for ignoring 429s) pauses longer. Admission is refused with the time to wait, never queued
// silently: the caller decides whether a hedge can wait that long.
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "aqueduct/types/decimal.hpp"

namespace aq::connectors {

struct BucketSpec {
  std::string name;    // "REQUEST_WEIGHT 1m", "ORDERS 10s"
  int64_t capacity;    // units per window
  int64_t window_ns;   // refilled continuously: capacity per window
};

struct Admission {
  bool admitted = false;
  int64_t retry_at_ns = 0;  // refused: the earliest time this request could be admitted
  std::string reason;       // refused: which bucket or pause, and its limit
};

class RateLimiter {
 public:
  explicit RateLimiter(std::vector<BucketSpec> buckets);

  // Takes `costs[i]` from bucket i if every bucket has room at `now_ns`; otherwise takes
  // nothing. `costs` may be shorter than the bucket list (missing costs are 0).
  Admission try_acquire(const std::vector<int64_t>& costs, int64_t now_ns);

  // The venue's answer to a request. 429/503 pause everything until `retry_after_ns` from now
  // (when the venue says) or a doubling backoff from 1 s up to 60 s; 418 pauses at least
  // 2 minutes. Any 2xx ends the backoff streak.
  void on_response(int http_status, std::optional<int64_t> retry_after_ns, int64_t now_ns);

  int64_t paused_until_ns() const { return paused_until_; }
  // Units available in bucket i at `now_ns` (for metrics and tests).
  int64_t available(size_t i, int64_t now_ns) const;

  // Binance spot (venues.md §1.6): REQUEST_WEIGHT 6000/min, ORDERS 100/10 s and 200000/day.
  static std::vector<BucketSpec> binance_spot();
  // Binance USD-M (§2.5): REQUEST_WEIGHT 2400/min, ORDERS 300/10 s and 1200/min.
  static std::vector<BucketSpec> binance_usdm();
  // The trading endpoints of the other venues, in the bucket order their OrderProtocol costs use.
  // OKX (§3.8): place, cancel, order details and fills each 60 per 2 s (per instrument at OKX;
  // counted per account here, which is stricter).
  static std::vector<BucketSpec> okx_trade();
  // Bybit (§4.7): create/cancel 10/s per UID (linear; spot allows 20), order and execution
  // queries 50/s, and 600 requests per 5 s per IP.
  static std::vector<BucketSpec> bybit_trade();
  // BitMEX (§6.6): 120 authenticated requests per minute, and 10/s on order placement and
  // cancellation.
  static std::vector<BucketSpec> bitmex_rest();
  // The account's limits for a venue protocol (binance_spot, binance_usdm, okx, bybit,
  // bitmex); empty for one without order entry.
  static std::vector<BucketSpec> for_protocol(const std::string& protocol);

 private:
  struct Bucket {
    BucketSpec spec;
    // Fixed-point level: units scaled by window_ns, so refill is exact integer arithmetic.
    int128 level;
    int64_t last_ns;
  };
  void refill(Bucket& b, int64_t now_ns) const;

  std::vector<Bucket> buckets_;
  int64_t paused_until_ = 0;
  int64_t backoff_ns_ = 0;
};

// Binance's weight for GET /api/v3/depth at a given limit (venues.md §1.6).
int64_t binance_depth_weight(int limit);

}  // namespace aq::connectors
