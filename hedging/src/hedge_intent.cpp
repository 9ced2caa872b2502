#include "aqueduct/hedging/hedge_intent.hpp"

#include <cmath>
#include <cstdio>

#include "aqueduct/hedging/contract_math.hpp"
#include "aqueduct/hedging/hedge_planner.hpp"

namespace aq::hedging {

const char* to_string(HedgeStyle s) {
  return s == HedgeStyle::Cross ? "cross" : "work";
}

namespace {
std::string fmt(const char* f, double a, double b = 0, double c = 0) {
  char buf[160];
  std::snprintf(buf, sizeof buf, f, a, b, c);
  return buf;
}
std::string base_text(int64_t v) {
  return Decimal{v, kAssetScale}.to_trimmed_string();
}
}  // namespace

IntentDecision decide_intent(const ExposureState& e, const IntentParams& p, const MarketView& m,
                             int64_t now_ns) {
  IntentDecision d;
  if (e.oldest_unknown_ns > 0 && now_ns - e.oldest_unknown_ns > p.unknown_bound_ns) {
    d.none.why =
        fmt("a hedge has had an unknown outcome for %.0f ms (bound %.0f ms): no new hedge until it "
            "is reconciled",
            static_cast<double>(now_ns - e.oldest_unknown_ns) / 1e6,
            static_cast<double>(p.unknown_bound_ns) / 1e6);
    return d;
  }
  if (now_ns < e.retry_after_ns) {
    d.none.why = fmt("the last hedge filled nothing; retrying in %.0f ms",
                     static_cast<double>(e.retry_after_ns - now_ns) / 1e6);
    return d;
  }
  int64_t x = e.projected();
  int64_t ax = x < 0 ? -x : x;
  if (x == 0) {
    d.none.why = "flat once the hedges in flight complete";
    return d;
  }
  if (ax < p.threshold) {
    d.none.why = "exposure " + base_text(x) + " is below the threshold " + base_text(p.threshold) +
                 "; carried";
    return d;
  }
  if (ax < p.min_hedge) {
    d.none.why = "exposure " + base_text(x) + " is below the smallest hedge a venue takes (" +
                 base_text(p.min_hedge) + "); carried";
    return d;
  }
  if (m.fair_usd <= 0) {
    d.none.why = "no fair price for the asset: hedging waits for the market";
    return d;
  }
  HedgeIntent h;
  h.base = -x;  // long -> sell, short -> buy
  int64_t age = e.open_since_ns > 0 ? now_ns - e.open_since_ns : 0;
  int64_t left = p.max_work_ns - age;
  double fair = static_cast<double>(m.fair_usd) / 1e8;
  double saving = static_cast<double>(m.passive_saving_usd) / 1e8;
  int64_t usd = ratio_at({Decimal{ax, kAssetScale}, Decimal{m.fair_usd, kUnitPriceScale}}, {},
                         kUsdScale, Rounding::HalfEven);
  if (e.remainder_of_work) {
    h.why = "cross: the remainder of a worked hedge (" + base_text(x) + ") is crossed";
  } else if (p.cross_above_usd > 0 && usd > p.cross_above_usd) {
    h.why = fmt("cross: %.2f USD of exposure is above %.2f", static_cast<double>(usd) / 1e6,
                static_cast<double>(p.cross_above_usd) / 1e6);
  } else if (p.max_work_ns <= 0) {
    h.why = "cross: passive hedging is off (max_work 0)";
  } else if (left <= 0) {
    h.why = fmt("cross: open for %.0f ms, the most a passive hedge gets is %.0f ms",
                static_cast<double>(age) / 1e6, static_cast<double>(p.max_work_ns) / 1e6);
  } else {
    double risk = p.risk_k * fair * m.sigma_per_sqrt_s * std::sqrt(static_cast<double>(left) / 1e9);
    if (risk >= saving) {
      h.why = fmt(
          "cross: waiting %.2f s risks %.4f USD per unit, more than the %.4f a maker fill saves",
          static_cast<double>(left) / 1e9, risk, saving);
    } else {
      h.style = HedgeStyle::Work;
      h.work_until_ns = now_ns + left;
      h.why =
          fmt("work: waiting %.2f s risks %.4f USD per unit, less than the %.4f a maker fill saves",
              static_cast<double>(left) / 1e9, risk, saving);
    }
  }
  d.intent = std::move(h);
  return d;
}

}  // namespace aq::hedging
