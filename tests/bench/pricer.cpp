// The pricer's hot paths on a consolidated book of 5 venues x 100 levels per side (issue 4,
// deliverable 9): a firm price for a size (p50/p99 per call, right after a book update and
// again on an unchanged book), a ladder of 20 sizes, and the update per venue delta (the
// venue book's apply alone, and apply + the listing's refresh that re-decides the venues,
// fair value, volatility and jump guard).
// Usage: bench_pricer [iterations=200000]
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <memory>
#include <random>
#include <string>
#include <vector>

#include "aqueduct/pricer/ladder.hpp"
#include "aqueduct/testing/fixtures.hpp"
#include "aqueduct/types/convert.hpp"

using namespace aq;
using namespace aq::pricer;
namespace msg = aqueduct::msg;

namespace {

using Clock = std::chrono::steady_clock;

struct Stats {
  std::vector<double> ns;
  void add(Clock::time_point a, Clock::time_point b) {
    ns.push_back(static_cast<double>((b - a).count()));
  }
  void print(const char* what) {
    std::sort(ns.begin(), ns.end());
    auto at = [&](double q) {
      return ns[static_cast<size_t>(q * static_cast<double>(ns.size() - 1))];
    };
    std::printf("%-46s n=%zu  p50 %8.0f ns  p99 %8.0f ns  p99.9 %8.0f ns\n", what, ns.size(),
                at(0.5), at(0.99), at(0.999));
    ns.clear();
  }
};

void level(google::protobuf::RepeatedPtrField<msg::BookLevel>* out, int64_t price, int64_t qty) {
  auto* l = out->Add();
  to_proto(Decimal{price, 2}, l->mutable_price());
  to_proto(Decimal{qty, 5}, l->mutable_qty());
}

}  // namespace

