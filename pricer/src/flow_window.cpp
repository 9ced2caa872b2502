#include "aqueduct/pricer/flow_window.hpp"

namespace aq::pricer {

namespace {
int idx(Side s) {
  return s == Side::Buy ? 0 : 1;
}
}  // namespace

void FlowWindow::add(Side taker_side, int64_t qty, int64_t now_ns) {
  expire(now_ns);
  side_[idx(taker_side)].push_back({now_ns, qty});
  sum_[idx(taker_side)] += qty;
}

void FlowWindow::expire(int64_t now_ns) {
  for (int s = 0; s < 2; ++s)
    while (!side_[s].empty() && side_[s].front().at_ns <= now_ns - window_ns_) {
      sum_[s] -= side_[s].front().qty;
      side_[s].pop_front();
    }
}

int64_t FlowWindow::total(Side taker_side, int64_t now_ns) {
  expire(now_ns);
  return sum_[idx(taker_side)];
}

int64_t FlowWindow::peek(Side taker_side, int64_t now_ns) const {
  int64_t sum = sum_[idx(taker_side)];
  for (const auto& e : side_[idx(taker_side)]) {
    if (e.at_ns > now_ns - window_ns_) break;
    sum -= e.qty;
  }
  return sum;
}

}  // namespace aq::pricer
