#pragma once
#include <string>

namespace aq::rfq {

// Why a request was not answered with a price or a fill. `code` is stable and
// machine-readable; `message` says what was wrong and what is allowed. `retryable`: market
// conditions or capacity (HTTP 503-like), as opposed to a bad request (4xx-like).
struct Refusal {
  std::string code;
  std::string message;
  bool retryable = false;
};

}  // namespace aq::rfq
