#pragma once
// What hedging counts for operators, and its Prometheus text exposition. Pure: the shell
// increments the counters on its loop and renders them when scraped (hedging.metrics).
#include <cstdint>
#include <map>
#include <string>
#include <vector>

namespace aq::hedging {

// A latency histogram with fixed upper bounds (ns), cumulative as Prometheus expects.
class LatencyHistogram {
 public:
  explicit LatencyHistogram(std::vector<int64_t> upper_bounds_ns);
  void observe(int64_t ns);
  const std::vector<int64_t>& bounds() const { return bounds_; }
  // Observations at or below each bound (cumulative), then the total count.
  std::vector<uint64_t> cumulative() const;
  uint64_t count() const { return count_; }
  int64_t sum_ns() const { return sum_ns_; }

 private:
  std::vector<int64_t> bounds_;
  std::vector<uint64_t> counts_;  // per bucket, not cumulative; last = above every bound
  uint64_t count_ = 0;
  int64_t sum_ns_ = 0;
};

struct HedgingMetrics {
  uint64_t fills = 0;            // taker fills claimed
  uint64_t swept_fills = 0;      // of which found in the record rather than on the bus
  uint64_t orders_fast = 0;      // sent straight from a fill, recorded after
  uint64_t orders_recorded = 0;  // recorded, then sent
  uint64_t orders_worked = 0;    // of those, post-only orders worked rather than crossed
  uint64_t worked_filled = 0;    // worked orders that filled something as maker
  uint64_t lookups = 0;          // retries and recovery: looked up at the venue, never re-placed
  std::map<std::string, uint64_t> outcomes;  // final reports by status (ORDER_FILLED, ...)
  uint64_t unknown_reports = 0;
  uint64_t adopted = 0;  // found at a venue at start, not in the record
  uint64_t risk_trips = 0;
  uint64_t alerts_sent = 0, alerts_failed = 0;
  uint64_t pnl_attributed = 0;       // fills whose PnL was attributed
  uint64_t funding_settlements = 0;  // funding booked on perp positions
  // From a fill reaching hedging to its first order handed to the router (the venue's
  // connection, when the router runs on hedging's loop).
  LatencyHistogram fill_to_order{
      {25'000, 50'000, 100'000, 200'000, 500'000, 1'000'000, 2'000'000, 5'000'000, 10'000'000}};
};

struct HedgingGauges {
  uint64_t in_flight = 0;
  bool recovering = false;
  bool db_lock_lost = false;     // another process took the database's hedging lock
  uint64_t db_lock_retaken = 0;  // the lock taken again after the connection was renewed
  std::vector<std::pair<std::string, std::string>> tripped;  // scope, state
  // asset -> net exposure in base and USD, as decimal text (USD "" when not valued)
  std::map<std::string, std::pair<std::string, std::string>> exposure;
  // venue -> free derivatives margin in USD as decimal text ("" when it cannot be valued)
  std::map<std::string, std::string> margin_free;
  // venue -> age in seconds of its latest account read, as decimal text (margin from the
  // venue only; venues without a read have no sample)
  std::map<std::string, std::string> margin_read_age_s;
  // The maker's on-chain wallet, as the rfq side last read it (decimal text, whole tokens).
  struct WalletLine {
    std::string chain, holder, symbol, balance, reserved;
    bool below_floor = false;
    std::string read_age_s;
  };
  std::vector<WalletLine> wallet;
};

// Prometheus text format 0.0.4: one HELP and TYPE per family, label values escaped.
std::string prometheus_text(const HedgingMetrics& m, const HedgingGauges& g);

}  // namespace aq::hedging
