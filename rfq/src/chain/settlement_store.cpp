#include "aqueduct/rfq/chain/settlement_store.hpp"

#include <boost/json.hpp>

#include "aqueduct/record/database.hpp"

namespace aq::rfq::chain {
namespace {

std::optional<Settlement> parse_settlement(std::string_view s) {
  for (Settlement x : {Settlement::Native, Settlement::Pending, Settlement::Seen,
                       Settlement::Confirmed, Settlement::Unsettled})
    if (s == to_string(x)) return x;
  return std::nullopt;
}

}  // namespace

SettlementStore::SettlementStore(std::unique_ptr<pqxx::connection> conn) : conn_(std::move(conn)) {
  conn_->prepare(
      "settle_mark",
      "UPDATE fills SET settlement = $2, chain_id = COALESCE($3, chain_id), "
      "tx_hash = COALESCE($4, tx_hash), log_index = COALESCE($5, log_index), "
      "block_number = COALESCE($6, block_number), block_hash = COALESCE($7, block_hash), "
      "settled_at = now() WHERE fill_id = $1 AND kind = 'trade' "
      "AND settlement IN ('pending', 'seen', 'confirmed')");
  conn_->prepare(
      "settle_lock",
      "SELECT quote_id, client_id, listing, side, price::text, qty::text, protocol, "
      "settlement, COALESCE(chain_id, 0) FROM fills WHERE fill_id = $1 AND kind = 'trade' "
      "FOR UPDATE");
  conn_->prepare(
      "settle_unsettle",
      "UPDATE fills SET settlement = 'unsettled', settled_at = now() WHERE fill_id = $1");
  conn_->prepare(
      "settle_insert_unwind",
      "INSERT INTO fills (fill_id, quote_id, client_id, listing, side, price, qty, "
      "filled_at, protocol, kind, unwinds, settlement, chain_id) VALUES ($1, $2, $3, $4, "
      "$5, $6::numeric, $7::numeric, " +
          record::ts_from_micros(8) + ", $9, 'unwind', $10, 'native', NULLIF($11, 0))");
  conn_->prepare("settle_audit",
                 "INSERT INTO audit_log (actor, action, subject, detail) VALUES ($1, $2, $3, "
                 "$4::jsonb)");
  conn_->prepare(
      "settle_event",
      "INSERT INTO chain_events (chain_id, tx_hash, log_index, block_number, block_hash, "
      "event, order_ref, maker_amount, taker_amount, fill_id, outcome) VALUES ($1, $2, "
      "$3, $4, $5, $6, $7, $8::numeric, $9::numeric, NULLIF($10, ''), $11) "
      "ON CONFLICT (chain_id, tx_hash, log_index) DO UPDATE SET block_number = "
      "EXCLUDED.block_number, block_hash = EXCLUDED.block_hash, fill_id = "
      "COALESCE(EXCLUDED.fill_id, chain_events.fill_id)");
  conn_->prepare("settle_cursor",
                 "SELECT block_number, block_hash FROM chain_cursor WHERE chain_id = $1");
  conn_->prepare(
      "settle_save_cursor",
      "INSERT INTO chain_cursor (chain_id, block_number, block_hash) VALUES ($1, $2, $3) "
      "ON CONFLICT (chain_id) DO UPDATE SET block_number = EXCLUDED.block_number, "
      "block_hash = EXCLUDED.block_hash, updated_at = now()");
  conn_->prepare("settle_open",
                 "SELECT fill_id, quote_id, settlement, tx_hash, log_index, block_number, "
                 "block_hash FROM fills WHERE kind = 'trade' AND settlement IN ('pending', 'seen') "
                 "AND chain_id = $1 ORDER BY filled_at");
  conn_->prepare("settle_signed",
                 "SELECT quote_id, protocol, signed_order::text, "
                 "extract(epoch from expires_at)::bigint FROM quotes WHERE protocol IN "
                 "('zeroex', 'hashflow') AND status <> 'declined' AND signed_order IS NOT NULL "
                 "AND expires_at >= to_timestamp($1) ORDER BY created_at");
}

void SettlementStore::mark(const std::string& fill_id, Settlement s,
                           const std::optional<ChainProof>& p) {
  pqxx::work w(*conn_);
  auto opt = [&](auto v) { return p ? std::optional(v) : std::nullopt; };
  w.exec_prepared("settle_mark", fill_id, to_string(s),
                  opt(p ? static_cast<int64_t>(p->chain_id) : 0), opt(p ? p->tx_hash : ""),
                  opt(p ? static_cast<int64_t>(p->log_index) : 0),
                  opt(p ? static_cast<int64_t>(p->block_number) : 0), opt(p ? p->block_hash : ""));
  w.commit();
}

std::optional<FillRecord> SettlementStore::unwind(const std::string& fill_id,
                                                  const std::string& reason,
                                                  const std::string& actor, int64_t now_ns,
                                                  const Universe& universe) {
  pqxx::work w(*conn_);
  auto r = w.exec_prepared("settle_lock", fill_id);
  if (r.empty()) return std::nullopt;
  const auto& row = r[0];
  auto settlement = parse_settlement(row[7].as<std::string>());
  if (!settlement || (*settlement != Settlement::Pending && *settlement != Settlement::Seen))
    return std::nullopt;  // confirmed, native, or already unsettled
  const Listing* l = universe.listing(row[2].as<std::string>());
  if (!l)
    throw std::runtime_error("fill " + fill_id + " is of listing " + row[2].as<std::string>() +
                             ", which is not configured: cannot unwind it");
  ParseError why{};
  auto price = Decimal::parse(row[4].c_str(), l->price_scale, &why);
  auto qty = Decimal::parse(row[5].c_str(), l->qty_scale, &why);
  Side side = row[3].as<std::string>() == "buy" ? Side::Buy : Side::Sell;
  if (!price || !qty)
    throw std::runtime_error("fill " + fill_id + " has an unreadable price or qty");
  FillRecord u;
  u.fill_id = "u_" + fill_id;
  u.quote.quote_id = row[0].as<std::string>();
  u.quote.client_id = row[1].as<std::string>();
  u.quote.listing = l->name;
  u.quote.side = opposite(side);
  u.quote.price = price->units;
  u.quote.qty = qty->units;
  u.qty = qty->units;
  u.filled_ns = now_ns;
  u.chain_id = static_cast<uint64_t>(row[8].as<int64_t>());
  w.exec_prepared("settle_unsettle", fill_id);
  w.exec_prepared("settle_insert_unwind", u.fill_id, u.quote.quote_id, u.quote.client_id, l->name,
                  to_string(u.quote.side), row[4].as<std::string>(), row[5].as<std::string>(),
                  record::ns_to_micros(now_ns), row[6].as<std::string>(), fill_id,
                  static_cast<int64_t>(u.chain_id));
  boost::json::object detail{{"fill_id", fill_id},
                             {"unwind_fill_id", u.fill_id},
                             {"reason", reason},
                             {"was", to_string(*settlement)}};
  w.exec_prepared("settle_audit", actor, "fill.unsettled", fill_id, boost::json::serialize(detail));
  w.commit();
  return u;
}

void SettlementStore::record_event(const ChainProof& p, const std::string& event,
                                   const std::string& order_ref, const std::string& maker_amount,
                                   const std::string& taker_amount, const std::string& fill_id,
                                   const std::string& outcome) {
  pqxx::work w(*conn_);
  w.exec_prepared("settle_event", static_cast<int64_t>(p.chain_id), p.tx_hash,
                  static_cast<int64_t>(p.log_index), static_cast<int64_t>(p.block_number),
                  p.block_hash, event, order_ref, maker_amount, taker_amount, fill_id, outcome);
  w.commit();
}

std::optional<std::pair<uint64_t, std::string>> SettlementStore::cursor(uint64_t chain_id) {
  pqxx::read_transaction t(*conn_);
  auto r = t.exec_prepared("settle_cursor", static_cast<int64_t>(chain_id));
  if (r.empty()) return std::nullopt;
  return std::pair{static_cast<uint64_t>(r[0][0].as<int64_t>()), r[0][1].as<std::string>()};
}

void SettlementStore::save_cursor(uint64_t chain_id, uint64_t block_number,
                                  const std::string& block_hash) {
  pqxx::work w(*conn_);
  w.exec_prepared("settle_save_cursor", static_cast<int64_t>(chain_id),
                  static_cast<int64_t>(block_number), block_hash);
  w.commit();
}

std::vector<SettlementStore::Open> SettlementStore::open_fills(uint64_t chain_id) {
  pqxx::read_transaction t(*conn_);
  std::vector<Open> out;
  for (const auto& row : t.exec_prepared("settle_open", static_cast<int64_t>(chain_id))) {
    Open o;
    o.fill_id = row[0].as<std::string>();
    o.quote_id = row[1].as<std::string>();
    o.settlement = parse_settlement(row[2].as<std::string>()).value_or(Settlement::Pending);
    if (!row[3].is_null())
      o.proof = ChainProof{chain_id, row[3].as<std::string>(),
                           static_cast<uint64_t>(row[4].as<int64_t>()),
                           static_cast<uint64_t>(row[5].as<int64_t>()), row[6].as<std::string>()};
    out.push_back(std::move(o));
  }
  return out;
}

std::vector<SettlementStore::Signed> SettlementStore::signed_quotes(int64_t since_s) {
  pqxx::read_transaction t(*conn_);
  std::vector<Signed> out;
  for (const auto& row : t.exec_prepared("settle_signed", since_s))
    out.push_back({row[0].as<std::string>(), row[1].as<std::string>(), row[2].as<std::string>(),
                   row[3].as<int64_t>()});
  return out;
}

}  // namespace aq::rfq::chain
