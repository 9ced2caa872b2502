#include "aqueduct/types/l2_book.hpp"

#include <algorithm>

namespace aq {

namespace {
template <typename Better>
void set_level(std::vector<Level>& levels, int64_t price, int64_t qty, Better better) {
  auto it = std::lower_bound(levels.begin(), levels.end(), price,
                             [&](const Level& l, int64_t p) { return better(l.price, p); });
  bool found = it != levels.end() && it->price == price;
  if (qty == 0) {
    if (found) levels.erase(it);
  } else if (found) {
    it->qty = qty;
  } else {
    levels.insert(it, Level{price, qty});
  }
}
}  // namespace

void L2Book::set(Side side, int64_t price, int64_t qty) {
  if (side == Side::Buy)
    set_level(bids_, price, qty, [](int64_t a, int64_t b) { return a > b; });
  else
    set_level(asks_, price, qty, [](int64_t a, int64_t b) { return a < b; });
}

int64_t L2Book::qty_at(Side side, int64_t price) const {
  const auto& levels = side == Side::Buy ? bids_ : asks_;
  auto it = side == Side::Buy
                ? std::lower_bound(levels.begin(), levels.end(), price,
                                   [](const Level& l, int64_t p) { return l.price > p; })
                : std::lower_bound(levels.begin(), levels.end(), price,
                                   [](const Level& l, int64_t p) { return l.price < p; });
  return it != levels.end() && it->price == price ? it->qty : 0;
}

void L2Book::clear() {
  bids_.clear();
  asks_.clear();
}

std::optional<Level> L2Book::best_bid() const {
  if (bids_.empty()) return std::nullopt;
  return bids_.front();
}

std::optional<Level> L2Book::best_ask() const {
  if (asks_.empty()) return std::nullopt;
  return asks_.front();
}

bool L2Book::crossed() const {
  return !bids_.empty() && !asks_.empty() && bids_.front().price >= asks_.front().price;
}

}  // namespace aq
