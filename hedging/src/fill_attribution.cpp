#include "aqueduct/hedging/fill_attribution.hpp"

#include <algorithm>

#include "aqueduct/hedging/contract_math.hpp"
#include "aqueduct/hedging/hedge_planner.hpp"

namespace aq::hedging {

void FillAttribution::on_fill(const std::string& fill_id, const std::string& asset,
                              int64_t inventory_change, int64_t fill_price, int64_t fair_at_fill) {
  if (open_.count(fill_id)) return;
  if (auto it = current_.find(asset); it != current_.end())
    if (auto prev = open_.find(it->second); prev != open_.end()) prev->second.closed = true;
  OpenFillPnl f;
  f.fill_id = fill_id;
  f.asset = asset;
  f.input.qty_scale = kAssetScale;
  f.input.price_scale = kUnitPriceScale;
  f.input.inventory_change = inventory_change;
  f.input.fill_price = fill_price;
  f.input.fair_at_fill = fair_at_fill;
  open_.emplace(fill_id, std::move(f));
  order_.push_back(fill_id);
  current_[asset] = fill_id;
}

void FillAttribution::set_fair(const std::string& fill_id, int64_t fair_at_fill) {
  if (auto f = open_.find(fill_id); f != open_.end()) f->second.input.fair_at_fill = fair_at_fill;
}

std::string FillAttribution::on_hedge_sent(const std::string& asset) {
  auto it = current_.find(asset);
  if (it == current_.end()) return "";
  auto f = open_.find(it->second);
  if (f == open_.end()) return "";
  ++f->second.in_flight;
  f->second.closed = false;  // hedged again after idle: open until its asset is idle again
  return f->first;
}

void FillAttribution::on_execution(const std::string& fill_id, const HedgeExecution& e) {
  if (auto f = open_.find(fill_id); f != open_.end()) f->second.input.hedges.push_back(e);
}

void FillAttribution::on_hedge_final(const std::string& fill_id) {
  if (auto f = open_.find(fill_id); f != open_.end() && f->second.in_flight > 0)
    --f->second.in_flight;
}

void FillAttribution::on_idle(const std::string& asset) {
  auto it = current_.find(asset);
  if (it == current_.end()) return;
  if (auto f = open_.find(it->second); f != open_.end()) f->second.closed = true;
}

std::vector<OpenFillPnl> FillAttribution::take_final() {
  std::vector<OpenFillPnl> out;
  std::vector<std::string> keep;
  for (const auto& id : order_) {
    auto f = open_.find(id);
    if (f == open_.end()) continue;
    if (f->second.closed && f->second.in_flight == 0) {
      if (current_[f->second.asset] == id) current_.erase(f->second.asset);
      out.push_back(std::move(f->second));
      open_.erase(f);
    } else {
      keep.push_back(id);
    }
  }
  order_ = std::move(keep);
  return out;
}

std::string FillAttribution::funding_fill(const std::string& asset) const {
  auto c = current_.find(asset);
  if (c == current_.end() || !open_.count(c->second)) return "";
  return c->second;
}

void FillAttribution::on_funding(const std::string& fill_id, int128 amount) {
  auto it = open_.find(fill_id);
  if (it != open_.end()) it->second.input.funding += amount;
}

}  // namespace aq::hedging
