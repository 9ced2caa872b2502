#pragma once
// Instruments shared by the tests: Binance-like BTCUSDT spot (tick 0.01, lot 0.00001,
// minimum 0.0001, taker fee 10 bps).
#include <string>

#include "aqueduct/types/instrument.hpp"

namespace aq::testing {

inline Instrument btcusdt(const std::string& venue = "binance", int64_t taker_fee_ppm = 1000) {
  Instrument i;
  i.venue = venue;
  i.symbol = "BTCUSDT";
  i.base = "BTC";
  i.quote = "USDT";
  i.settle = "USDT";
  i.price_scale = 2;
  i.qty_scale = 5;
  i.tick = 1;
  i.lot = 1;
  i.min_qty = 10;
  i.taker_fee_ppm = taker_fee_ppm;
  return i;
}

}  // namespace aq::testing
