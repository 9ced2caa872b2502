#include "aqueduct/pricer/markouts.hpp"

#include <algorithm>

namespace aq::pricer {

Markouts::Markouts(std::vector<int64_t> horizons_ns) : horizons_(std::move(horizons_ns)) {
  std::sort(horizons_.begin(), horizons_.end());
}

void Markouts::on_fill(MarkedFill f) {
  if (f.price <= 0 || horizons_.empty()) return;
  clients_[f.client_id].resize(horizons_.size());
  listings_[f.listing].resize(horizons_.size());
  auto& q = open_[f.listing];
  auto listing = f.listing;
  Open o{std::move(f), 0};
  // Fills normally arrive in time order; keep the queue ordered if one does not.
  auto it = std::upper_bound(q.begin(), q.end(), o.fill.at_ns,
                             [](int64_t t, const Open& x) { return t < x.fill.at_ns; });
  q.insert(it, std::move(o));
}

std::vector<MarkoutSample> Markouts::on_fair(const std::string& listing, int64_t fair,
                                             int64_t now_ns) {
  std::vector<MarkoutSample> out;
  auto it = open_.find(listing);
  if (it == open_.end() || fair <= 0) return out;
  auto& q = it->second;
  for (auto& o : q) {
    if (o.fill.at_ns + horizons_.front() > now_ns) break;  // later fills are younger still
    while (o.next < horizons_.size() && o.fill.at_ns + horizons_[o.next] <= now_ns) {
      double p = static_cast<double>(o.fill.price);
      double move = (static_cast<double>(fair) - p) / p * 1e4;
      // Taker bought: we sold at p, and gain when the fair value ends below p.
      double bps = o.fill.taker_side == Side::Buy ? -move : move;
      out.push_back({o.fill.fill_id, o.fill.client_id, listing, horizons_[o.next], bps, o.fill.qty,
                     o.fill.price, fair});
      auto& c = clients_[o.fill.client_id][o.next];
      auto& l = listings_[listing][o.next];
      ++c.count;
      c.sum_bps += bps;
      ++l.count;
      l.sum_bps += bps;
      ++o.next;
    }
  }
  while (!q.empty() && q.front().next == horizons_.size()) q.pop_front();
  return out;
}

size_t Markouts::pending() const {
  size_t n = 0;
  for (const auto& [_, q] : open_) n += q.size();
  return n;
}

}  // namespace aq::pricer
