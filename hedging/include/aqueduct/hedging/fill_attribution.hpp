#pragma once
// Which hedges belong to which taker fill, and when a fill's PnL can be attributed
// (attribute_fill, pnl_attribution.hpp). Pure bookkeeping: events in, final fills out.
//
// The rule, since hedges net fills together: a hedge belongs to the newest fill of its asset
// when it was sent (a fill that arrives while an earlier one is being hedged takes the hedges
// sent after it; fills that net to nothing keep their spread and are revalued as open). A
// fill's PnL is final when none of its hedges is in flight and either a newer fill of its
// asset has arrived or its asset has nothing more to hedge. The parts of all fills add up to
// the network's PnL over them, exactly: each fill's terms are exact, and every hedge belongs
// to exactly one fill.
#include <map>
#include <string>
#include <vector>

#include "aqueduct/hedging/pnl_attribution.hpp"

namespace aq::hedging {

struct OpenFillPnl {
  std::string fill_id;
  std::string asset;
  FillPnlInput input;   // qty at kAssetScale, prices in USD at kUnitPriceScale
  int in_flight = 0;    // hedges sent for it without a final report
  bool closed = false;  // superseded by a newer fill, or its asset went idle
};

class FillAttribution {
 public:
  // `inventory_change`: base at kAssetScale (taker buys q: −q); prices USD at kUnitPriceScale.
  void on_fill(const std::string& fill_id, const std::string& asset, int64_t inventory_change,
               int64_t fill_price, int64_t fair_at_fill);
  // The fair value at fill time, when it is known only after the fill's first hedge went out.
  void set_fair(const std::string& fill_id, int64_t fair_at_fill);
  // A hedge of `asset` is sent now: returns the fill it belongs to ("" if none is open).
  std::string on_hedge_sent(const std::string& asset);
  void on_execution(const std::string& fill_id, const HedgeExecution& e);
  void on_hedge_final(const std::string& fill_id);
  // The fill funding on `asset`'s positions is attributed to now: its newest fill while that
  // fill's PnL is still open ("" if none is).
  std::string funding_fill(const std::string& asset) const;
  // Funding received (+) or paid (−) at the result scale, added to that open fill.
  void on_funding(const std::string& fill_id, int128 amount);
  // The asset has nothing to hedge and nothing in flight.
  void on_idle(const std::string& asset);
  // Removes and returns the fills whose PnL is final, oldest first.
  std::vector<OpenFillPnl> take_final();
  size_t open() const { return open_.size(); }

 private:
  std::map<std::string, OpenFillPnl> open_;     // by fill id
  std::vector<std::string> order_;              // fill ids, oldest first
  std::map<std::string, std::string> current_;  // asset -> its newest fill
};

}  // namespace aq::hedging
