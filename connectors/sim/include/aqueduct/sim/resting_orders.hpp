#pragma once
// Post-only orders resting in a simulated market. A post-only order that would take liquidity
// is refused (the venues refuse or cancel it); one that rests is filled in full, at its own
// price, once the other side of the market reaches it (a seller hit our bid, a buyer lifted
// our offer). Resting orders are not shown in the simulated depth. Pure: the book comes in.
#include <cstdint>
#include <string>
#include <vector>

#include "aqueduct/sim/sim_book.hpp"

namespace aq::sim {

struct RestingOrder {
  std::string client_id;
  Side side = Side::Buy;
  int64_t price = 0;  // price units
  int64_t qty = 0;    // qty units
};

class RestingOrders {
 public:
  // Would a post-only order at `price` take liquidity from `book` now?
  static bool would_take(const SimBook& book, Side side, int64_t price);
  void add(RestingOrder o) { orders_.push_back(std::move(o)); }
  // Takes an order off the book (a cancel); false when it is not resting.
  bool remove(const std::string& client_id);
  bool contains(const std::string& client_id) const;
  // The orders the market has reached, taken off the book: each fills in full at its price.
  std::vector<RestingOrder> reached(const SimBook& book);
  size_t size() const { return orders_.size(); }

 private:
  std::vector<RestingOrder> orders_;
};

}  // namespace aq::sim