int main(int argc, char** argv) {
  int iterations = argc > 1 ? std::atoi(argv[1]) : 200000;
  const int kVenues = 5, kLevels = 100;
  const int64_t kNow = 1'000'000'000'000, kMid = 3'000'000;  // 30000.00
  std::mt19937_64 rng(3);

  Listing listing = testing::btcusdt_listing(50);
  listing.spread_ppm = 200;
  std::vector<std::unique_ptr<Instrument>> instruments;
  std::vector<std::unique_ptr<VenueBook>> books;
  std::vector<ConsolidatedBook::Source> sources;
  for (int v = 0; v < kVenues; ++v) {
    auto in =
        std::make_unique<Instrument>(testing::btcusdt("v" + std::to_string(v), 400 + 100 * v));
    books.push_back(std::make_unique<VenueBook>(*in));
    msg::BookSnapshot s;
    s.set_venue(in->venue);
    s.set_symbol(in->symbol);
    s.set_venue_seq(1);
    for (int k = 0; k < kLevels; ++k) {
      level(s.mutable_bids(), kMid - 50 - 50 * k - v,
            10'000 + static_cast<int64_t>(rng() % 50'000));
      level(s.mutable_asks(), kMid + 50 + 50 * k + v,
            10'000 + static_cast<int64_t>(rng() % 50'000));
    }
    books.back()->apply(s, kNow);
    sources.push_back({in.get(), books.back().get()});
    instruments.push_back(std::move(in));
  }
  PricingParams params;
  params.max_book_age_ns = 1'000'000'000'000'000;  // the bench's clock barely moves
  params.fair_max_age_ns = params.max_book_age_ns;
  params.impact_ppm = 10'000;
  params.max_inventory = 10 * 100'000;
  params.skew_ppm_at_limit = 20;
  params.jump_floor_ppm = 1'000'000;
  ListingPricer pricer(listing, sources, params);
  pricer.set_inventory(100'000);
  Tier tier{"standard", 100};

  // Deltas: one level each on a random venue near the top, chained per venue.
  std::vector<msg::BookDelta> deltas;
  std::vector<uint64_t> seq(kVenues, 1);
  const int kDeltas = 4096;
  for (int i = 0; i < kDeltas; ++i) {
    int v = static_cast<int>(rng() % kVenues);
    msg::BookDelta d;
    d.set_venue(instruments[static_cast<size_t>(v)]->venue);
    d.set_symbol("BTCUSDT");
    d.set_prev_venue_seq(seq[static_cast<size_t>(v)]);
    d.set_venue_seq(++seq[static_cast<size_t>(v)]);
    int k = static_cast<int>(rng() % 10);
    bool bid = rng() & 1;
    level(bid ? d.mutable_bids() : d.mutable_asks(),
          bid ? kMid - 50 - 50 * k - v : kMid + 50 + 50 * k + v,
          10'000 + static_cast<int64_t>(rng() % 50'000));
    deltas.push_back(std::move(d));
  }
  auto venue_of = [&](const msg::BookDelta& d) { return static_cast<size_t>(d.venue()[1] - '0'); };

  // Starts every venue's delta chain over with a snapshot of its current book (untimed).
  auto resnapshot = [&](int64_t now) {
    for (size_t v = 0; v < books.size(); ++v) {
      msg::BookSnapshot s;
      s.set_venue(instruments[v]->venue);
      s.set_symbol("BTCUSDT");
      s.set_venue_seq(1);
      for (const auto& l : books[v]->book().bids()) level(s.mutable_bids(), l.price, l.qty);
      for (const auto& l : books[v]->book().asks()) level(s.mutable_asks(), l.price, l.qty);
      books[v]->apply(s, now);
    }
  };
  const int64_t S = 2 * 100'000;  // 2 BTC: about 10 levels of the consolidated book
  int64_t t = kNow;
  Stats st;
  int64_t sink = 0;
  std::printf("consolidated book: %d venues x %d levels per side; firm size 2 BTC; %d iterations\n",
              kVenues, kLevels, iterations);

  // Update per venue delta: apply alone, then apply + refresh.
  for (int i = 0; i < iterations; ++i) {
    const auto& d = deltas[static_cast<size_t>(i % kDeltas)];
    auto a = Clock::now();
    books[venue_of(d)]->apply(d, t);
    auto b = Clock::now();
    st.add(a, b);
    if (i % kDeltas == kDeltas - 1) resnapshot(t);
  }
  st.print("venue book apply (delta of one level)");
  resnapshot(t);  // every chain starts at the first delta again
  for (int i = 0; i < iterations; ++i) {
    const auto& d = deltas[static_cast<size_t>(i % kDeltas)];
    t += 1'000;
    auto a = Clock::now();
    books[venue_of(d)]->apply(d, t);
    pricer.refresh(t);
    auto b = Clock::now();
    st.add(a, b);
    if (i % kDeltas == kDeltas - 1) resnapshot(t);
  }
  st.print("update: apply + consolidated refresh");
  if (pricer.book().live_count() != kVenues)
    std::printf("(only %d venues live: a delta chain broke)\n", pricer.book().live_count());
  if (pricer.breaker().tripped)
    std::printf("(breaker tripped: %s)\n", pricer.breaker().reason.c_str());

  // Firm price on an unchanged book (the normalised levels are cached), both sides.
  for (int i = 0; i < iterations; ++i) {
    Side s = (i & 1) ? Side::Buy : Side::Sell;
    auto a = Clock::now();
    auto r = pricer.price(s, S, tier, t, false);
    auto b = Clock::now();
    st.add(a, b);
    sink += r.ok() ? r.price->price : -1;
  }
  st.print("firm price, unchanged book");

  // Firm price right after a venue changed and time moved: refresh + walk from raw levels.
  resnapshot(t);
  for (int i = 0; i < iterations; ++i) {
    const auto& d = deltas[static_cast<size_t>(i % kDeltas)];
    books[venue_of(d)]->apply(d, t);  // not timed
    if (i % kDeltas == kDeltas - 1) resnapshot(t);
    t += 1'000;
    Side s = (i & 1) ? Side::Buy : Side::Sell;
    auto a = Clock::now();
    auto r = pricer.price(s, S, tier, t, false);
    auto b = Clock::now();
    st.add(a, b);
    sink += r.ok() ? r.price->price : -1;
  }
  st.print("firm price after a book update (refresh + walk)");

  // A ladder of 20 sizes (both sides: 40 prices) on an unchanged book.
  std::vector<int64_t> sizes;
  for (int i = 1; i <= 20; ++i) sizes.push_back(i * 25'000);  // 0.25 .. 5 BTC
  int ladders = std::max(1, iterations / 20);
  for (int i = 0; i < ladders; ++i) {
    auto a = Clock::now();
    Ladder l = build_ladder(pricer, sizes, tier, t, false);
    auto b = Clock::now();
    st.add(a, b);
    sink += static_cast<int64_t>(l.asks.points.size() + l.bids.points.size());
  }
  st.print("ladder of 20 sizes, both sides");
  std::printf("(checksum %lld)\n", static_cast<long long>(sink));
  return 0;
}
