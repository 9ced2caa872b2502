#include "aqueduct/rfq/zeroex/last_look.hpp"

namespace aq::rfq::zeroex {

LastLookBook::Answer LastLookBook::submit(const std::string& order_hash,
                                          const UInt256& taker_fill_amount) {
  auto [it, first] = asks_.try_emplace(order_hash, Ask{taker_fill_amount, false, false, {}});
  if (first) return {Verdict::Decide, false, {}};
  const Ask& a = it->second;
  if (a.amount != taker_fill_amount) {
    std::string state = !a.decided  ? "is being answered"
                        : a.proceed ? "was approved"
                                    : "was declined";
    return {Verdict::Decline, false,
            "last_look_answered: this order's last look for takerTokenFillAmount " +
                a.amount.to_decimal() + " " + state +
                "; an order is looked at once, and only that same amount gets the same answer"};
  }
  if (!a.decided) return {Verdict::Wait, false, {}};
  return {Verdict::Repeat, a.proceed, a.reason};
}

void LastLookBook::decide(const std::string& order_hash, bool proceed, std::string reason) {
  auto it = asks_.find(order_hash);
  if (it == asks_.end() || it->second.decided) return;
  it->second.decided = true;
  it->second.proceed = proceed;
  it->second.reason = std::move(reason);
}

}  // namespace aq::rfq::zeroex
