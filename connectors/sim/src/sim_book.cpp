#include "aqueduct/sim/sim_book.hpp"

#include <algorithm>

namespace aq::sim {

SimBook::SimBook(SimBookParams params, uint64_t seed) : p_(params), rng_(seed) {}

int64_t SimBook::size_at(int index) {
  // Sizes grow by 25% of the best size per level away from the mid, with +-20% jitter.
  std::uniform_int_distribution<int64_t> jitter(80, 120);
  int64_t grown = p_.base_qty * (4 + index) / 4;
  return std::max<int64_t>(1, grown * jitter(rng_) / 100);
}

void SimBook::set(Side side, int64_t price, int64_t qty) {
  auto& cur = side == Side::Buy ? bids_ : asks_;
  auto& pend = side == Side::Buy ? pending_bids_ : pending_asks_;
  if (qty == 0) {
    if (cur.erase(price)) pend[price] = 0;
  } else {
    auto it = cur.find(price);
    if (it != cur.end() && it->second == qty) return;
    cur[price] = qty;
    pend[price] = qty;
  }
}

void SimBook::refresh(int64_t mid) {
  // Grid-aligned prices: the best bid is the highest grid price at or below mid - half_spread.
  int64_t top_bid = (mid - p_.half_spread) / p_.level_step * p_.level_step;
  int64_t top_ask = top_bid + p_.level_step;
  if (top_ask < mid + p_.half_spread) top_ask += p_.level_step;
  int64_t low_bid = top_bid - (p_.levels_per_side - 1) * p_.level_step;
  int64_t high_ask = top_ask + (p_.levels_per_side - 1) * p_.level_step;

  // Drop levels that left the window (including bids that would now cross the asks).
  for (auto it = bids_.begin(); it != bids_.end();) {
    auto price = (it++)->first;
    if (price > top_bid || price < low_bid) set(Side::Buy, price, 0);
  }
  for (auto it = asks_.begin(); it != asks_.end();) {
    auto price = (it++)->first;
    if (price < top_ask || price > high_ask) set(Side::Sell, price, 0);
  }
  // Fill missing levels; consumed levels are replenished.
  for (int i = 0; i < p_.levels_per_side; ++i) {
    int64_t bp = top_bid - i * p_.level_step;
    int64_t ap = top_ask + i * p_.level_step;
    if (bp > 0 && !bids_.count(bp)) set(Side::Buy, bp, size_at(i));
    if (!asks_.count(ap)) set(Side::Sell, ap, size_at(i));
  }
  // Redraw a few sizes so the diffs look like a live market.
  std::uniform_int_distribution<int> pick(0, p_.levels_per_side - 1);
  for (int k = 0; k < p_.jitter_levels_per_tick; ++k) {
    int i = pick(rng_);
    if (top_bid - i * p_.level_step > 0) set(Side::Buy, top_bid - i * p_.level_step, size_at(i));
    set(Side::Sell, top_ask + i * p_.level_step, size_at(i));
  }
}

int64_t SimBook::best(Side side) const {
  if (side == Side::Buy) return bids_.empty() ? 0 : bids_.rbegin()->first;
  return asks_.empty() ? 0 : asks_.begin()->first;
}

std::vector<Execution> SimBook::match_ioc(Side side, int64_t limit_price, int64_t qty) {
  std::vector<Execution> out;
  if (side == Side::Buy) {
    while (qty > 0 && !asks_.empty()) {
      auto it = asks_.begin();
      if (it->first > limit_price) break;
      int64_t take = std::min(qty, it->second);
      out.push_back({it->first, take});
      qty -= take;
      set(Side::Sell, it->first, it->second - take);
    }
  } else {
    while (qty > 0 && !bids_.empty()) {
      auto it = std::prev(bids_.end());
      if (it->first < limit_price) break;
      int64_t take = std::min(qty, it->second);
      out.push_back({it->first, take});
      qty -= take;
      set(Side::Buy, it->first, it->second - take);
    }
  }
  return out;
}

Diff SimBook::publish(uint64_t skip_ids) {
  Diff d;
  size_t n = pending_bids_.size() + pending_asks_.size();
  if (n == 0) return d;
  update_id_ += skip_ids;
  d.first_id = update_id_ + 1;
  update_id_ += n;
  d.final_id = update_id_;
  // Diff order: bids best first, asks best first, as the venue sends them.
  for (auto it = pending_bids_.rbegin(); it != pending_bids_.rend(); ++it) {
    d.bids.push_back({it->first, it->second});
    published_.set(Side::Buy, it->first, it->second);
  }
  for (const auto& [price, qty] : pending_asks_) {
    d.asks.push_back({price, qty});
    published_.set(Side::Sell, price, qty);
  }
  pending_bids_.clear();
  pending_asks_.clear();
  return d;
}

}  // namespace aq::sim
