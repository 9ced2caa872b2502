#pragma once
// Last look is answered once per order. 0x may retry /submit after a lost reply, or two
// submits for one order may race (one for part of it, one for all of it); each must not
// become its own fill. The first submit decides; a later or concurrent one for exactly the
// amount asked gets that same answer, and any other amount is declined. Pure: the gateway
// asks, prices, and tells the book what it decided.
#include <optional>
#include <string>
#include <unordered_map>

#include "aqueduct/types/uint256.hpp"

namespace aq::rfq::zeroex {

class LastLookBook {
 public:
  enum class Verdict {
    Decide,   // the first ask for this order: price it, then call decide()
    Wait,     // the same amount is being decided: answer it with that decision
    Repeat,   // the same amount was decided: `proceed` and `reason` are that answer
    Decline,  // another amount than the one asked first: `reason` says which was
  };
  struct Answer {
    Verdict verdict = Verdict::Decide;
    bool proceed = false;
    std::string reason;
  };

  Answer submit(const std::string& order_hash, const UInt256& taker_fill_amount);
  // The answer for the order's pending ask; later asks for the same amount repeat it.
  void decide(const std::string& order_hash, bool proceed, std::string reason);
  // The order left the desk (expired and swept): nothing more is kept for it.
  void forget(const std::string& order_hash) { asks_.erase(order_hash); }
  size_t size() const { return asks_.size(); }

 private:
  struct Ask {
    UInt256 amount;
    bool decided = false;
    bool proceed = false;
    std::string reason;
  };
  std::unordered_map<std::string, Ask> asks_;
};

}  // namespace aq::rfq::zeroex
