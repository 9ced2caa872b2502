#pragma once
// What takers have taken from us on each side over a rolling window (listing qty units): the
// "open interest on that side" of the price-impact spread, accumulated so that slicing a large
// order into many small ones pays the same impact as the large one. Pure: time is an argument.
#include <cstdint>
#include <deque>

#include "aqueduct/types/instrument.hpp"

namespace aq::pricer {

class FlowWindow {
 public:
  explicit FlowWindow(int64_t window_ns) : window_ns_(window_ns) {}

  void add(Side taker_side, int64_t qty, int64_t now_ns);
  // Sum on one side over (now - window, now]. Expired entries are dropped.
  int64_t total(Side taker_side, int64_t now_ns);
  // Same, without dropping (for const pricing paths).
  int64_t peek(Side taker_side, int64_t now_ns) const;

 private:
  struct Entry {
    int64_t at_ns;
    int64_t qty;
  };
  void expire(int64_t now_ns);
  int64_t window_ns_;
  std::deque<Entry> side_[2];  // [0] taker buys, [1] taker sells
  int64_t sum_[2]{};
};

}  // namespace aq::pricer
