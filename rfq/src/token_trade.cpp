#include "aqueduct/rfq/token_trade.hpp"

#include "aqueduct/eth/eip712.hpp"

namespace aq::rfq {

namespace {
// Is the fixed amount in the base token?
bool fixed_is_base(const TokenAsk& a) {
  bool taker_sells_base = a.route.taker_side == Side::Sell;
  return a.exact_sell == taker_sells_base;
}
}  // namespace

std::optional<PricingPlan> plan_pricing(const TokenAsk& ask, std::string& why) {
  const Listing& l = *ask.route.listing;
  PricingPlan p;
  if (fixed_is_base(ask)) {
    auto q = to_qty_units(ask.amount, ask.route.base->decimals, l.qty_scale, Rounding::Up);
    if (!q) {
      why = "the " + ask.route.base->symbol + " amount is too large";
      return std::nullopt;
    }
    p.qty = *q;
    return p;
  }
  const Token& quote = *ask.route.quote;
  const auto& a = ask.amount;
  if (a.limb(1) || a.limb(2) || a.limb(3) || a.limb(0) > static_cast<uint64_t>(INT64_MAX) ||
      quote.decimals > 18) {
    why = "the " + quote.symbol + " amount is too large";
    return std::nullopt;
  }
  p.amount = Decimal{static_cast<int64_t>(a.limb(0)), static_cast<int>(quote.decimals)};
  return p;
}

std::optional<TradeAmounts> amounts_at(const TokenAsk& ask, int64_t price, std::string& why) {
  const Listing& l = *ask.route.listing;
  unsigned bd = ask.route.base->decimals, qd = ask.route.quote->decimals;
  bool sells_base = ask.route.taker_side == Side::Sell;
  TradeAmounts t;
  // The side not fixed is rounded against the taker: less out of us, more into us.
  std::optional<UInt256> other;
  if (fixed_is_base(ask))
    other = quote_for_base(ask.amount, bd, price, l.price_scale, qd,
                           ask.exact_sell ? Rounding::Down : Rounding::Up);
  else
    other = base_for_quote(ask.amount, qd, price, l.price_scale, bd,
                           ask.exact_sell ? Rounding::Down : Rounding::Up);
  if (!other) {
    why = "the amount is too large to price";
    return std::nullopt;
  }
  if (other->is_zero()) {
    why = "the amount is too small: the other side rounds to zero base units";
    return std::nullopt;
  }
  if (ask.exact_sell) {
    t.taker_amount = ask.amount;
    t.maker_amount = *other;
  } else {
    t.maker_amount = ask.amount;
    t.taker_amount = *other;
  }
  const UInt256& base = sells_base ? t.taker_amount : t.maker_amount;
  auto q = to_qty_units(base, bd, l.qty_scale, Rounding::Up);
  if (!q) {
    why = "the amount is too large";
    return std::nullopt;
  }
  t.base_qty = *q;
  return t;
}

std::optional<int64_t> filled_base_qty(const TokenAsk& ask, const TradeAmounts& t,
                                       const UInt256& taker_filled) {
  if (taker_filled.is_zero() || taker_filled > t.taker_amount) return std::nullopt;
  const Listing& l = *ask.route.listing;
  bool sells_base = ask.route.taker_side == Side::Sell;
  UInt256 base;
  if (sells_base) {
    base = taker_filled;
  } else {
    // Pro rata, as the settlement contracts pay partial fills.
    auto n = t.maker_amount.checked_mul(taker_filled);
    if (!n) return std::nullopt;
    base = *n->checked_div(t.taker_amount);
  }
  return to_qty_units(base, ask.route.base->decimals, l.qty_scale, Rounding::Down);
}

std::optional<int64_t> implied_price(const PairRoute& route, const TradeAmounts& t, Rounding r) {
  bool taker_sells_base = route.taker_side == Side::Sell;
  const UInt256& base = taker_sells_base ? t.taker_amount : t.maker_amount;
  const UInt256& quote = taker_sells_base ? t.maker_amount : t.taker_amount;
  if (base.is_zero() || quote.is_zero()) return std::nullopt;
  // price = quote / 10^qd / (base / 10^bd) * 10^price_scale
  auto num = quote.checked_mul(UInt256::pow10(route.base->decimals));
  if (num) num = num->checked_mul(UInt256::pow10(static_cast<unsigned>(route.listing->price_scale)));
  auto den = base.checked_mul(UInt256::pow10(route.quote->decimals));
  if (!num || !den) return std::nullopt;
  UInt256 rem;
  auto q = num->checked_div(*den, &rem);
  if (!q) return std::nullopt;
  if (r == Rounding::Up && !rem.is_zero()) q = q->checked_add(1);
  if (!q || !eth::fits_bits(*q, 63)) return std::nullopt;
  return static_cast<int64_t>(q->limb(0));
}

}  // namespace aq::rfq
