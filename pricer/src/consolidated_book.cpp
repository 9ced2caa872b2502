#include "aqueduct/pricer/consolidated_book.hpp"

#include <algorithm>
#include <cmath>
#include <numeric>

namespace aq::pricer {

namespace {

constexpr int64_t kPpm = 1'000'000;
constexpr int64_t kPpb = 1'000'000'000;

int128 pow10_128(int n) {
  int128 v = 1;
  for (int i = 0; i < n; ++i) v *= 10;
  return v;
}

// Positive operands only; rounds toward +inf or -inf.
int64_t div_up(int128 n, int128 d) {
  return static_cast<int64_t>((n + d - 1) / d);
}
int64_t div_down(int128 n, int128 d) {
  return static_cast<int64_t>(n / d);
}

// A handful of values in a fixed array: no allocation on the update path.
struct SmallSet {
  std::array<int64_t, kMaxVenues> v{};
  size_t n = 0;
  void push_back(int64_t x) { v[n++] = x; }
  size_t size() const { return n; }
  bool empty() const { return n == 0; }
};

int64_t median(SmallSet& s) {
  std::sort(s.v.begin(), s.v.begin() + static_cast<std::ptrdiff_t>(s.n));
  size_t n = s.n;
  return n % 2 ? s.v[n / 2]
               : static_cast<int64_t>((static_cast<int128>(s.v[n / 2 - 1]) + s.v[n / 2]) / 2);
}

int64_t abs_dev_ppm(int64_t x, int64_t ref) {
  int128 d = static_cast<int128>(x) - ref;
  if (d < 0) d = -d;
  return ref > 0 ? static_cast<int64_t>(d * kPpm / ref) : kPpm;
}

}  // namespace

const char* to_string(VenueStatus s) {
  switch (s) {
    case VenueStatus::Live:
      return "live";
    case VenueStatus::NoData:
      return "no_data";
    case VenueStatus::NotLive:
      return "not_live";
    case VenueStatus::Stale:
      return "stale";
    case VenueStatus::NoReference:
      return "no_reference";
    case VenueStatus::Outlier:
      return "outlier";
    case VenueStatus::Unsupported:
      return "unsupported";
  }
  return "?";
}

std::string ConsolidatedBook::Venue::why() const {
  std::string key = instrument->key();
  switch (status) {
    case VenueStatus::Live:
      return key + ": live";
    case VenueStatus::NoData:
      return key + ": no book yet";
    case VenueStatus::NotLive:
      if (!book) return key + ": no book yet";
      if (book->state() != aqueduct::msg::BOOK_LIVE)
        return key + ": " + aqueduct::msg::BookState_Name(book->state()) + " (" + book->reason() +
               ")";
      return key + ": book unusable (" + book->reason() + ")";
    case VenueStatus::Stale:
      return key + ": last update " + std::to_string(age_ns / 1'000'000) + " ms ago (limit " +
             std::to_string(max_age_ns / 1'000'000) + " ms)";
    case VenueStatus::NoReference:
      return key + ": no reference venue live to measure its " +
             (converts ? "conversion rate" : "basis");
    case VenueStatus::Outlier:
      return key + ": mid " + std::to_string(deviation_ppm / 100) +
             " bps from the other venues (limit " + "set by outlier_bps)";
    case VenueStatus::Unsupported:
      return key + ": " + to_string(instrument->kind) +
             " contracts need a cross rate and are not priced from (hedging may still use them)";
  }
  return key;
}

ConsolidatedBook::ConsolidatedBook(const Listing& listing, std::vector<Source> sources,
                                   const PricingParams& params)
    : listing_(&listing), params_(&params) {
  if (sources.size() > kMaxVenues) sources.resize(kMaxVenues);
  for (const auto& s : sources) {
    Venue v;
    v.instrument = s.instrument;
    v.book = s.book;
    const Instrument& in = *s.instrument;
    v.reference = in.kind == InstrumentKind::Spot && in.quote == listing.quote;
    v.converts = in.quote != listing.quote;
    v.adjusted = v.reference;
    v.max_age_ns = params.max_book_age_ns;
    for (const auto& [key, age] : params.venue_max_age_ns)
      if (key == in.key()) v.max_age_ns = age;
    // Quantity: one raw unit in listing units.
    int64_t mul = pow10(listing.qty_scale), div = pow10(in.qty_scale);
    if (in.kind == InstrumentKind::Linear || in.kind == InstrumentKind::Inverse) {
      // Linear: base per contract. Inverse: the contract's face in the quote, then / price.
      Decimal size = contract_size(in);
      mul = checked_mul(mul, size.units);
      div = checked_mul(div, pow10(size.scale));
      if (in.kind == InstrumentKind::Inverse) mul = checked_mul(mul, pow10(in.price_scale));
    } else if (in.kind == InstrumentKind::Quanto) {
      v.status = VenueStatus::Unsupported;
    }
    int sd = listing.price_scale + kExtraDigits - in.price_scale;
    v.to_pricing = sd >= 0 ? static_cast<double>(pow10(sd)) : 1.0 / static_cast<double>(pow10(-sd));
    int64_t g = std::gcd(mul, div);
    v.qmul = mul / g;
    v.qdiv = div / g;
    set_transform(v);
    venues_.push_back(v);
  }
  cache_.resize(venues_.size());
}

void ConsolidatedBook::set_transform(Venue& v) {
  const Instrument& in = *v.instrument;
  int sd = listing_->price_scale + kExtraDigits - in.price_scale;
  int128 factor_ppb = std::llround(v.factor * kPpb);
  int128 up = sd >= 0 ? pow10_128(sd) : 1;
  v.div = (sd < 0 ? pow10_128(-sd) : 1) * kPpb * kPpm;
  v.mul[0] = up * factor_ppb * (kPpm - in.taker_fee_ppm);
  v.mul[1] = up * factor_ppb * (kPpm + in.taker_fee_ppm);
  v.add = std::llround(v.basis);
}

int64_t ConsolidatedBook::to_listing_qty(const Venue& v, int64_t raw_price, int64_t raw_qty) const {
  int128 n = static_cast<int128>(raw_qty) * v.qmul;
  int128 d = v.qdiv;
  if (v.instrument->kind == InstrumentKind::Inverse) d *= raw_price;
  return static_cast<int64_t>(n / d);  // down: never count more than is there
}

void ConsolidatedBook::inspect(Venue& v, int64_t now_ns) {
  if (v.status == VenueStatus::Unsupported) return;
  v.mid = v.micro = 0;
  v.deviation_ppm = 0;
  if (!v.book || v.book->last_update_ns() == 0) {
    v.status = v.book && v.book->state() != aqueduct::msg::BOOK_STATE_UNSPECIFIED
                   ? VenueStatus::NotLive
                   : VenueStatus::NoData;
    return;
  }
  v.age_ns = now_ns - v.book->last_update_ns();
  const L2Book& b = v.book->book();
  if (!v.book->usable() || b.bids().empty() || b.asks().empty()) {
    v.status = VenueStatus::NotLive;
    return;
  }
  if (v.age_ns > v.max_age_ns) {
    v.status = VenueStatus::Stale;
    return;
  }
  v.status = VenueStatus::Live;
  const Level& bid = b.bids().front();
  const Level& ask = b.asks().front();
  v.plain_mid = static_cast<double>(bid.price + ask.price) * 0.5 * v.to_pricing;
  int64_t w = bid.qty + ask.qty;
  v.plain_micro = w == 0 ? v.plain_mid
                         : (static_cast<double>(bid.price) * static_cast<double>(ask.qty) +
                            static_cast<double>(ask.price) * static_cast<double>(bid.qty)) /
                               static_cast<double>(w) * v.to_pricing;
  if (v.depth_version == v.book->version()) return;  // unchanged since measured
  v.depth_version = v.book->version();
  // Depth band around the venue's own mid, in its own units (no conversion needed for a band).
  int128 mid2 = static_cast<int128>(b.bids().front().price) + b.asks().front().price;  // 2 * mid
  int64_t lo =
      static_cast<int64_t>((mid2 * (kPpm - params_->depth_band_ppm) + 2 * kPpm - 1) / (2 * kPpm));
  int64_t hi = static_cast<int64_t>(mid2 * (kPpm + params_->depth_band_ppm) / (2 * kPpm));
  bool inverse = v.instrument->kind == InstrumentKind::Inverse;
  int128 raw_sum = 0;
  int64_t listing_sum = 0;
  for (const Level& l : b.bids()) {
    if (l.price < lo) break;
    if (inverse)
      listing_sum += to_listing_qty(v, l.price, l.qty);
    else
      raw_sum += l.qty;
  }
  v.depth_bid = inverse ? listing_sum : static_cast<int64_t>(raw_sum * v.qmul / v.qdiv);
  raw_sum = 0;
  listing_sum = 0;
  for (const Level& l : b.asks()) {
    if (l.price > hi) break;
    if (inverse)
      listing_sum += to_listing_qty(v, l.price, l.qty);
    else
      raw_sum += l.qty;
  }
  v.depth_ask = inverse ? listing_sum : static_cast<int64_t>(raw_sum * v.qmul / v.qdiv);
}

void ConsolidatedBook::evaluate(int64_t now_ns) {
  for (auto& v : venues_) inspect(v, now_ns);

  auto raw_mid = [](const Venue& v) { return v.plain_mid; };
  auto round = [](double x) { return static_cast<int64_t>(x + (x >= 0 ? 0.5 : -0.5)); };
  auto adjust = [](const Venue& v, double x) { return v.converts ? x * v.factor : x + v.basis; };

  // The reference level: median mid of the live reference venues.
  auto reference_mid = [&]() -> double {
    SmallSet mids;
    for (const auto& v : venues_)
      if (v.reference && v.status == VenueStatus::Live) mids.push_back(round(raw_mid(v)));
    return mids.empty() ? 0.0 : static_cast<double>(median(mids));
  };
  bool has_references =
      std::any_of(venues_.begin(), venues_.end(), [](const Venue& v) { return v.reference; });
  double ref = reference_mid();
  for (auto& v : venues_) {
    if (v.status != VenueStatus::Live || v.adjusted) continue;
    if (!has_references && !v.converts) {
      v.adjusted = true;  // no spot reference configured: perps in our currency set the level
    } else if (ref > 0) {
      double m = raw_mid(v);
      if (v.converts)
        v.factor = ref / m;
      else
        v.basis = ref - m;
      v.adjusted = true;
      v.adjust_last_ns = now_ns;
      set_transform(v);
    } else {
      v.status = VenueStatus::NoReference;
    }
  }

  // Outliers: against the median of all live venues (two venues: against each other).
  SmallSet mids;
  for (auto& v : venues_) {
    if (v.status != VenueStatus::Live) continue;
    v.mid = round(adjust(v, v.plain_mid));
    v.micro = round(adjust(v, v.plain_micro));
    mids.push_back(v.mid);
  }
  if (mids.size() >= 2) {
    int64_t med = median(mids);
    for (auto& v : venues_) {
      if (v.status != VenueStatus::Live) continue;
      v.deviation_ppm = abs_dev_ppm(v.mid, med);
      // With two venues each sits half the gap from the median: compare the whole gap.
      if (mids.size() == 2) v.deviation_ppm *= 2;
    }
    for (auto& v : venues_)
      if (v.status == VenueStatus::Live && v.deviation_ppm > params_->outlier_ppm)
        v.status = VenueStatus::Outlier;
  }

  // Learn the adjustments from the venues kept, against the references kept.
  ref = reference_mid();
  if (ref > 0) {
    for (auto& v : venues_) {
      if (v.status != VenueStatus::Live || v.reference || !has_references) continue;
      int64_t dt = now_ns - v.adjust_last_ns;
      if (dt <= 0) continue;
      double alpha = 1.0 - std::exp2(-static_cast<double>(dt) /
                                     static_cast<double>(params_->adjust_half_life_ns));
      double m = raw_mid(v);
      if (v.converts)
        v.factor += alpha * (ref / m - v.factor);
      else
        v.basis += alpha * ((ref - m) - v.basis);
      v.adjust_last_ns = now_ns;
      set_transform(v);
    }
  }

  // Fair value: microprices weighted by the depth each venue shows within the band.
  int128 num = 0, den = 0;
  int64_t count = 0;
  depth_bid_ = depth_ask_ = 0;
  live_ = 0;
  last_update_ns_ = 0;
  for (const auto& v : venues_) {
    if (v.status != VenueStatus::Live) continue;
    ++live_;
    depth_bid_ += v.depth_bid;
    depth_ask_ += v.depth_ask;
    last_update_ns_ = std::max(last_update_ns_, v.book->last_update_ns());
    int128 w = static_cast<int128>(v.depth_bid) + v.depth_ask;
    num += w * v.micro;
    den += w;
    ++count;
  }
  if (count == 0)
    fair_ = 0;
  else if (den == 0) {
    int128 sum = 0;
    for (const auto& v : venues_)
      if (v.status == VenueStatus::Live) sum += v.micro;
    fair_ = static_cast<int64_t>(sum / count);
  } else {
    fair_ = div_round(num, den, Rounding::HalfEven);
  }
  evaluated_ns_ = now_ns;
}

const Level* ConsolidatedBook::level(size_t vi, int side, size_t i) const {
  const Venue& v = venues_[vi];
  Cache& c = cache_[vi][static_cast<size_t>(side)];
  if (c.version != v.book->version() || c.mul != v.mul[side] || c.add != v.add) {
    c.version = v.book->version();
    c.mul = v.mul[side];
    c.add = v.add;
    c.levels.clear();
    c.source_pos = 0;
  }
  const auto& raw = side == 1 ? v.book->book().asks() : v.book->book().bids();
  while (c.levels.size() <= i && c.source_pos < raw.size()) {
    const Level& l = raw[c.source_pos++];
    int64_t q = to_listing_qty(v, l.price, l.qty);
    if (q <= 0) continue;  // finer than the listing can express
    int128 n = static_cast<int128>(l.price) * c.mul;
    int64_t p = (side == 1 ? div_up(n, v.div) : div_down(n, v.div)) + c.add;
    c.levels.push_back({p, q});
  }
  return i < c.levels.size() ? &c.levels[i] : nullptr;
}

ConsolidatedWalk ConsolidatedBook::walk(Side taker_side, int64_t qty) const {
  ConsolidatedWalk w;
  int side = taker_side == Side::Buy ? 1 : 0;
  // Heads of each live venue; tiny fixed arrays: a handful of venues beats any heap.
  std::array<size_t, kMaxVenues> pos{};
  std::array<const Level*, kMaxVenues> head{};
  std::array<int, kMaxVenues> slot{};  // venue -> allocation slot, -1 none
  size_t n = venues_.size();
  for (size_t i = 0; i < n; ++i) {
    slot[i] = -1;
    head[i] = venues_[i].status == VenueStatus::Live ? level(i, side, 0) : nullptr;
  }
  while (w.filled < qty) {
    size_t best = n;
    for (size_t i = 0; i < n; ++i) {
      if (!head[i]) continue;
      if (best == n ||
          (side == 1 ? head[i]->price < head[best]->price : head[i]->price > head[best]->price))
        best = i;
    }
    if (best == n) break;  // every live book ran out
    const Level& l = *head[best];
    int64_t take = std::min(qty - w.filled, l.qty);
    int128 notional = static_cast<int128>(l.price) * take;
    w.filled += take;
    w.notional += notional;
    w.worst_price = l.price;
    if (slot[best] < 0) {
      slot[best] = static_cast<int>(w.venues_used);
      w.alloc[w.venues_used++].venue = static_cast<uint16_t>(best);
    }
    auto& a = w.alloc[static_cast<size_t>(slot[best])];
    a.qty += take;
    a.notional += notional;
    head[best] = level(best, side, ++pos[best]);
  }
  w.complete = w.filled == qty;
  // The fee inside each venue's part: notional * fee / (1 +- fee).
  for (size_t k = 0; k < w.venues_used; ++k) {
    const auto& a = w.alloc[k];
    int64_t fee = venues_[a.venue].instrument->taker_fee_ppm;
    int128 f = side == 1 ? a.notional * fee / (kPpm + fee) : a.notional * fee / (kPpm - fee);
    w.fee_notional += f;
  }
  return w;
}

}  // namespace aq::pricer
