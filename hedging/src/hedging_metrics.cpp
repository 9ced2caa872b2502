#include "aqueduct/hedging/hedging_metrics.hpp"

#include <algorithm>
#include <cstdio>

namespace aq::hedging {

LatencyHistogram::LatencyHistogram(std::vector<int64_t> upper_bounds_ns)
    : bounds_(std::move(upper_bounds_ns)), counts_(bounds_.size() + 1, 0) {
  std::sort(bounds_.begin(), bounds_.end());
}

void LatencyHistogram::observe(int64_t ns) {
  auto at = std::lower_bound(bounds_.begin(), bounds_.end(), ns) - bounds_.begin();
  ++counts_[static_cast<size_t>(at)];
  ++count_;
  sum_ns_ += ns;
}

std::vector<uint64_t> LatencyHistogram::cumulative() const {
  std::vector<uint64_t> out;
  uint64_t run = 0;
  for (size_t i = 0; i < bounds_.size(); ++i) out.push_back(run += counts_[i]);
  out.push_back(count_);
  return out;
}

namespace {

std::string label(const std::string& v) {
  std::string out;
  for (char c : v) {
    if (c == '\\' || c == '"') out += '\\';
    if (c == '\n') {
      out += "\\n";
      continue;
    }
    out += c;
  }
  return out;
}

// Seconds from ns, exactly (up to 9 places, trailing zeros trimmed).
std::string seconds(int64_t ns) {
  char buf[40];
  std::snprintf(buf, sizeof buf, "%s%lld.%09lld", ns < 0 ? "-" : "",
                static_cast<long long>((ns < 0 ? -ns : ns) / 1'000'000'000),
                static_cast<long long>((ns < 0 ? -ns : ns) % 1'000'000'000));
  std::string s(buf);
  while (s.back() == '0') s.pop_back();
  if (s.back() == '.') s.pop_back();
  return s;
}

class Writer {
 public:
  void family(const char* name, const char* type, const char* help) {
    out_ += std::string("# HELP ") + name + " " + help + "\n# TYPE " + name + " " + type + "\n";
  }
  void sample(const std::string& name, const std::string& labels, const std::string& value) {
    out_ += name + (labels.empty() ? "" : "{" + labels + "}") + " " + value + "\n";
  }
  void sample(const std::string& name, const std::string& labels, uint64_t value) {
    sample(name, labels, std::to_string(value));
  }
  std::string take() { return std::move(out_); }

 private:
  std::string out_;
};

}  // namespace

std::string prometheus_text(const HedgingMetrics& m, const HedgingGauges& g) {
  Writer w;
  w.family("aqueduct_hedging_fills_total", "counter", "Taker fills claimed for hedging.");
  w.sample("aqueduct_hedging_fills_total", "", m.fills);
  w.family("aqueduct_hedging_swept_fills_total", "counter",
           "Fills that reached hedging from the record rather than the bus.");
  w.sample("aqueduct_hedging_swept_fills_total", "", m.swept_fills);
  w.family("aqueduct_hedging_orders_total", "counter",
           "Hedge orders placed: fast (straight from a fill) or recorded (recorded before sent).");
  w.sample("aqueduct_hedging_orders_total", "path=\"fast\"", m.orders_fast);
  w.sample("aqueduct_hedging_orders_total", "path=\"recorded\"", m.orders_recorded);
  w.family("aqueduct_hedging_worked_orders_total", "counter",
           "Hedge orders worked as post-only makers until a deadline instead of crossing the spread.");
  w.sample("aqueduct_hedging_worked_orders_total", "", m.orders_worked);
  w.family("aqueduct_hedging_worked_orders_filled_total", "counter",
           "Worked hedge orders that filled something as maker before their deadline.");
  w.sample("aqueduct_hedging_worked_orders_filled_total", "", m.worked_filled);
  w.family("aqueduct_hedging_lookups_total", "counter",
           "Hedge orders looked up at their venue by id (retries, recovery), never placed again.");
  w.sample("aqueduct_hedging_lookups_total", "", m.lookups);
  w.family("aqueduct_hedging_outcomes_total", "counter", "Final execution reports by status.");
  for (const auto& [status, n] : m.outcomes)
    w.sample("aqueduct_hedging_outcomes_total", "status=\"" + label(status) + "\"", n);
  w.family("aqueduct_hedging_unknown_reports_total", "counter",
           "Reports whose outcome was unknown (the order stays in flight until reconciled).");
  w.sample("aqueduct_hedging_unknown_reports_total", "", m.unknown_reports);
  w.family("aqueduct_hedging_adopted_total", "counter",
           "Orders found at a venue at start that the record did not have.");
  w.sample("aqueduct_hedging_adopted_total", "", m.adopted);
  w.family("aqueduct_hedging_risk_trips_total", "counter", "Risk limits tripped.");
  w.sample("aqueduct_hedging_risk_trips_total", "", m.risk_trips);
  w.family("aqueduct_hedging_alerts_total", "counter", "Risk alerts to the webhook, by result.");
  w.sample("aqueduct_hedging_alerts_total", "result=\"sent\"", m.alerts_sent);
  w.sample("aqueduct_hedging_alerts_total", "result=\"failed\"", m.alerts_failed);
  w.family("aqueduct_hedging_pnl_attributed_total", "counter", "Fills whose PnL was attributed.");
  w.sample("aqueduct_hedging_pnl_attributed_total", "", m.pnl_attributed);
  w.family("aqueduct_hedging_funding_settlements_total", "counter",
           "Funding settlements booked on perpetual hedge positions.");
  w.sample("aqueduct_hedging_funding_settlements_total", "", m.funding_settlements);

  const auto& h = m.fill_to_order;
  w.family("aqueduct_hedging_fill_to_order_seconds", "histogram",
           "From a fill reaching hedging to its first hedge order handed to the router.");
  auto cum = h.cumulative();
  for (size_t i = 0; i < h.bounds().size(); ++i)
    w.sample("aqueduct_hedging_fill_to_order_seconds_bucket",
             "le=\"" + seconds(h.bounds()[i]) + "\"", cum[i]);
  w.sample("aqueduct_hedging_fill_to_order_seconds_bucket", "le=\"+Inf\"", cum.back());
  w.sample("aqueduct_hedging_fill_to_order_seconds_sum", "", seconds(h.sum_ns()));
  w.sample("aqueduct_hedging_fill_to_order_seconds_count", "", h.count());

  w.family("aqueduct_hedging_in_flight", "gauge", "Hedge orders without a final report.");
  w.sample("aqueduct_hedging_in_flight", "", g.in_flight);
  w.family("aqueduct_hedging_recovering", "gauge",
           "1 while orders from before the start are being looked up (no hedging until done).");
  w.sample("aqueduct_hedging_recovering", "", g.recovering ? "1" : "0");
  w.family("aqueduct_hedging_db_lock_lost", "gauge",
           "1 once another process took this database's hedging lock: this one hedges nothing "
           "more and should be stopped.");
  w.sample("aqueduct_hedging_db_lock_lost", "", g.db_lock_lost ? "1" : "0");
  w.family("aqueduct_hedging_db_lock_retaken_total", "counter",
           "Times the database connection was renewed and the hedging lock taken again.");
  w.sample("aqueduct_hedging_db_lock_retaken_total", "", g.db_lock_retaken);
  w.family("aqueduct_hedging_tripped", "gauge",
           "Risk scopes tripped now (1 each), with their state.");
  for (const auto& [scope, state] : g.tripped)
    w.sample("aqueduct_hedging_tripped",
             "scope=\"" + label(scope) + "\",state=\"" + label(state) + "\"", "1");
  if (!g.margin_free.empty()) {
    w.family("aqueduct_hedging_margin_free_usd", "gauge",
             "Free derivatives margin per configured venue for new perp notional, in USD (when "
             "it can be valued): the venue's own account read, or the configured collateral, "
             "less the initial margin held.");
    for (const auto& [venue, usd] : g.margin_free)
      if (!usd.empty())
        w.sample("aqueduct_hedging_margin_free_usd", "venue=\"" + label(venue) + "\"", usd);
  }
  if (!g.margin_read_age_s.empty()) {
    w.family("aqueduct_hedging_margin_read_age_seconds", "gauge",
             "Age of the latest read of each venue's account (margin from the venue).");
    for (const auto& [venue, age] : g.margin_read_age_s)
      w.sample("aqueduct_hedging_margin_read_age_seconds", "venue=\"" + label(venue) + "\"", age);
  }
  if (!g.wallet.empty()) {
    auto labels = [](const HedgingGauges::WalletLine& l) {
      return "chain=\"" + label(l.chain) + "\",holder=\"" + label(l.holder) + "\",token=\"" +
             label(l.symbol) + "\"";
    };
    w.family("aqueduct_wallet_balance", "gauge",
             "The maker's on-chain wallet: tokens held, as last read from the chain.");
    for (const auto& l : g.wallet) w.sample("aqueduct_wallet_balance", labels(l), l.balance);
    w.family("aqueduct_wallet_reserved", "gauge",
             "Of those, promised to live firm quotes that may still settle.");
    for (const auto& l : g.wallet) w.sample("aqueduct_wallet_reserved", labels(l), l.reserved);
    w.family("aqueduct_wallet_below_floor", "gauge",
             "1 when a token's balance is below its configured floor.");
    for (const auto& l : g.wallet)
      w.sample("aqueduct_wallet_below_floor", labels(l), l.below_floor ? "1" : "0");
    w.family("aqueduct_wallet_read_age_seconds", "gauge",
             "Age of the wallet read these figures come from.");
    for (const auto& l : g.wallet) w.sample("aqueduct_wallet_read_age_seconds", labels(l), l.read_age_s);
  }
  w.family("aqueduct_hedging_exposure_base", "gauge", "Net exposure per asset, in the asset.");
  for (const auto& [asset, x] : g.exposure)
    w.sample("aqueduct_hedging_exposure_base", "asset=\"" + label(asset) + "\"", x.first);
  w.family("aqueduct_hedging_exposure_usd", "gauge",
           "Net exposure per asset, in USD (when it can be valued).");
  for (const auto& [asset, x] : g.exposure)
    if (!x.second.empty())
      w.sample("aqueduct_hedging_exposure_usd", "asset=\"" + label(asset) + "\"", x.second);
  return w.take();
}

}  // namespace aq::hedging
