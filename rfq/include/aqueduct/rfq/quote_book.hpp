#pragma once
// The lifecycle of firm quotes: issued -> filled once, or expired. Pure; time comes in.
// An expired quote is remembered for a grace period so that a late accept is told "expired"
// rather than "unknown".
#include <cstdint>
#include <string>
#include <unordered_map>

#include "aqueduct/types/instrument.hpp"

namespace aq::rfq {

struct IssuedQuote {
  std::string quote_id;
  std::string client_id;
  std::string listing;
  Side side = Side::Buy;  // taker's side
  int64_t price = 0;      // listing price units
  int64_t qty = 0;        // listing qty units
  int64_t created_ns = 0;
  int64_t expiry_ns = 0;
  bool filled = false;
};

enum class AcceptError { None, Unknown, Expired, AlreadyFilled, NotYours };
const char* to_string(AcceptError e);

class QuoteBook {
 public:
  explicit QuoteBook(int64_t grace_ns = 60'000'000'000) : grace_ns_(grace_ns) {}

  void add(IssuedQuote q);
  // Checks that `client_id` may fill `quote_id` at `now`; on success marks it filled and
  // returns it through `out`. A quote that is filled can never be accepted again.
  AcceptError accept(const std::string& quote_id, const std::string& client_id, int64_t now_ns,
                     IssuedQuote& out);
  // Undoes a successful accept whose fill could not be recorded, so nothing is half-done.
  void revert_accept(const std::string& quote_id);
  // Forgets quotes past expiry + grace.
  size_t sweep(int64_t now_ns);
  size_t size() const { return quotes_.size(); }

 private:
  int64_t grace_ns_;
  std::unordered_map<std::string, IssuedQuote> quotes_;
};

}  // namespace aq::rfq
