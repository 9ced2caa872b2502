#pragma once
// The simulator's book for one instrument: levels on a fixed price grid around the mid, sizes
// growing away from it with seeded jitter, refreshed each tick; limit IOC orders match against
// it. Changes accumulate until `publish`, which yields one Binance-style diff (U..u) so that
// the published book and the diffs always agree.
#include <cstdint>
#include <map>
#include <random>
#include <vector>

#include "aqueduct/types/instrument.hpp"
#include "aqueduct/types/l2_book.hpp"

namespace aq::sim {

struct SimBookParams {
  int levels_per_side = 40;
  int64_t level_step = 50;        // price units between levels
  int64_t half_spread = 1;        // price units from mid to the first level on each side
  int64_t base_qty = 20'000;      // qty units at the best level
  int jitter_levels_per_tick = 4; // levels whose size is redrawn each tick
};

struct Diff {
  uint64_t first_id = 0;
  uint64_t final_id = 0;
  std::vector<Level> bids;
  std::vector<Level> asks;
  bool empty() const { return bids.empty() && asks.empty(); }
};

struct Execution {
  int64_t price;
  int64_t qty;
};

class SimBook {
 public:
  SimBook(SimBookParams params, uint64_t seed);

  // Re-anchors the book on `mid` (levels appear/disappear at the edges) and redraws a few sizes.
  void refresh(int64_t mid);
  // The best price on a side now (Buy: the best bid, Sell: the best ask); 0 when empty.
  int64_t best(Side side) const;
  // Matches a limit IOC order; returns the executions, best price first.
  std::vector<Execution> match_ioc(Side side, int64_t limit_price, int64_t qty);
  // Emits accumulated changes as one diff with consecutive update ids; empty if none.
  // `skip_ids` leaves a hole in the id sequence before it (a scripted gap).
  Diff publish(uint64_t skip_ids = 0);

  uint64_t last_update_id() const { return update_id_; }
  // The book as of last_update_id (what a REST snapshot serves).
  const L2Book& published() const { return published_; }

 private:
  int64_t size_at(int index);
  void set(Side side, int64_t price, int64_t qty);

  SimBookParams p_;
  std::mt19937_64 rng_;
  std::map<int64_t, int64_t> bids_;  // current state, price -> qty
  std::map<int64_t, int64_t> asks_;
  std::map<int64_t, int64_t> pending_bids_;  // changed since last publish
  std::map<int64_t, int64_t> pending_asks_;
  L2Book published_;
  uint64_t update_id_ = 1000;
};

}  // namespace aq::sim
