#pragma once
// The takers' side of hedging tests: fills through the native API (or committed straight to
// the record, as if their bus message were lost), and what they add up to, so that a test can
// check the network hedged each exactly once against the simulator's own account.
#include <cstdint>
#include <string>

#include "aqueduct/testing/native_client.hpp"
#include "aqueduct/types/instrument.hpp"

namespace aq::testing {

// Decimal text at `scale` as units; "" (a missing row) is 0.
int64_t decimal_units(const std::string& text, int scale);

// Commits a fill for `listing` in the record without publishing it (rfq's record, then
// nothing on the bus): hedging must find it there.
void record_fill_directly(const std::string& db_url, const Listing& listing,
                          const std::string& fill_id, const std::string& client_id, Side taker_side,
                          int64_t price, int64_t qty);

struct TakerFlow {
  const NativeClient& client;
  std::string listing = "BTC-USDT";
  int qty_scale = 5;
  int fills = 0;
  int64_t taker_net = 0;  // base the takers bought, at qty_scale
  // Quotes (until the books are live, at most 10 s) and accepts; false if either failed.
  bool fill(bool buy, int64_t qty);
};

}  // namespace aq::testing
