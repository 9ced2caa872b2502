#include "aqueduct/hedging/position_book.hpp"

#include <set>

namespace aq::hedging {

std::optional<Decimal> Marks::usd_price(const std::string& asset) const {
  auto it = usd.find(asset);
  if (it != usd.end()) return it->second;
  if (asset == "USD" || asset == "USDT" || asset == "USDC") return Decimal{1, 0};
  return std::nullopt;
}

int64_t position_value(const Instrument& inst, int64_t qty, int64_t price) {
  auto t = contract_terms(inst);
  Decimal n = inst.qty(qty), p = inst.price(price);
  if (t.kind == InstrumentKind::Inverse) {
    if (price <= 0) throw DecimalError("an inverse position needs a positive price");
    return -ratio_at({n, t.size}, {p}, kAssetScale, Rounding::HalfEven);
  }
  return ratio_at({n, t.size, p}, {}, kAssetScale, Rounding::HalfEven);
}

void PositionBook::on_taker_fill(const std::string& base, const std::string& quote, Side taker_side,
                                 int64_t qty, const Decimal& price) {
  int64_t quote_amount =
      ratio_at({Decimal{qty, kAssetScale}, price}, {}, kAssetScale, Rounding::HalfEven);
  int64_t sign = taker_side == Side::Buy ? -1 : 1;  // the taker buys: we sold base for quote
  auto& b = inventory_[canonical_asset(base)];
  auto& q = inventory_[canonical_asset(quote)];
  b = checked_add(b, sign * qty);
  q = checked_add(q, -sign * quote_amount);
  if (Marks{}.usd_price(canonical_asset(quote))) {  // USD-like: the asset's trading cash
    auto& c = quote_cash_[canonical_asset(base)];
    c = checked_add(c, -sign * quote_amount);
  }
}

int64_t PositionBook::quote_cash(const std::string& asset) const {
  auto it = quote_cash_.find(canonical_asset(asset));
  return it == quote_cash_.end() ? 0 : it->second;
}

namespace {
std::optional<int64_t> usd_of(int64_t amount, const std::string& asset, const Marks& m) {
  if (amount == 0) return 0;
  auto px = m.usd_price(asset);
  if (!px) return std::nullopt;
  return ratio_at({Decimal{amount, kAssetScale}, *px}, {}, kUsdScale, Rounding::HalfEven);
}
}  // namespace

std::optional<int64_t> PositionBook::asset_pnl_usd(const std::string& asset_in,
                                                   const Marks& m) const {
  auto asset = canonical_asset(asset_in);
  int64_t total = 0;
  auto add = [&](std::optional<int64_t> v) {
    if (!v) return false;
    total = checked_add(total, *v);
    return true;
  };
  if (!add(usd_of(inventory(asset), asset, m))) return std::nullopt;
  total = checked_add(total, ratio_at({Decimal{quote_cash(asset), kAssetScale}}, {}, kUsdScale,
                                      Rounding::HalfEven));
  for (const auto& [key, p] : positions_) {
    auto t = contract_terms(*p.inst);
    if (t.base != asset) continue;
    if (t.kind == InstrumentKind::Spot) {
      if (!add(usd_of(position_delta(*p.inst, p.qty, 0).base_qty, t.base, m))) return std::nullopt;
      if (!add(usd_of(checked_add(p.realized, -p.entry_value), t.quote, m))) return std::nullopt;
      continue;
    }
    auto u = unrealized(p, m);
    if (!u) return std::nullopt;
    if (!add(usd_of(checked_add(p.realized, *u), p.pnl_asset, m))) return std::nullopt;
  }
  return total;
}

std::optional<int64_t> PositionBook::equity_usd(const Marks& m) const {
  int64_t total = 0;
  for (const auto& [asset, q] : inventory_) {
    auto v = usd_of(q, asset, m);
    if (!v) return std::nullopt;
    total = checked_add(total, *v);
  }
  for (const auto& [key, p] : positions_) {
    auto t = contract_terms(*p.inst);
    std::optional<int64_t> v;
    if (t.kind == InstrumentKind::Spot) {
      auto b = usd_of(position_delta(*p.inst, p.qty, 0).base_qty, t.base, m);
      auto c = usd_of(checked_add(p.realized, -p.entry_value), t.quote, m);
      if (b && c) v = checked_add(*b, *c);
    } else if (auto u = unrealized(p, m)) {
      v = usd_of(checked_add(p.realized, *u), p.pnl_asset, m);
    }
    if (!v) return std::nullopt;
    total = checked_add(total, *v);
  }
  return total;
}

void PositionBook::on_venue_fill(const Instrument& inst, Side side, int64_t qty, int64_t price) {
  auto& p = positions_[inst.key()];
  if (!p.inst) {
    p.inst = &inst;
    auto t = contract_terms(inst);
    p.pnl_asset =
        t.kind == InstrumentKind::Spot || t.kind == InstrumentKind::Linear ? t.quote : t.settle;
  }
  int64_t q = side == Side::Buy ? qty : -qty;
  if (p.qty == 0 || (p.qty > 0) == (q > 0)) {  // opening or adding
    p.entry_value = checked_add(p.entry_value, position_value(inst, q, price));
    p.qty = checked_add(p.qty, q);
    return;
  }
  // Reducing: close min(|q|, |position|) at this price against its share of the entry value.
  int64_t open_abs = p.qty < 0 ? -p.qty : p.qty;
  int64_t q_abs = q < 0 ? -q : q;
  int64_t closing = q_abs < open_abs ? q_abs : open_abs;
  int64_t closed_signed = p.qty > 0 ? closing : -closing;  // in the position's direction
  int64_t released = closing == open_abs
                         ? p.entry_value
                         : mul_div(p.entry_value, closing, open_abs, Rounding::HalfEven);
  p.realized =
      checked_add(p.realized, checked_add(position_value(inst, closed_signed, price), -released));
  p.entry_value = checked_add(p.entry_value, -released);
  p.qty = checked_add(p.qty, -closed_signed);
  if (q_abs > closing) {  // through zero: the rest opens the other way
    int64_t rest = q > 0 ? q_abs - closing : -(q_abs - closing);
    p.entry_value = position_value(inst, rest, price);
    p.qty = rest;
  }
}

void PositionBook::set_position(const Instrument& inst, int64_t qty, int64_t entry_value,
                                int64_t realized) {
  auto& p = positions_[inst.key()];
  p.inst = &inst;
  auto t = contract_terms(inst);
  p.pnl_asset =
      t.kind == InstrumentKind::Spot || t.kind == InstrumentKind::Linear ? t.quote : t.settle;
  p.qty = qty;
  p.entry_value = entry_value;
  p.realized = realized;
}

int64_t PositionBook::inventory(const std::string& asset) const {
  auto it = inventory_.find(canonical_asset(asset));
  return it == inventory_.end() ? 0 : it->second;
}

const InstrumentPosition* PositionBook::position(const std::string& key) const {
  auto it = positions_.find(key);
  return it == positions_.end() ? nullptr : &it->second;
}

std::optional<int64_t> PositionBook::unrealized(const InstrumentPosition& p,
                                                const Marks& marks) const {
  auto it = marks.instrument.find(p.inst->key());
  if (it == marks.instrument.end() || it->second <= 0) return std::nullopt;
  return checked_add(position_value(*p.inst, p.qty, it->second), -p.entry_value);
}

std::map<std::string, Exposure> PositionBook::exposures(const Marks& marks,
                                                        const std::string& venue,
                                                        std::vector<MissingMark>* missing) const {
  std::map<std::string, int64_t> qty;
  std::set<std::string> broken;
  auto lack = [&](const std::string& asset, std::string what) {
    broken.insert(asset);
    if (missing) missing->push_back({std::move(what)});
  };
  if (venue.empty())
    for (const auto& [asset, q] : inventory_) qty[asset] = checked_add(qty[asset], q);
  for (const auto& [key, p] : positions_) {
    if (!venue.empty() && p.inst->venue != venue) continue;
    auto t = contract_terms(*p.inst);
    auto mark_it = marks.instrument.find(key);
    bool has_mark = mark_it != marks.instrument.end() && mark_it->second > 0;
    int64_t mark = has_mark ? mark_it->second : 0;
    if (t.kind == InstrumentKind::Spot) {
      // Holdings: the base bought, and the quote it cost (realized − open cost).
      qty[t.base] = checked_add(qty[t.base], position_delta(*p.inst, p.qty, 0).base_qty);
      qty[t.quote] = checked_add(qty[t.quote], checked_add(p.realized, -p.entry_value));
      continue;
    }
    // Derivatives: the contract's base delta, and the PnL held in the settle coin.
    if (!has_mark) {
      // A linear contract's base delta is its size, whatever the price: it still counts (left
      // out, the asset would look flatter than it is). Inverse and quanto deltas need the mark.
      if (t.kind == InstrumentKind::Linear)
        qty[t.base] = checked_add(qty[t.base], position_delta(*p.inst, p.qty, 0).base_qty);
      else
        lack(t.base, "mark price of " + key);
      lack(p.pnl_asset, "mark price of " + key);
      continue;
    }
    if (t.kind == InstrumentKind::Quanto) {
      auto settle_px = marks.usd_price(t.settle);
      if (!settle_px) {
        lack(t.base, "USD price of " + t.settle + " (for the quanto " + key + ")");
      } else {
        qty[t.base] =
            checked_add(qty[t.base], position_delta(*p.inst, p.qty, mark, *settle_px).base_qty);
      }
    } else {
      qty[t.base] = checked_add(qty[t.base], position_delta(*p.inst, p.qty, mark).base_qty);
    }
    int64_t pnl =
        checked_add(p.realized, checked_add(position_value(*p.inst, p.qty, mark), -p.entry_value));
    qty[p.pnl_asset] = checked_add(qty[p.pnl_asset], pnl);
  }
  std::map<std::string, Exposure> out;
  for (const auto& [asset, q] : qty) {
    if (broken.count(asset)) continue;
    auto px = marks.usd_price(asset);
    if (!px) {
      if (q != 0 && missing) missing->push_back({"USD price of " + asset});
      out[asset] = {q, 0, false};
      continue;
    }
    out[asset] = {q, ratio_at({Decimal{q, kAssetScale}, *px}, {}, kUsdScale, Rounding::HalfEven),
                  true};
  }
  return out;
}

std::optional<int64_t> PositionBook::derivatives_gross_usd(const Marks& marks,
                                                           const std::string& venue) const {
  int64_t gross = 0;
  for (const auto& [key, p] : positions_) {
    if (p.inst->venue != venue || p.inst->kind == InstrumentKind::Spot || p.qty == 0) continue;
    auto t = contract_terms(*p.inst);
    auto mark = marks.instrument.find(key);
    auto base_usd = marks.usd_price(t.base);
    if (mark == marks.instrument.end() || mark->second <= 0 || !base_usd) return std::nullopt;
    Decimal settle_usd;
    if (t.kind == InstrumentKind::Quanto) {
      auto s = marks.usd_price(t.settle);
      if (!s) return std::nullopt;
      settle_usd = *s;
    }
    int64_t base = position_delta(*p.inst, p.qty, mark->second, settle_usd).base_qty;
    gross = checked_add(gross, ratio_at({Decimal{base < 0 ? -base : base, kAssetScale}, *base_usd},
                                        {}, kUsdScale, Rounding::Up));
  }
  return gross;
}

}  // namespace aq::hedging
