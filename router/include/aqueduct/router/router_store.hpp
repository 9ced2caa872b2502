#pragma once
// What the router records: every execution report, and each venue trade once (deduplicated by
// the venue's trade id).
#include <memory>
#include <pqxx/pqxx>
#include <string>
#include <vector>

#include "aqueduct/msg/trading.pb.h"

namespace aq::router {

struct VenueTrade {
  std::string trade_id;
  std::string price;
  std::string qty;
};

class RouterStore {
 public:
  explicit RouterStore(std::unique_ptr<pqxx::connection> conn);
  // Returns how many of `trades` were new.
  int record_execution(const aqueduct::msg::ExecutionReport& r, const std::vector<VenueTrade>& trades,
                       int64_t now_ns);

 private:
  std::unique_ptr<pqxx::connection> conn_;
};

}  // namespace aq::router
