#include "aqueduct/hedging/funding_catch_up.hpp"

#include <algorithm>

#include "aqueduct/connectors/order_request.hpp"

namespace aq::hedging {

void FundingCatchUp::open(Window w) {
  if (w.from_ms > w.to_ms || w.qty == 0) return;  // nothing held, or no time passed
  windows_.push_back({std::move(w), false, 0, {}});
}

std::vector<FundingCatchUp::Window> FundingCatchUp::due(int64_t now_ms) {
  std::vector<Window> out;
  for (auto& p : windows_) {
    if (p.asked || p.retry_at_ms > now_ms) continue;
    p.asked = true;
    out.push_back(p.window);
  }
  return out;
}

std::string FundingCatchUp::on_answer(const std::string& instrument, int64_t from_ms, int64_t to_ms,
                                      const std::vector<Settlement>& page, bool full,
                                      const std::string& error, int64_t now_ms) {
  auto it = std::find_if(windows_.begin(), windows_.end(), [&](const Pending& p) {
    return p.asked && p.window.instrument == instrument && p.window.from_ms == from_ms &&
           p.window.to_ms == to_ms;
  });
  if (it == windows_.end())
    return "a funding history of " + instrument + " for a window not asked for (" +
           connectors::iso8601_ms(from_ms) + " to " + connectors::iso8601_ms(to_ms) + ")";
  if (!error.empty()) {
    it->asked = false;
    it->retry_at_ms = now_ms + retry_ms_;
    it->last_error = error;
    return "funding history of " + instrument + " not read (" + error + "); asking again in " +
           std::to_string(retry_ms_ / 1000) + " s";
  }
  const Window w = it->window;
  int64_t oldest = w.to_ms + 1, newest = w.from_ms - 1;
  size_t taken = 0;
  for (const auto& s : page) {
    if (s.at_ms < w.from_ms || s.at_ms > w.to_ms) continue;
    bool seen = std::any_of(missed_.begin(), missed_.end(), [&](const Missed& m) {
      return m.instrument == instrument && m.at_ms == s.at_ms;
    });
    if (!seen) {
      missed_.push_back({instrument, w.qty, s.at_ms, s.rate});
      ++taken;
    }
    oldest = std::min(oldest, s.at_ms);
    newest = std::max(newest, s.at_ms);
  }
  std::stable_sort(missed_.begin(), missed_.end(),
                   [](const Missed& a, const Missed& b) { return a.at_ms < b.at_ms; });
  windows_.erase(it);
  if (full && oldest <= newest) {
    // Venues page from either end (Binance and BitMEX the oldest first, Bybit and OKX the
    // newest): whichever side of what came is not empty is asked for next.
    open({instrument, w.qty, w.from_ms, oldest - 1});
    open({instrument, w.qty, newest + 1, w.to_ms});
  }
  return std::to_string(taken) + " funding settlements of " + instrument + " between " +
         connectors::iso8601_ms(w.from_ms) + " and " + connectors::iso8601_ms(w.to_ms) +
         " settled while hedging was not running" + (full ? " (more to read)" : "");
}

void FundingCatchUp::booked(const std::string& instrument, int64_t at_ms) {
  std::erase_if(missed_,
                [&](const Missed& m) { return m.instrument == instrument && m.at_ms == at_ms; });
}

}  // namespace aq::hedging
