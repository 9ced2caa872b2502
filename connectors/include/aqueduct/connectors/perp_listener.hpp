#pragma once
// The narrow interface through which venue sessions report a perpetual's mark price, index
// price and funding rate (Binance markPrice, OKX mark-price/funding-rate, Bybit tickers,
// BitMEX instrument). Fields a message does not carry are left unset; the listener keeps the
// last known values.
#include <cstdint>
#include <optional>

#include "aqueduct/types/decimal.hpp"
#include "aqueduct/types/instrument.hpp"

namespace aq::connectors {

struct PerpStats {
  // Exact as sent: marks and indexes are not on the tick grid (BitMEX 65001.37 on a 0.5 tick).
  std::optional<Decimal> mark;
  std::optional<Decimal> index;
  std::optional<Decimal> funding_rate;   // per funding interval, exact as sent ("0.00010000")
  int64_t next_funding_ts_ns = 0;        // 0 = not sent
  int64_t exchange_ts_ns = 0;
  int64_t local_ts_ns = 0;
  bool empty() const { return !mark && !index && !funding_rate; }
};

class PerpListener {
 public:
  virtual ~PerpListener() = default;
  virtual void on_perp_stats(const Instrument& inst, const PerpStats& stats) = 0;
};

}  // namespace aq::connectors
