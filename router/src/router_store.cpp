#include "aqueduct/router/router_store.hpp"

#include "aqueduct/record/database.hpp"
#include "aqueduct/types/convert.hpp"

namespace aq::router {

using record::ts_from_micros;

RouterStore::RouterStore(std::unique_ptr<pqxx::connection> conn) : conn_(std::move(conn)) {
  conn_->prepare("insert_execution",
                 "INSERT INTO executions (hedge_id, venue, symbol, venue_order_id, status, "
                 "filled_qty, avg_price, detail, received_at) VALUES ($1, $2, $3, $4, $5, "
                 "$6::numeric, $7::numeric, $8, " + ts_from_micros(9) + ")");
  conn_->prepare("insert_trade",
                 "INSERT INTO venue_trades (venue, trade_id, hedge_id, price, qty) VALUES "
                 "($1, $2, $3, $4::numeric, $5::numeric) ON CONFLICT DO NOTHING");
}

int RouterStore::record_execution(const aqueduct::msg::ExecutionReport& r,
                                  const std::vector<VenueTrade>& trades, int64_t now_ns) {
  pqxx::work w(*conn_);
  auto avg = from_proto(r.avg_price());
  w.exec_prepared("insert_execution", r.hedge_id(), r.venue(), r.symbol(), r.venue_order_id(),
                  aqueduct::msg::OrderStatus_Name(r.status()), from_proto(r.filled_qty()).to_string(),
                  avg.units == 0 ? std::optional<std::string>{} : std::optional<std::string>{avg.to_string()},
                  r.detail(), record::ns_to_micros(now_ns));
  int fresh = 0;
  for (const auto& t : trades) {
    auto res = w.exec_prepared("insert_trade", r.venue(), t.trade_id, r.hedge_id(), t.price, t.qty);
    fresh += static_cast<int>(res.affected_rows());
  }
  w.commit();
  return fresh;
}

}  // namespace aq::router
