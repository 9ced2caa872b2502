#pragma once
// The narrow interface through which venue sessions report a venue's own best bid and offer
// (Binance bookTicker, OKX bbo-tbt, Bybit orderbook.1). The venue sends these faster than
// its depth stream, so they tell the freshest top of book; they never change the L2 book,
// which stays the one source for depth.
#include <cstdint>

#include "aqueduct/types/instrument.hpp"
#include "aqueduct/types/l2_book.hpp"

namespace aq::connectors {

struct TopOfBook {
  Level bid;   // instrument units; qty 0 = that side is empty
  Level ask;
  uint64_t venue_seq = 0;  // the venue's update id (Binance u, OKX seqId, Bybit u), 0 = none
  int64_t exchange_ts_ns = 0;
  int64_t local_ts_ns = 0;
  // Both sides present and bid below ask: the only top worth publishing.
  bool sane() const { return bid.qty > 0 && ask.qty > 0 && bid.price > 0 && bid.price < ask.price; }
};

class TopListener {
 public:
  virtual ~TopListener() = default;
  virtual void on_top_of_book(const Instrument& inst, const TopOfBook& top) = 0;
};

}  // namespace aq::connectors
