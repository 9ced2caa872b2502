#include "aqueduct/hedging/contract_math.hpp"

#include <array>
#include <stdexcept>

namespace aq::hedging {

namespace {

int128 checked_mul128(int128 a, int128 b) {
  int128 r;
  if (__builtin_mul_overflow(a, b, &r)) throw DecimalError("contract math overflows 128 bits");
  return r;
}

int128 pow10_128(int n) {
  // 10^0..10^38 fit in 128 bits; the table spares a loop of checked multiplies per ratio.
  static const auto table = [] {
    std::array<int128, 39> t{};
    t[0] = 1;
    for (size_t i = 1; i < t.size(); ++i) t[i] = t[i - 1] * 10;
    return t;
  }();
  if (n < 0 || n >= static_cast<int>(table.size()))
    throw DecimalError("contract math overflows 128 bits");
  return table[static_cast<size_t>(n)];
}

}  // namespace

int64_t to_position_units(const Decimal& qty) {
  return qty.rescaled(kAssetScale, Rounding::Exact).units;
}

std::string canonical_asset(std::string_view asset) {
  if (asset == "XBT" || asset == "XBt") return "BTC";
  return std::string(asset);
}

int64_t ratio_at(std::initializer_list<Decimal> num, std::initializer_list<Decimal> den,
                 int out_scale, Rounding mode) {
  int128 n = 1, d = 1;
  int exp = out_scale;
  for (const auto& x : num) {
    n = checked_mul128(n, x.units);
    exp -= x.scale;
  }
  for (const auto& x : den) {
    d = checked_mul128(d, x.units);
    exp += x.scale;
  }
  if (exp >= 0)
    n = checked_mul128(n, pow10_128(exp));
  else
    d = checked_mul128(d, pow10_128(-exp));
  return div_round(n, d, mode);
}

ContractTerms contract_terms(const Instrument& inst) {
  ContractTerms t;
  t.kind = inst.kind;
  t.base = canonical_asset(inst.base);
  t.quote = canonical_asset(inst.quote);
  t.settle = canonical_asset(inst.settle.empty() ? inst.quote : inst.settle);
  t.size = contract_size(inst);  // the venue's multiplier, normalised (types/instrument.hpp)
  return t;
}

PositionDelta position_delta(const Instrument& inst, int64_t qty, int64_t price,
                             const Decimal& settle_price) {
  auto t = contract_terms(inst);
  PositionDelta d;
  d.base = t.base;
  d.settle = t.settle;
  Decimal n = inst.qty(qty), p = inst.price(price);
  switch (t.kind) {
    case InstrumentKind::Spot:
    case InstrumentKind::Linear:
      d.base_qty = ratio_at({n, t.size}, {}, kAssetScale, Rounding::HalfEven);
      break;
    case InstrumentKind::Inverse:
      if (price <= 0) throw std::invalid_argument("inverse exposure needs a positive price");
      d.base_qty = ratio_at({n, t.size}, {p}, kAssetScale, Rounding::HalfEven);
      break;
    case InstrumentKind::Quanto:
      if (settle_price.units <= 0)
        throw std::invalid_argument("quanto exposure of " + inst.key() + " needs the price of " +
                                    t.settle + " in " + t.quote);
      d.settle_value = ratio_at({n, t.size, p}, {}, kAssetScale, Rounding::HalfEven);
      d.base_qty = ratio_at({n, t.size, settle_price}, {}, kAssetScale, Rounding::HalfEven);
      break;
  }
  return d;
}

int64_t settle_value(const Instrument& inst, int64_t qty, int64_t price) {
  auto t = contract_terms(inst);
  Decimal n = inst.qty(qty), p = inst.price(price);
  if (t.kind != InstrumentKind::Inverse)
    return ratio_at({n, t.size, p}, {}, kAssetScale, Rounding::HalfEven);
  if (price <= 0) throw std::invalid_argument("inverse value needs a positive price");
  return -ratio_at({n, t.size}, {p}, kAssetScale, Rounding::HalfEven);
}

Pnl pnl_of(const Instrument& inst, int64_t qty, int64_t entry, int64_t exit) {
  auto t = contract_terms(inst);
  Decimal n = inst.qty(qty), move = inst.price(checked_add(exit, -entry));
  switch (t.kind) {
    case InstrumentKind::Spot:
    case InstrumentKind::Linear:
      return {t.quote, ratio_at({n, t.size, move}, {}, kAssetScale, Rounding::HalfEven)};
    case InstrumentKind::Inverse:
      // N·face·(1/entry − 1/exit) = N·face·(exit − entry) / (entry·exit), rounded once.
      if (entry <= 0 || exit <= 0) throw std::invalid_argument("inverse PnL needs positive prices");
      return {t.settle, ratio_at({n, t.size, move}, {inst.price(entry), inst.price(exit)},
                                 kAssetScale, Rounding::HalfEven)};
    case InstrumentKind::Quanto:
      return {t.settle, ratio_at({n, t.size, move}, {}, kAssetScale, Rounding::HalfEven)};
  }
  return {};
}

int64_t contracts_for(const Instrument& inst, int64_t base_qty, int64_t price,
                      const Decimal& settle_price) {
  auto t = contract_terms(inst);
  int64_t sign = base_qty < 0 ? -1 : 1;
  Decimal b{base_qty < 0 ? -base_qty : base_qty, kAssetScale};
  int64_t units = 0;  // instrument qty units, toward zero: never more than the exposure
  switch (t.kind) {
    case InstrumentKind::Spot:
    case InstrumentKind::Linear:
      units = ratio_at({b}, {t.size}, inst.qty_scale, Rounding::Down);
      break;
    case InstrumentKind::Inverse:
      if (price <= 0) throw std::invalid_argument("inverse hedge size needs a positive price");
      units = ratio_at({b, inst.price(price)}, {t.size}, inst.qty_scale, Rounding::Down);
      break;
    case InstrumentKind::Quanto:
      if (settle_price.units <= 0)
        throw std::invalid_argument("quanto hedge size on " + inst.key() + " needs the price of " +
                                    t.settle + " in " + t.quote);
      units = ratio_at({b}, {t.size, settle_price}, inst.qty_scale, Rounding::Down);
      break;
  }
  if (inst.lot > 0) units = units / inst.lot * inst.lot;
  return sign * units;
}

}  // namespace aq::hedging
