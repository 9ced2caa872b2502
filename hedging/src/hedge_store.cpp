#include "aqueduct/hedging/hedge_store.hpp"

#include "aqueduct/record/database.hpp"
#include "aqueduct/types/convert.hpp"

namespace aq::hedging {

using record::ts_from_micros;

HedgeStore::HedgeStore(std::unique_ptr<pqxx::connection> conn, std::chrono::milliseconds lock_wait)
    : conn_(std::move(conn)), lock_(std::make_unique<SoleHedgerLock>(*conn_, lock_wait)) {
  conn_->prepare(
      "insert_hedge",
      "INSERT INTO hedge_orders (hedge_id, venue, symbol, side, qty, limit_price, reason,"
      " status, created_at, updated_at, post_only, work_until) VALUES ($1, $2, $3, $4,"
      " $5::numeric, $6::numeric, $7, 'sent', " +
          ts_from_micros(8) + ", " + ts_from_micros(8) + ", $9, CASE WHEN $10::bigint > 0 THEN " +
          ts_from_micros(10) + " END)");
  conn_->prepare("hedge_status",
                 "UPDATE hedge_orders SET status = $2, updated_at = now() WHERE hedge_id = $1");
  conn_->prepare("upsert_position",
                 "INSERT INTO positions (asset, net_qty, updated_at) VALUES ($1, $2::numeric, " +
                     ts_from_micros(3) +
                     ") ON CONFLICT (asset) DO UPDATE SET net_qty = "
                     "EXCLUDED.net_qty, updated_at = EXCLUDED.updated_at");
  conn_->prepare("upsert_inventory",
                 "INSERT INTO inventory (asset, qty, updated_at) VALUES ($1, $2::numeric, " +
                     ts_from_micros(3) +
                     ") ON CONFLICT (asset) DO UPDATE SET qty = "
                     "EXCLUDED.qty, updated_at = EXCLUDED.updated_at");
  conn_->prepare(
      "upsert_instrument",
      "INSERT INTO instrument_positions (instrument, qty, entry_value, realized, pnl_asset,"
      " updated_at) VALUES ($1, $2::numeric, $3::numeric, $4::numeric, $5, " +
          ts_from_micros(6) +
          ") ON CONFLICT (instrument) DO UPDATE SET qty = EXCLUDED.qty,"
          " entry_value = EXCLUDED.entry_value, realized = EXCLUDED.realized,"
          " pnl_asset = EXCLUDED.pnl_asset, updated_at = EXCLUDED.updated_at");
  conn_->prepare("load_inventory", "SELECT asset, qty::text FROM inventory");
  conn_->prepare("upsert_cash",
                 "INSERT INTO asset_cash (asset, cash, updated_at) VALUES ($1, $2::numeric, " +
                     ts_from_micros(3) +
                     ") ON CONFLICT (asset) DO UPDATE SET cash = EXCLUDED.cash, updated_at = "
                     "EXCLUDED.updated_at");
  conn_->prepare("load_cash", "SELECT asset, cash::text FROM asset_cash");
  conn_->prepare(
      "insert_funding",
      "INSERT INTO funding_payments (instrument, settled_at, position_qty, position_base, base_usd,"
      " rate, amount_usd, fill_id) VALUES ($1, " +
          ts_from_micros(2) +
          ", $3::numeric, $4::numeric, $5::numeric, $6::numeric, $7::numeric, NULLIF($8, ''))"
          " ON CONFLICT (instrument, settled_at) DO NOTHING");
  conn_->prepare("audit_risk",
                 "INSERT INTO audit_log (actor, action, subject, detail) VALUES ($5, $1, $2,"
                 " json_build_object('state', $3::text, 'why', $4::text)::jsonb)");
  conn_->prepare("load_instruments",
                 "SELECT instrument, qty::text, entry_value::text, realized::text, pnl_asset"
                 " FROM instrument_positions");
  conn_->prepare("funding_through",
                 "SELECT floor(extract(epoch FROM greatest("
                 " (SELECT max(settled_at) FROM funding_payments WHERE instrument = $1),"
                 " (SELECT updated_at FROM instrument_positions WHERE instrument = $1)))"
                 " * 1000)::bigint");
  conn_->prepare("open_orders",
                 "SELECT hedge_id, venue, symbol, side, qty::text, limit_price::text, reason,"
                 " (extract(epoch FROM created_at) * 1000000)::bigint FROM hedge_orders"
                 " WHERE status NOT IN ('ORDER_FILLED', 'ORDER_EXPIRED', 'ORDER_CANCELED',"
                 " 'ORDER_REJECTED') ORDER BY created_at");
  conn_->prepare(
      "insert_fill_pnl",
      "INSERT INTO fill_pnl (fill_id, asset, spread, hedge_slippage, fees, funding,"
      " revaluation, total, fair_at_fill, mark, hedges, quanto) VALUES ($1, $2, $3::numeric,"
      " $4::numeric, $5::numeric, $6::numeric, $7::numeric, $8::numeric, $9::numeric,"
      " $10::numeric, $11, $12::numeric) ON CONFLICT (fill_id) DO NOTHING");
  conn_->prepare("take_fill",
                 "INSERT INTO fill_intake (fill_id) VALUES ($1) ON CONFLICT DO NOTHING");
  conn_->prepare("untaken_fills",
                 "SELECT f.fill_id, f.listing, f.side, f.price::text, f.qty::text,"
                 " (extract(epoch FROM f.filled_at) * 1000000)::bigint"
                 " FROM fills f LEFT JOIN fill_intake i USING (fill_id)"
                 " WHERE i.fill_id IS NULL ORDER BY f.filled_at LIMIT $1");
}

void HedgeStore::write_exposure(pqxx::work& w, const std::map<std::string, std::string>& exposure,
                                int64_t now_ns) {
  for (const auto& [asset, net] : exposure)
    w.exec_prepared("upsert_position", asset, net, record::ns_to_micros(now_ns));
}

namespace {
void insert_order(pqxx::work& w, const aqueduct::msg::HedgeOrder& o) {
  w.exec_prepared("insert_hedge", o.hedge_id(), o.venue(), o.symbol(),
                  o.side() == aqueduct::msg::SIDE_BUY ? "buy" : "sell",
                  from_proto(o.qty()).to_string(), from_proto(o.limit_price()).to_string(),
                  o.reason(), record::ns_to_micros(o.created_ts_ns()), o.post_only(),
                  record::ns_to_micros(o.work_until_ns()));
}
}  // namespace

bool HedgeStore::take_fill(const std::string& fill_id,
                           const std::map<std::string, std::string>& inventory,
                           const std::map<std::string, std::string>& cash,
                           const std::map<std::string, std::string>& exposure,
                           const std::vector<aqueduct::msg::HedgeOrder>& sent, int64_t now_ns) {
  pqxx::work w(*conn_);
  lock_->confirm(w);
  for (const auto& o : sent) insert_order(w, o);
  if (w.exec_prepared("take_fill", fill_id).affected_rows() != 1) {
    w.commit();
    return false;
  }
  for (const auto& [asset, qty] : inventory)
    w.exec_prepared("upsert_inventory", asset, qty, record::ns_to_micros(now_ns));
  for (const auto& [asset, c] : cash)
    w.exec_prepared("upsert_cash", asset, c, record::ns_to_micros(now_ns));
  write_exposure(w, exposure, now_ns);
  w.commit();
  return true;
}

std::vector<UntakenFill> HedgeStore::untaken_fills(int limit) {
  pqxx::read_transaction t(*conn_);
  // Read on every sweep (fill_sweep_interval): a lock lost to a reconnect is found here
  // within one sweep, even when nothing is written.
  lock_->confirm(t);
  std::vector<UntakenFill> out;
  for (const auto& row : t.exec_prepared("untaken_fills", limit)) {
    out.push_back({row[0].as<std::string>(), row[1].as<std::string>(), row[2].as<std::string>(),
                   row[3].as<std::string>(), row[4].as<std::string>(),
                   row[5].as<int64_t>() * 1000});
  }
  return out;
}

void HedgeStore::record_order(const aqueduct::msg::HedgeOrder& o) {
  pqxx::work w(*conn_);
  lock_->confirm(w);
  insert_order(w, o);
  w.commit();
}

int64_t HedgeStore::last_claim_ns() {
  pqxx::read_transaction t(*conn_);
  auto r = t.exec("SELECT (extract(epoch FROM max(taken_at)) * 1000000)::bigint FROM fill_intake");
  return r[0][0].is_null() ? 0 : r[0][0].as<int64_t>() * 1000;
}

std::vector<aqueduct::msg::HedgeOrder> HedgeStore::open_orders() {
  pqxx::read_transaction t(*conn_);
  std::vector<aqueduct::msg::HedgeOrder> out;
  for (const auto& row : t.exec_prepared("open_orders")) {
    aqueduct::msg::HedgeOrder o;
    o.set_hedge_id(row[0].as<std::string>());
    o.set_venue(row[1].as<std::string>());
    o.set_symbol(row[2].as<std::string>());
    o.set_side(row[3].as<std::string>() == "buy" ? aqueduct::msg::SIDE_BUY
                                                 : aqueduct::msg::SIDE_SELL);
    to_proto(Decimal::parse_natural(row[4].as<std::string>()).value(), o.mutable_qty());
    to_proto(Decimal::parse_natural(row[5].as<std::string>()).value(), o.mutable_limit_price());
    o.set_reason(row[6].as<std::string>());
    o.set_created_ts_ns(row[7].as<int64_t>() * 1000);
    out.push_back(std::move(o));
  }
  return out;
}

void HedgeStore::record_status(const std::string& hedge_id, const std::string& status) {
  pqxx::work w(*conn_);
  lock_->confirm(w);
  w.exec_prepared("hedge_status", hedge_id, status);
  w.commit();
}

void HedgeStore::record_outcome(const std::string& hedge_id, const std::string& status,
                                const InstrumentPositionRow* p,
                                const std::map<std::string, std::string>& exposure,
                                int64_t now_ns) {
  pqxx::work w(*conn_);
  lock_->confirm(w);
  w.exec_prepared("hedge_status", hedge_id, status);
  if (p)
    w.exec_prepared("upsert_instrument", p->instrument, p->qty, p->entry_value, p->realized,
                    p->pnl_asset, record::ns_to_micros(now_ns));
  write_exposure(w, exposure, now_ns);
  w.commit();
}

std::map<std::string, std::string> HedgeStore::load_inventory() {
  pqxx::read_transaction t(*conn_);
  std::map<std::string, std::string> out;
  for (const auto& row : t.exec_prepared("load_inventory"))
    out[row[0].as<std::string>()] = row[1].as<std::string>();
  return out;
}

std::vector<InstrumentPositionRow> HedgeStore::load_instrument_positions() {
  pqxx::read_transaction t(*conn_);
  std::vector<InstrumentPositionRow> out;
  for (const auto& row : t.exec_prepared("load_instruments"))
    out.push_back({row[0].as<std::string>(), row[1].as<std::string>(), row[2].as<std::string>(),
                   row[3].as<std::string>(), row[4].as<std::string>()});
  return out;
}

std::optional<int64_t> HedgeStore::funding_accounted_through_ms(const std::string& instrument) {
  pqxx::read_transaction t(*conn_);
  auto r = t.exec_prepared("funding_through", instrument);
  if (r.empty() || r[0][0].is_null()) return std::nullopt;
  return r[0][0].as<int64_t>();
}

std::map<std::string, std::string> HedgeStore::load_asset_cash() {
  pqxx::read_transaction t(*conn_);
  std::map<std::string, std::string> out;
  for (const auto& row : t.exec_prepared("load_cash"))
    out[row[0].as<std::string>()] = row[1].as<std::string>();
  return out;
}

void HedgeStore::record_risk(const std::string& action, const std::string& scope,
                             const std::string& state, const std::string& why,
                             const std::string& actor) {
  pqxx::work w(*conn_);
  lock_->confirm(w);
  w.exec_prepared("audit_risk", action, scope, state, why, actor);
  w.commit();
}

void HedgeStore::record_fill_pnl(const aqueduct::msg::FillPnl& p) {
  pqxx::work w(*conn_);
  lock_->confirm(w);
  w.exec_prepared("insert_fill_pnl", p.fill_id(), p.asset(), p.spread(), p.hedge_slippage(),
                  p.fees(), p.funding(), p.revaluation(), p.total(),
                  from_proto(p.fair_at_fill()).to_string(), from_proto(p.mark()).to_string(),
                  p.hedges(), p.quanto().empty() ? std::string("0") : p.quanto());
  w.commit();
}

bool HedgeStore::record_funding(const FundingRow& f, const std::string& asset,
                                const std::string& cash_total, int64_t now_ns) {
  pqxx::work w(*conn_);
  lock_->confirm(w);
  auto r =
      w.exec_prepared("insert_funding", f.instrument, record::ns_to_micros(f.settled_ns),
                      f.position_qty, f.position_base, f.base_usd, f.rate, f.amount_usd, f.fill_id);
  if (r.affected_rows() == 0) return false;  // settled before (a restart saw it again)
  w.exec_prepared("upsert_cash", asset, cash_total, record::ns_to_micros(now_ns));
  w.commit();
  return true;
}

}  // namespace aq::hedging
