#pragma once
// Recent indicative answers, so that an aggregator polling the same sizes (0x asks /price for a
// handful of sizes per pair, over and over) is answered on the rfq loop instead of with a
// pricer round trip each time. Pure: the caller passes the time.
//
// Only indicative prices are kept: a firm quote is always priced fresh. An answer is served
// for at most `max_age`, and a refusal for a listing (stale book, venue down) drops every
// answer kept for it at once, so the next ask goes to the pricer and is refused too.
#include <atomic>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>

#include "aqueduct/types/decimal.hpp"
#include "aqueduct/types/instrument.hpp"

namespace aq::rfq {

// What makes two indicative asks the same: listing, the taker's side, the size (qty units or
// an amount of the quote asset) and what the client's terms change (tier, zero fee).
struct IndicativeKey {
  std::string_view listing;
  Side side = Side::Buy;
  int64_t qty = 0;
  std::optional<Decimal> amount;
  std::string_view tier;
  bool zero_fee = false;
};

template <class Answer>
class IndicativeCache {
 public:
  IndicativeCache(int64_t max_age_ns, size_t capacity)
      : max_age_ns_(max_age_ns), capacity_(capacity) {}

  bool enabled() const { return max_age_ns_ > 0; }

  // The answer kept for `key` if it is at most max_age old at `now_ns`.
  const Answer* find(const IndicativeKey& key, int64_t now_ns) {
    if (!enabled()) return nullptr;
    auto it = entries_.find(encode(key));
    if (it == entries_.end()) return nullptr;
    if (now_ns - it->second.stored_ns > max_age_ns_ || now_ns < it->second.stored_ns) {
      entries_.erase(it);
      return nullptr;
    }
    hits_.fetch_add(1, std::memory_order_relaxed);
    return &it->second.answer;
  }

  void store(const IndicativeKey& key, Answer answer, int64_t now_ns) {
    if (!enabled()) return;
    // Bounded: a client spraying distinct sizes cannot grow it; starting over is cheap.
    if (entries_.size() >= capacity_) entries_.clear();
    entries_.insert_or_assign(encode(key),
                              Entry{std::string(key.listing), std::move(answer), now_ns});
  }

  // The pricer refused this listing: nothing kept for it may be served any more.
  void forget_listing(std::string_view listing) {
    std::erase_if(entries_, [&](const auto& kv) { return kv.second.listing == listing; });
  }

  size_t size() const { return entries_.size(); }
  // Readable from another thread (a benchmark reporting it).
  uint64_t hits() const { return hits_.load(std::memory_order_relaxed); }

 private:
  struct Entry {
    std::string listing;
    Answer answer;
    int64_t stored_ns = 0;
  };
  static std::string encode(const IndicativeKey& k) {
    std::string s;
    s.reserve(k.listing.size() + k.tier.size() + 40);
    s.append(k.listing).push_back('\x1f');
    s.push_back(k.side == Side::Buy ? 'B' : 'S');
    s.push_back(k.zero_fee ? 'Z' : 'F');
    s.append(k.tier).push_back('\x1f');
    if (k.amount) {
      s.push_back('A');
      s.append(std::to_string(k.amount->units)).push_back('e');
      s.append(std::to_string(k.amount->scale));
    } else {
      s.push_back('Q');
      s.append(std::to_string(k.qty));
    }
    return s;
  }

  int64_t max_age_ns_;
  size_t capacity_;
  std::unordered_map<std::string, Entry> entries_;
  std::atomic<uint64_t> hits_{0};
};

}  // namespace aq::rfq
