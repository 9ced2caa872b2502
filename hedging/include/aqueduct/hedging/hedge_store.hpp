#pragma once
// What hedging records: hedge orders (before they are sent) with their final status, and the
// net position per asset.
#include <map>
#include <memory>
#include <pqxx/pqxx>
#include <string>

#include "aqueduct/msg/trading.pb.h"

namespace aq::hedging {

class HedgeStore {
 public:
  explicit HedgeStore(std::unique_ptr<pqxx::connection> conn);
  void record_order(const aqueduct::msg::HedgeOrder& o);
  void record_status(const std::string& hedge_id, const std::string& status);
  void record_position(const std::string& asset, const std::string& net_qty, int64_t now_ns);
  // Net positions as decimal strings, by asset.
  std::map<std::string, std::string> load_positions();

 private:
  std::unique_ptr<pqxx::connection> conn_;
};

}  // namespace aq::hedging
