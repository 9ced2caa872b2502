#include "aqueduct/hedging/exposure.hpp"

namespace aq::hedging {

int64_t to_position_units(const Decimal& qty) {
  return qty.rescaled(kPositionScale, Rounding::Exact).units;
}

void ExposureBook::on_fill(const std::string& base, Side taker_side, int64_t qty, int64_t price,
                           int price_scale) {
  auto& a = assets_[base];
  a.net = checked_add(a.net, taker_side == Side::Buy ? -qty : qty);
  a.last_price = price;
  a.last_price_scale = price_scale;
  a.retry_after_ns = 0;  // new flow: hedge it now
}

void ExposureBook::on_hedge_sent(const std::string& asset, int64_t signed_qty) {
  auto& a = assets_[asset];
  a.pending = checked_add(a.pending, signed_qty);
}

void ExposureBook::on_hedge_done(const std::string& asset, int64_t signed_ordered,
                                 int64_t signed_filled) {
  auto& a = assets_[asset];
  a.pending = checked_add(a.pending, -signed_ordered);
  a.net = checked_add(a.net, signed_filled);
}

void ExposureBook::on_hedge_unknown(const std::string& asset) { ++assets_[asset].unknown; }

}  // namespace aq::hedging
