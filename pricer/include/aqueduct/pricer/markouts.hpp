#pragma once
// How the fair value moved after each of our fills: the markout at 1 s, 10 s and 60 s, from
// our side (positive: the fill earned us money against the later fair value; persistently
// negative for a client: that client knows something we do not). Kept per client and per
// listing, the data toxicity tiers are built from. Statistics, hence doubles for the results;
// pure: time and fair values are arguments.
#include <cstdint>
#include <deque>
#include <map>
#include <string>
#include <vector>

#include "aqueduct/types/instrument.hpp"

namespace aq::pricer {

struct MarkedFill {
  std::string fill_id;
  std::string client_id;
  std::string listing;
  Side taker_side = Side::Buy;
  int64_t price = 0;  // pricing units (listing price scale + kExtraDigits)
  int64_t qty = 0;    // listing qty units
  int64_t at_ns = 0;
};

struct MarkoutSample {
  std::string fill_id;
  std::string client_id;
  std::string listing;
  int64_t horizon_ns = 0;
  double bps = 0;  // (fill price - later fair) / fill price for our sell, the opposite for our buy
  int64_t qty = 0;
  int64_t fill_price = 0;  // pricing units
  int64_t fair = 0;        // pricing units, the fair value it was marked against
};

struct MarkoutStats {
  int64_t count = 0;
  double sum_bps = 0;
  double mean_bps() const { return count ? sum_bps / static_cast<double>(count) : 0.0; }
};

class Markouts {
 public:
  explicit Markouts(std::vector<int64_t> horizons_ns = {1'000'000'000, 10'000'000'000,
                                                        60'000'000'000});

  void on_fill(MarkedFill f);
  // A listing's fair value at `now`: completes every horizon that has passed, using the first
  // fair value seen at or after it. Returns what completed.
  std::vector<MarkoutSample> on_fair(const std::string& listing, int64_t fair, int64_t now_ns);

  // Aggregates by (client or listing, horizon index).
  MarkoutStats by_client(const std::string& client, size_t horizon) const {
    return stats(clients_, client, horizon);
  }
  MarkoutStats by_listing(const std::string& listing, size_t horizon) const {
    return stats(listings_, listing, horizon);
  }
  const std::vector<int64_t>& horizons() const { return horizons_; }
  size_t pending() const;

 private:
  struct Open {
    MarkedFill fill;
    size_t next = 0;  // next horizon index to complete
  };
  using Table = std::map<std::string, std::vector<MarkoutStats>>;
  static MarkoutStats stats(const Table& t, const std::string& key, size_t horizon) {
    auto it = t.find(key);
    return it == t.end() || horizon >= it->second.size() ? MarkoutStats{} : it->second[horizon];
  }
  std::vector<int64_t> horizons_;
  std::map<std::string, std::deque<Open>> open_;  // by listing, oldest fill first
  Table clients_, listings_;
};

}  // namespace aq::pricer
