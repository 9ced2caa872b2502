#pragma once
// What hedging records: hedge orders (before they are sent) with their final status, and the
// net position per asset.
#include <map>
#include <memory>
#include <pqxx/pqxx>
#include <string>
#include <vector>

#include "aqueduct/msg/trading.pb.h"

namespace aq::hedging {

// A committed fill that hedging has not claimed yet.
struct UntakenFill {
  std::string fill_id;
  std::string listing;
  std::string side;   // taker's side: "buy" or "sell"
  std::string price;  // decimal text
  std::string qty;    // decimal text
  int64_t filled_ns = 0;
};

class HedgeStore {
 public:
  explicit HedgeStore(std::unique_ptr<pqxx::connection> conn);
  // Claims a fill for hedging and records the position it leads to, in one transaction.
  // Returns false, changing nothing, if the fill was already claimed.
  bool take_fill(const std::string& fill_id, const std::string& asset, const std::string& net_after,
                 int64_t now_ns);
  // Oldest committed fills with no claim yet.
  std::vector<UntakenFill> untaken_fills(int limit);
  void record_order(const aqueduct::msg::HedgeOrder& o);
  void record_status(const std::string& hedge_id, const std::string& status);
  void record_position(const std::string& asset, const std::string& net_qty, int64_t now_ns);
  // Net positions as decimal strings, by asset.
  std::map<std::string, std::string> load_positions();

 private:
  std::unique_ptr<pqxx::connection> conn_;
};

}  // namespace aq::hedging
