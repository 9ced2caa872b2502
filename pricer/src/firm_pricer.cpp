#include "aqueduct/pricer/firm_pricer.hpp"

namespace aq::pricer {

namespace msg = aqueduct::msg;

namespace {
constexpr int64_t kPpm = 1'000'000;

int128 pow10_128(int n) {
  int128 v = 1;
  for (int i = 0; i < n; ++i) v *= 10;
  return v;
}

Refusal refuse(msg::RefusalReason r, std::string detail) { return {r, std::move(detail)}; }
}  // namespace

Walk walk_book(const L2Book& book, Side side, int64_t qty) {
  Walk w;
  const auto& levels = side == Side::Buy ? book.asks() : book.bids();
  for (const auto& l : levels) {
    if (w.filled >= qty) break;
    int64_t take = std::min(qty - w.filled, l.qty);
    w.filled += take;
    w.notional += static_cast<int128>(l.price) * take;
    w.worst_price = l.price;
  }
  w.complete = w.filled == qty;
  return w;
}

PriceResult firm_price(const Listing& listing, const Universe& universe, const BookLookup& books,
                       Side taker_side, int64_t qty, int64_t now_ns, const PricingLimits& limits) {
  PriceResult out;
  auto qty_str = Decimal{qty, listing.qty_scale}.to_trimmed_string();
  if (qty < listing.min_qty) {
    out.refusal = refuse(msg::REFUSAL_SIZE_TOO_SMALL,
                         "size " + qty_str + " is below the minimum " +
                             Decimal{listing.min_qty, listing.qty_scale}.to_trimmed_string() +
                             " for " + listing.name);
    return out;
  }
  if (listing.max_qty > 0 && qty > listing.max_qty) {
    out.refusal = refuse(msg::REFUSAL_SIZE_TOO_LARGE,
                         "size " + qty_str + " is above the maximum " +
                             Decimal{listing.max_qty, listing.qty_scale}.to_trimmed_string() +
                             " for " + listing.name);
    return out;
  }

  std::string not_usable;  // why each hedge venue was passed over, for the refusal
  msg::RefusalReason worst = msg::REFUSAL_NO_LIVE_BOOK;
  for (const auto& key : listing.hedge_instruments) {
    const Instrument* inst = universe.instrument(key);
    const VenueBook* vb = books.find(key);
    if (!inst || !vb) {
      not_usable += key + ": no data; ";
      continue;
    }
    if (!vb->usable()) {
      not_usable += key + ": " + msg::BookState_Name(vb->state()) + " (" + vb->reason() + "); ";
      continue;
    }
    int64_t age = vb->age_ns(now_ns);
    if (age > limits.max_book_age_ns) {
      not_usable += key + ": last update " + std::to_string(age / 1'000'000) + " ms ago (limit " +
                    std::to_string(limits.max_book_age_ns / 1'000'000) + " ms); ";
      worst = msg::REFUSAL_STALE_BOOK;
      continue;
    }
    // The size in the instrument's units must be exact.
    int diff = inst->qty_scale - listing.qty_scale;
    int64_t inst_qty;
    if (diff >= 0) {
      inst_qty = checked_mul(qty, pow10(diff));
    } else if (qty % pow10(-diff) == 0) {
      inst_qty = qty / pow10(-diff);
    } else {
      not_usable += key + ": size finer than the venue's quantity precision; ";
      continue;
    }
    Walk w = walk_book(vb->book(), taker_side, inst_qty);
    if (!w.complete) {
      not_usable += key + ": only " + inst->qty(w.filled).to_trimmed_string() + " available; ";
      if (worst != msg::REFUSAL_STALE_BOOK) worst = msg::REFUSAL_INSUFFICIENT_DEPTH;
      continue;
    }
    // All-in price in listing units, as one exact rational rounded against us:
    //   notional * (1 +- fee) * (1 +- spread) * 10^(Lps - Ips) / qty
    bool ask = taker_side == Side::Buy;
    int128 fee_f = ask ? kPpm + inst->taker_fee_ppm : kPpm - inst->taker_fee_ppm;
    int128 spr_f = ask ? kPpm + listing.spread_ppm : kPpm - listing.spread_ppm;
    int128 num = w.notional * fee_f * spr_f;
    int128 den = static_cast<int128>(inst_qty) * kPpm * kPpm;
    int sd = listing.price_scale - inst->price_scale;
    if (sd >= 0) num *= pow10_128(sd);
    else den *= pow10_128(-sd);
    int64_t price = div_round(num, den, ask ? Rounding::Up : Rounding::Down);

    FirmPrice fp;
    fp.price = price;
    fp.qty = qty;
    fp.venue_key = key;
    int vs = inst->price_scale + 4;
    int64_t vwap = div_round(w.notional * 10'000, inst_qty, Rounding::HalfEven);
    fp.hedge_vwap = {vwap, vs};
    int64_t fee = div_round(static_cast<int128>(vwap) * inst->taker_fee_ppm, kPpm, Rounding::HalfEven);
    fp.fee_per_unit = {fee, vs};
    int64_t base = ask ? vwap + fee : vwap - fee;
    fp.spread_per_unit = {div_round(static_cast<int128>(base) * listing.spread_ppm, kPpm, Rounding::HalfEven), vs};
    fp.book_age_ms = age / 1'000'000;

    bool better = !out.price || (ask ? fp.price < out.price->price : fp.price > out.price->price);
    if (better) out.price = std::move(fp);
  }
  if (!out.price) {
    if (!not_usable.empty()) not_usable.resize(not_usable.size() - 2);
    out.refusal = refuse(worst, "cannot price " + qty_str + " " + listing.name + ": " +
                                    (not_usable.empty() ? "no hedge venue configured" : not_usable));
  }
  return out;
}

}  // namespace aq::pricer
