#pragma once
// Net inventory per asset and the hedges in flight against it. Quantities are int64 units at
// kPositionScale (1e-8), enough for every CEX asset. Pure.
#include <cstdint>
#include <map>
#include <string>

#include "aqueduct/types/decimal.hpp"
#include "aqueduct/types/instrument.hpp"

namespace aq::hedging {

inline constexpr int kPositionScale = 8;

// Converts an exact decimal quantity to position units; throws if it has more than 8 decimals.
int64_t to_position_units(const Decimal& qty);

struct AssetExposure {
  int64_t net = 0;      // inventory relative to flat: + long, - short
  int64_t pending = 0;  // signed quantity of hedge orders sent and not yet final
  int64_t unknown = 0;  // how many hedges have an unknown outcome
  int64_t last_price = 0;  // last fill price, listing price units (reference for hedge limits)
  int last_price_scale = 0;
  int64_t retry_after_ns = 0;  // a hedge that filled nothing waits before the next try
  // What the position will be once in-flight hedges complete.
  int64_t projected() const { return net + pending; }
};

class ExposureBook {
 public:
  // A taker fill on `base`: the taker buying means we sold, so our net goes down.
  void on_fill(const std::string& base, Side taker_side, int64_t qty, int64_t price, int price_scale);
  // A hedge order was sent (signed qty: + buy, - sell).
  void on_hedge_sent(const std::string& asset, int64_t signed_qty);
  // A hedge reached a final state: it filled `signed_filled` of `signed_ordered`.
  void on_hedge_done(const std::string& asset, int64_t signed_ordered, int64_t signed_filled);
  void on_hedge_unknown(const std::string& asset);
  void set_net(const std::string& asset, int64_t net) { assets_[asset].net = net; }

  AssetExposure& at(const std::string& asset) { return assets_[asset]; }
  const std::map<std::string, AssetExposure>& all() const { return assets_; }

 private:
  std::map<std::string, AssetExposure> assets_;
};

}  // namespace aq::hedging
