#include "aqueduct/sim/resting_orders.hpp"

#include <algorithm>

namespace aq::sim {

namespace {
// The best price on the other side of `side`, 0 when that side is empty.
int64_t opposite_best(const SimBook& book, Side side) {
  return book.best(side == Side::Buy ? Side::Sell : Side::Buy);
}
bool reaches(int64_t opposite, Side side, int64_t price) {
  if (opposite == 0) return false;
  return side == Side::Buy ? opposite <= price : opposite >= price;
}
}  // namespace

bool RestingOrders::would_take(const SimBook& book, Side side, int64_t price) {
  return reaches(opposite_best(book, side), side, price);
}

bool RestingOrders::remove(const std::string& client_id) {
  return std::erase_if(orders_, [&](const RestingOrder& o) { return o.client_id == client_id; }) >
         0;
}

bool RestingOrders::contains(const std::string& client_id) const {
  return std::any_of(orders_.begin(), orders_.end(),
                     [&](const RestingOrder& o) { return o.client_id == client_id; });
}

std::vector<RestingOrder> RestingOrders::reached(const SimBook& book) {
  std::vector<RestingOrder> out;
  std::erase_if(orders_, [&](RestingOrder& o) {
    if (!reaches(opposite_best(book, o.side), o.side, o.price)) return false;
    out.push_back(std::move(o));
    return true;
  });
  return out;
}

}  // namespace aq::sim
