#include "aqueduct/rfq/tokens.hpp"

namespace aq::rfq {

TokenRegistry::TokenRegistry(std::vector<Token> tokens, const Universe& universe)
    : tokens_(std::move(tokens)), universe_(&universe) {}

const Token* TokenRegistry::by_address(const eth::Address& a) const {
  for (const auto& t : tokens_)
    if (t.address == a) return &t;
  return nullptr;
}

const Token* TokenRegistry::by_asset(const std::string& asset) const {
  for (const auto& t : tokens_)
    if (t.asset == asset) return &t;
  return nullptr;
}

std::optional<PairRoute> TokenRegistry::route(const eth::Address& sell, const eth::Address& buy,
                                              std::string& why) const {
  const Token* s = by_address(sell);
  const Token* b = by_address(buy);
  auto known = [&] {
    std::string list;
    for (const auto& t : tokens_)
      list += (list.empty() ? "" : ", ") + t.symbol + " " + t.address.to_hex();
    return list;
  };
  if (!s) {
    why = "sell token " + sell.to_hex() + " is not traded; tokens: " + known();
    return std::nullopt;
  }
  if (!b) {
    why = "buy token " + buy.to_hex() + " is not traded; tokens: " + known();
    return std::nullopt;
  }
  if (s == b) {
    why = "sell and buy tokens are the same (" + s->symbol + ")";
    return std::nullopt;
  }
  if (universe_) {
    for (const auto& l : universe_->listings) {
      if (l.base == s->asset && l.quote == b->asset) return PairRoute{&l, s, b, Side::Sell};
      if (l.base == b->asset && l.quote == s->asset) return PairRoute{&l, b, s, Side::Buy};
    }
  }
  why = "no listing trades " + s->symbol + " against " + b->symbol;
  return std::nullopt;
}

namespace {

// Divides by 10^n, rounding as asked. ceil(ceil(x/a)/b) == ceil(x/(ab)) for positive
// integers, and likewise for floor, so dividing in 64-bit-sized steps is exact.
UInt256 div_pow10(UInt256 v, unsigned n, Rounding r) {
  while (n > 0) {
    unsigned k = n > 19 ? 19 : n;
    uint64_t rem = 0;
    v = v.div_small(UInt256::pow10(k).limb(0), &rem);
    if (r == Rounding::Up && rem != 0) v = *v.checked_add(1);
    n -= k;
  }
  return v;
}

UInt256 div_round(const UInt256& v, uint64_t d, Rounding r) {
  uint64_t rem = 0;
  UInt256 q = v.div_small(d, &rem);
  return (r == Rounding::Up && rem != 0) ? *q.checked_add(1) : q;
}

std::optional<int64_t> to_int64(const UInt256& v) {
  if (v.limb(1) || v.limb(2) || v.limb(3) || v.limb(0) > static_cast<uint64_t>(INT64_MAX))
    return std::nullopt;
  return static_cast<int64_t>(v.limb(0));
}

}  // namespace

std::optional<int64_t> to_qty_units(const UInt256& base_units, unsigned decimals, int qty_scale,
                                    Rounding r) {
  auto scale = static_cast<unsigned>(qty_scale);
  if (decimals >= scale) return to_int64(div_pow10(base_units, decimals - scale, r));
  auto v = base_units.checked_mul(UInt256::pow10(scale - decimals));
  return v ? to_int64(*v) : std::nullopt;
}

std::optional<UInt256> to_token_units(int64_t units, int scale, unsigned decimals) {
  if (units < 0) return std::nullopt;
  auto s = static_cast<unsigned>(scale);
  UInt256 v(static_cast<uint64_t>(units));
  if (decimals >= s) return v.checked_mul(UInt256::pow10(decimals - s));
  uint64_t rem = 0;
  UInt256 q = v.div_small(UInt256::pow10(s - decimals).limb(0), &rem);
  if (rem != 0) return std::nullopt;
  return q;
}

std::optional<UInt256> quote_for_base(const UInt256& base_units, unsigned base_decimals,
                                      int64_t price, int price_scale, unsigned quote_decimals,
                                      Rounding r) {
  if (price <= 0) return std::nullopt;
  auto n = base_units.checked_mul(UInt256(static_cast<uint64_t>(price)));
  if (!n) return std::nullopt;
  n = n->checked_mul(UInt256::pow10(quote_decimals));
  if (!n) return std::nullopt;
  return div_pow10(*n, base_decimals + static_cast<unsigned>(price_scale), r);
}

std::optional<UInt256> base_for_quote(const UInt256& quote_units, unsigned quote_decimals,
                                      int64_t price, int price_scale, unsigned base_decimals,
                                      Rounding r) {
  if (price <= 0) return std::nullopt;
  auto n =
      quote_units.checked_mul(UInt256::pow10(base_decimals + static_cast<unsigned>(price_scale)));
  if (!n) return std::nullopt;
  return div_pow10(div_round(*n, static_cast<uint64_t>(price), r), quote_decimals, r);
}

}  // namespace aq::rfq
