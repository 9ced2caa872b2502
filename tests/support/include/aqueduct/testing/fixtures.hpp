#pragma once
// Instruments and listings shared by the tests: Binance-like BTCUSDT spot (tick 0.01, lot
// 0.00001, minimum 0.0001, taker fee 10 bps) and a BTC-USDT listing on the same grid.
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

// Any instrument, by kind, assets, scales and multiplier; its lot is also its minimum.
inline Instrument instrument(InstrumentKind kind, std::string venue, std::string symbol, std::string base,
                             std::string quote, std::string settle, int price_scale, int qty_scale,
                             Decimal multiplier, int64_t lot = 1) {
  Instrument i;
  i.venue = std::move(venue);
  i.symbol = std::move(symbol);
  i.kind = kind;
  i.base = std::move(base);
  i.quote = std::move(quote);
  i.settle = std::move(settle);
  i.price_scale = price_scale;
  i.qty_scale = qty_scale;
  i.multiplier = multiplier;
  i.lot = lot;
  i.min_qty = lot;
  return i;
}
// BitMEX XBTUSD: inverse, 1 USD face (multiplier -1e8 XBt), lots of 100 contracts.
inline Instrument xbtusd() {
  return instrument(InstrumentKind::Inverse, "bitmex", "XBTUSD", "BTC", "USD", "XBT", 1, 0, {-100'000'000, 0}, 100);
}
// BitMEX ETHUSD: quanto, 100 XBt (0.000001 XBT) per contract per USD of ETH price.
inline Instrument ethusd() {
  return instrument(InstrumentKind::Quanto, "bitmex", "ETHUSD", "ETH", "USD", "XBT", 2, 0, {100, 0});
}

// A BTC-USDT listing at price scale 2 and qty scale 5 (minimum 0.0001), no spread, with
// `max_btc` whole BTC as its maximum size.
inline Listing btcusdt_listing(int64_t max_btc = 5) {
  Listing l;
  l.name = "BTC-USDT";
  l.base = "BTC";
  l.quote = "USDT";
  l.price_scale = 2;
  l.qty_scale = 5;
  l.spread_ppm = 0;
  l.min_qty = 10;
  l.max_qty = max_btc * 100'000;
  return l;
}

}  // namespace aq::testing
