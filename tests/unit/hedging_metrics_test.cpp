// Hedging's metrics and their Prometheus text (hedging/hedging_metrics.hpp).
#include <doctest/doctest.h>

#include "aqueduct/hedging/hedging_metrics.hpp"

using namespace aq::hedging;

TEST_CASE("latency histogram: inclusive upper bounds, cumulative counts, exact sum") {
  LatencyHistogram h({100, 1'000, 10});
  CHECK(h.bounds() == std::vector<int64_t>{10, 100, 1'000});  // sorted
  for (int64_t ns : {5, 10, 11, 100, 101, 5'000}) h.observe(ns);
  CHECK(h.cumulative() == std::vector<uint64_t>{2, 4, 5, 6});  // le 10, le 100, le 1000, +Inf
  CHECK(h.count() == 6);
  CHECK(h.sum_ns() == 5'227);
}

TEST_CASE("prometheus text: families, labels escaped, histogram in seconds, gauges") {
  HedgingMetrics m;
  m.fills = 3;
  m.orders_fast = 2;
  m.orders_recorded = 1;
  m.outcomes["ORDER_FILLED"] = 3;
  m.fill_to_order.observe(150'000);  // 150 us: in the 0.0002 s bucket
  HedgingGauges g;
  g.in_flight = 1;
  g.db_lock_retaken = 2;
  g.tripped.emplace_back("asset \"BTC\"", "REDUCING");
  g.exposure["BTC"] = {"-0.25", "-7500"};
  g.exposure["ETH"] = {"1", ""};  // not valued: no USD sample
  g.margin_free["okx"] = "4250.5";
  g.margin_free["bitmex"] = "";  // not valued: no sample
  g.margin_read_age_s["okx"] = "2.5";
  auto t = prometheus_text(m, g);
  auto has = [&](const std::string& line) { return t.find(line + "\n") != std::string::npos; };
  CHECK(has("# TYPE aqueduct_hedging_fills_total counter"));
  CHECK(has("aqueduct_hedging_fills_total 3"));
  CHECK(has("aqueduct_hedging_orders_total{path=\"fast\"} 2"));
  CHECK(has("aqueduct_hedging_orders_total{path=\"recorded\"} 1"));
  CHECK(has("aqueduct_hedging_outcomes_total{status=\"ORDER_FILLED\"} 3"));
  CHECK(has("aqueduct_hedging_fill_to_order_seconds_bucket{le=\"0.0001\"} 0"));
  CHECK(has("aqueduct_hedging_fill_to_order_seconds_bucket{le=\"0.0002\"} 1"));
  CHECK(has("aqueduct_hedging_fill_to_order_seconds_bucket{le=\"+Inf\"} 1"));
  CHECK(has("aqueduct_hedging_fill_to_order_seconds_sum 0.00015"));
  CHECK(has("aqueduct_hedging_fill_to_order_seconds_count 1"));
  CHECK(has("aqueduct_hedging_in_flight 1"));
  CHECK(has("aqueduct_hedging_db_lock_lost 0"));
  CHECK(has("aqueduct_hedging_db_lock_retaken_total 2"));
  CHECK(has("aqueduct_hedging_tripped{scope=\"asset \\\"BTC\\\"\",state=\"REDUCING\"} 1"));
  CHECK(has("aqueduct_hedging_exposure_base{asset=\"BTC\"} -0.25"));
  CHECK(has("aqueduct_hedging_exposure_usd{asset=\"BTC\"} -7500"));
  CHECK(t.find("aqueduct_hedging_exposure_usd{asset=\"ETH\"}") == std::string::npos);
  CHECK(has("aqueduct_hedging_margin_free_usd{venue=\"okx\"} 4250.5"));
  CHECK(t.find("aqueduct_hedging_margin_free_usd{venue=\"bitmex\"}") == std::string::npos);
  CHECK(has("aqueduct_hedging_margin_read_age_seconds{venue=\"okx\"} 2.5"));
  CHECK(t.find("aqueduct_hedging_margin_read_age_seconds{venue=\"bitmex\"}") == std::string::npos);
  // Every sample's family is declared once, before it.
  CHECK(t.find("# TYPE aqueduct_hedging_orders_total counter") <
        t.find("aqueduct_hedging_orders_total{"));
}
