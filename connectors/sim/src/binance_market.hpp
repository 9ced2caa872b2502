#pragma once
// One simulated Binance instrument: its price process, its book and the faults scripted on
// its stream. Private to the simulator's sources (market data and order entry).
#include <memory>
#include <vector>

#include "aqueduct/net/ws_session.hpp"
#include "aqueduct/sim/binance_sim.hpp"
#include "aqueduct/sim/funding_ledger.hpp"
#include "aqueduct/sim/resting_orders.hpp"

namespace aq::sim {

struct BinanceSim::Market {
  SimInstrument spec;
  VenuePrice process;
  SimBook book;
  RestingOrders resting;  // post-only orders on this market
  uint64_t skip_next = 0;
  bool silent = false;
  bool frozen = false;
  bool drop_next = false;
  bool drop_once = false;  // fault: the next diff is not sent (the stream moves on)
  bool duplicate = false;
  bool cross = false;
  uint64_t last_sent_u = 0;  // futures: pu of the next diff
  FundingLedger funding;     // futures: settlements, for /fapi/v1/fundingRate
  std::vector<std::shared_ptr<net::WsSession>> mark_subscribers;  // futures: markPrice@1s
  std::vector<std::shared_ptr<net::WsSession>> top_subscribers;   // bookTicker
  Level last_bid, last_ask;                                   // the top last sent on bookTicker
  std::vector<std::shared_ptr<net::WsSession>> subscribers;

  Market(const SimInstrument& s, uint64_t seed, const PathLink& link)
      : spec(s),
        process(seed, s.start_mid, s.instrument.tick, s.max_step_ticks,
                s.asset.empty() ? s.instrument.base : s.asset, link),
        book(s.book, seed ^ 0x9e3779b97f4a7c15ULL) {
    book.refresh(process.mid());
    last_sent_u = book.publish().final_id;
  }
};

}  // namespace aq::sim
