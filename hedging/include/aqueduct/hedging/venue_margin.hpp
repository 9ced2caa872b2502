#pragma once
// How much USD of new perp notional margin a venue's own account read leaves (the router reads
// each venue's account on a timer). Pure: the read, the marks' figures and the time are
// passed in.
//
// The venue's `available` is what it had free when it answered. Perp trades since then that
// grew a position hold margin the read cannot show yet: their added notional (at the trade's
// price) is charged at the initial margin rate. Positions closed since then are not credited
// until the next read says so. No read, a failed read, a read older than allowed, or a margin
// coin without a USD price: nothing is free, and `why` says which.
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "aqueduct/types/decimal.hpp"

namespace aq::hedging {

struct VenueMarginRead {
  std::string coin;   // the account's coin, canonical (USDT, USD, BTC)
  Decimal available;  // free for new positions, in `coin`
  int64_t read_at_ns = 0;
  // USD notional (kUsdScale) that perp trades on the venue added to its positions since the
  // read; nullopt once a trade could not be valued (the read is not used).
  std::optional<int64_t> added_usd = 0;
  std::string error;  // the read failed: why (the figures are empty)
};

struct MarginVerdict {
  int64_t free_usd = 0;  // kUsdScale, at least 0
  std::string why;       // set when nothing can be trusted to be free (free_usd is 0)
};

MarginVerdict venue_free_margin(const std::string& venue, const VenueMarginRead* read,
                                int64_t initial_margin_ppm, int64_t max_age_ms,
                                const std::optional<Decimal>& coin_usd, int64_t now_ns);

// The USD notional a perp trade adds to its position: how much it grows the position's size
// in base (|after| − |before|, none when it shrinks it), at `base_usd`, rounded up.
int64_t added_notional_usd(int64_t base_before, int64_t base_after, const Decimal& base_usd);

// The perp trades hedging learned of on one venue, each with the notional it added (nullopt:
// it could not be valued), kept until an account read asked for after them arrives.
class MarginTradeLog {
 public:
  void on_trade(int64_t at_ns, std::optional<int64_t> added_usd) {
    // Bounded: with no read arriving the venue's margin is not used anyway, and the next read
    // forgets what came before its request.
    if (trades_.size() >= 100'000) trades_.erase(trades_.begin(), trades_.begin() + 50'000);
    trades_.push_back({at_ns, added_usd});
  }
  // For a read the router asked the venue for at `asked_ns`: the notional of every trade
  // learned of since then, which the read may not show (a trade the read does show is counted
  // again: margin is understated, never overstated). nullopt when one of them could not be
  // valued. Trades before `asked_ns` are forgotten: the read shows them.
  std::optional<int64_t> added_since(int64_t asked_ns);

 private:
  struct Trade {
    int64_t at_ns;
    std::optional<int64_t> added_usd;
  };
  std::vector<Trade> trades_;
};

}  // namespace aq::hedging
