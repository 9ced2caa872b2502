#include "aqueduct/rfq/rfq_store.hpp"

#include "aqueduct/net/hmac.hpp"
#include "aqueduct/record/database.hpp"

namespace aq::rfq {

using record::ts_from_micros;

namespace {

const char* kQuoteColumns =
    "INSERT INTO quotes (quote_id, client_id, listing, side, price, qty, created_at, expires_at, "
    "breakdown, protocol, signed_order) VALUES ";

std::string insert_quote_sql() {
  return std::string(kQuoteColumns) + "($1, $2, $3, $4, $5::numeric, $6::numeric, " +
         ts_from_micros(7) + ", " + ts_from_micros(8) +
         ", $9::json, $10, NULLIF($11, '')::json) ON CONFLICT (quote_id) DO NOTHING";
}

void insert_quote(pqxx::work& w, const QuoteRow& r) {
  const auto& q = r.quote;
  w.exec_prepared("insert_quote", q.quote_id, q.client_id, q.listing, to_string(q.side),
                  r.listing_price, r.listing_qty, record::ns_to_micros(q.created_ns),
                  record::ns_to_micros(q.expiry_ns), r.breakdown_json, to_string(q.protocol),
                  r.signed_order_json);
}

std::optional<int64_t> notional_units(const pqxx::field& f) {
  if (f.is_null()) return std::nullopt;
  ParseError why{};
  auto d = Decimal::parse(f.c_str(), kNotionalScale, &why);
  if (!d) return std::nullopt;
  return d->units;
}

}  // namespace

const char* to_string(Settlement s) {
  switch (s) {
    case Settlement::Native:
      return "native";
    case Settlement::Pending:
      return "pending";
    case Settlement::Seen:
      return "seen";
    case Settlement::Confirmed:
      return "confirmed";
    case Settlement::Unsettled:
      return "unsettled";
  }
  return "native";
}

namespace {

bool parse_protocol(std::string_view s, Protocol& out) {
  for (Protocol p : {Protocol::Native, Protocol::ZeroEx, Protocol::Hashflow, Protocol::Bebop})
    if (s == to_string(p)) {
      out = p;
      return true;
    }
  return false;
}

}  // namespace

QuoteRow make_quote_row(const IssuedQuote& q, const Listing& l, std::string breakdown_json,
                        std::string signed_order_json) {
  return {q,
          Decimal{q.price, l.price_scale}.to_string(),
          Decimal{q.qty, l.qty_scale}.to_string(),
          std::move(breakdown_json),
          std::move(signed_order_json),
          false};
}

RfqStore::RfqStore(std::unique_ptr<pqxx::connection> conn) : conn_(std::move(conn)) {
  conn_->prepare("load_clients",
                 "SELECT client_id, name, tier, zero_fee, protocol, COALESCE(api_key_id, ''), "
                 "max_quote_notional, max_open_notional, COALESCE(rate_limit_per_s, 0), active "
                 "FROM clients ORDER BY client_id");
  conn_->prepare("create_client",
                 "INSERT INTO clients (client_id, name, api_key_id) VALUES ($1, $2, $3)");
  // NULL parameters leave a column as it is; 0 clears a limit.
  conn_->prepare("change_client",
                 "UPDATE clients SET name = COALESCE($2, name), tier = COALESCE($3, tier), "
                 "zero_fee = COALESCE($4, zero_fee), active = COALESCE($5, active), "
                 "max_quote_notional = CASE WHEN $6::numeric IS NULL THEN max_quote_notional "
                 "ELSE NULLIF($6::numeric, 0) END, "
                 "max_open_notional = CASE WHEN $7::numeric IS NULL THEN max_open_notional "
                 "ELSE NULLIF($7::numeric, 0) END, "
                 "rate_limit_per_s = CASE WHEN $8::integer IS NULL THEN rate_limit_per_s "
                 "ELSE NULLIF($8::integer, 0) END, updated_at = now() WHERE client_id = $1");
  conn_->prepare("load_quote",
                 "SELECT client_id, listing, side, price::text, qty::text, "
                 "(extract(epoch from created_at) * 1000000)::bigint, "
                 "(extract(epoch from expires_at) * 1000000)::bigint, protocol, status "
                 "FROM quotes WHERE quote_id = $1");
  conn_->prepare("rekey_client",
                 "UPDATE clients SET api_key_id = $2, updated_at = now() WHERE client_id = $1 "
                 "AND protocol = 'native'");
  conn_->prepare("ensure_client",
                 "INSERT INTO clients (client_id, name, tier, protocol) VALUES ($1, $2, $3, $4) "
                 "ON CONFLICT (client_id) DO NOTHING");
  conn_->prepare("insert_quote", insert_quote_sql());
  conn_->prepare("mark_filled",
                 "UPDATE quotes SET status = 'filled' WHERE quote_id = $1 AND status = 'live'");
  conn_->prepare("fill_by_ref",
                 "SELECT fill_id, quote_id FROM fills WHERE protocol = $1 AND client_id = $2 AND "
                 "external_ref = $3");
  conn_->prepare("insert_fill",
                 "INSERT INTO fills (fill_id, quote_id, client_id, listing, side, price, qty, "
                 "filled_at, protocol, external_ref, settlement, chain_id, tx_hash, log_index, "
                 "block_number, block_hash, settled_at) VALUES ($1, $2, $3, $4, $5, $6::numeric, "
                 "$7::numeric, " +
                     ts_from_micros(8) +
                     ", $9, NULLIF($10, ''), $11, $12, $13, $14, $15, $16, "
                     "CASE WHEN $13::text IS NULL THEN NULL ELSE now() END)");
  conn_->prepare("audit",
                 "INSERT INTO audit_log (actor, action, subject, detail) VALUES ($1, $2, $3, "
                 "$4::jsonb)");
}

std::vector<Client> RfqStore::load_clients() {
  pqxx::read_transaction t(*conn_);
  std::vector<Client> out;
  for (const auto& row : t.exec_prepared("load_clients")) {
    Client c;
    c.client_id = row[0].as<std::string>();
    c.name = row[1].as<std::string>();
    c.tier = row[2].as<std::string>();
    c.zero_fee = row[3].as<bool>();
    if (!parse_protocol(row[4].as<std::string>(), c.protocol)) continue;
    c.api_key_id = row[5].as<std::string>();
    c.limits.max_quote_notional = notional_units(row[6]).value_or(0);
    c.limits.max_open_notional = notional_units(row[7]).value_or(0);
    c.rate_limit_per_s = row[8].as<int>();
    c.active = row[9].as<bool>();
    out.push_back(std::move(c));
  }
  return out;
}

namespace {

std::optional<std::string> notional_text(const std::optional<int64_t>& units) {
  if (!units) return std::nullopt;
  return Decimal{*units, kNotionalScale}.to_string();
}

// What an audit row says about a change: the fields set, never a secret.
std::string change_json(const ClientChange& c) {
  std::string j = "{";
  auto add = [&](const char* k, const std::string& v, bool quoted) {
    if (j.size() > 1) j += ",";
    j += "\"" + std::string(k) + "\":" + (quoted ? "\"" + v + "\"" : v);
  };
  if (c.tier) add("tier", *c.tier, true);
  if (c.zero_fee) add("zero_fee", *c.zero_fee ? "true" : "false", false);
  if (c.active) add("active", *c.active ? "true" : "false", false);
  if (c.max_quote_notional) add("max_quote_notional", *notional_text(c.max_quote_notional), true);
  if (c.max_open_notional) add("max_open_notional", *notional_text(c.max_open_notional), true);
  if (c.rate_limit_per_s) add("rate_limit_per_s", std::to_string(*c.rate_limit_per_s), false);
  return j + "}";
}

void apply_change(pqxx::work& w, const std::string& client_id, const ClientChange& c) {
  auto r = w.exec_prepared("change_client", client_id, c.name, c.tier, c.zero_fee, c.active,
                           notional_text(c.max_quote_notional), notional_text(c.max_open_notional),
                           c.rate_limit_per_s);
  if (r.affected_rows() != 1) throw std::invalid_argument("no client " + client_id);
}

}  // namespace

void RfqStore::create_client(const std::string& client_id, const std::string& name,
                             const std::string& api_key_id, const ClientChange& change) {
  pqxx::work w(*conn_);
  w.exec_prepared("create_client", client_id, name, api_key_id);
  apply_change(w, client_id, change);
  w.exec_prepared("audit", "ops", "client.create", client_id, change_json(change));
  w.commit();
}

void RfqStore::change_client(const std::string& client_id, const ClientChange& change,
                             const std::string& actor) {
  pqxx::work w(*conn_);
  apply_change(w, client_id, change);
  w.exec_prepared("audit", actor, "client.change", client_id, change_json(change));
  w.commit();
}

std::optional<std::pair<IssuedQuote, std::string>> RfqStore::load_quote(const std::string& quote_id,
                                                                        const Universe& universe) {
  pqxx::read_transaction t(*conn_);
  auto r = t.exec_prepared("load_quote", quote_id);
  if (r.empty()) return std::nullopt;
  const auto& row = r[0];
  const Listing* l = universe.listing(row[1].as<std::string>());
  if (!l) return std::nullopt;
  ParseError why{};
  auto price = Decimal::parse(row[3].c_str(), l->price_scale, &why);
  auto qty = Decimal::parse(row[4].c_str(), l->qty_scale, &why);
  Protocol protocol = Protocol::Native;
  if (!price || !qty || !parse_protocol(row[7].as<std::string>(), protocol)) return std::nullopt;
  Side side = row[2].as<std::string>() == "buy" ? Side::Buy : Side::Sell;
  IssuedQuote q =
      make_issued_quote(quote_id, row[0].as<std::string>(), *l, protocol, side, price->units,
                        qty->units, row[5].as<int64_t>() * 1000, row[6].as<int64_t>() * 1000);
  return std::pair{q, row[8].as<std::string>()};
}

void RfqStore::rekey_client(const std::string& client_id, const std::string& api_key_id,
                            const std::string& actor) {
  pqxx::work w(*conn_);
  auto r = w.exec_prepared("rekey_client", client_id, api_key_id);
  if (r.affected_rows() != 1)
    throw std::invalid_argument("no native client " + client_id +
                                " (aggregator connections have no API key)");
  w.exec_prepared("audit", actor, "client.rekey", client_id, "{}");
  w.commit();
}

void RfqStore::ensure_protocol_client(const std::string& client_id, Protocol protocol,
                                      const std::string& tier) {
  pqxx::work w(*conn_);
  w.exec_prepared("ensure_client", client_id,
                  std::string(to_string(protocol)) + " taker connection", tier,
                  to_string(protocol));
  w.commit();
}

std::optional<RfqStore::EarlierFill> RfqStore::record_fill(const FillRecord& f,
                                                           const QuoteRow& quote_row,
                                                           const Listing& l) {
  pqxx::work w(*conn_);
  if (!f.external_ref.empty()) {
    auto seen = w.exec_prepared("fill_by_ref", to_string(f.quote.protocol), f.quote.client_id,
                                f.external_ref);
    if (!seen.empty())
      return EarlierFill{seen[0][0].as<std::string>(), seen[0][1].as<std::string>()};
  }
  insert_quote(w, quote_row);
  auto r = w.exec_prepared("mark_filled", f.quote.quote_id);
  // An on-chain order may fill again in another transaction: the chain says so.
  if (r.affected_rows() != 1 && !f.proof)
    throw std::runtime_error("quote " + f.quote.quote_id + " is not live in the record");
  const auto& p = f.proof;
  auto opt = [&](auto v) { return p ? std::optional(v) : std::nullopt; };
  std::optional<int64_t> chain;
  if (f.chain_id != 0) chain = static_cast<int64_t>(f.chain_id);
  w.exec_prepared("insert_fill", f.fill_id, f.quote.quote_id, f.quote.client_id, f.quote.listing,
                  to_string(f.quote.side), quote_row.listing_price,
                  Decimal{f.qty, l.qty_scale}.to_string(), record::ns_to_micros(f.filled_ns),
                  to_string(f.quote.protocol), f.external_ref, to_string(f.settlement), chain,
                  opt(p ? p->tx_hash : ""), opt(p ? static_cast<int64_t>(p->log_index) : 0),
                  opt(p ? static_cast<int64_t>(p->block_number) : 0), opt(p ? p->block_hash : ""));
  w.commit();
  return std::nullopt;
}

namespace {

// Quotes as one multi-row INSERT per chunk (a round trip for hundreds of rows, not one each),
// then the batch's declines as one UPDATE. A decline always follows its quote's insert, in an
// earlier batch or earlier in this one.
void write_quotes(pqxx::work& w, const std::vector<QuoteRow>& rows) {
  constexpr size_t kChunk = 500;
  std::string sql;
  size_t in_chunk = 0;
  auto flush = [&] {
    if (in_chunk == 0) return;
    sql += " ON CONFLICT (quote_id) DO NOTHING";
    w.exec(sql);
    sql.clear();
    in_chunk = 0;
  };
  std::vector<const QuoteRow*> declines;
  for (const auto& r : rows) {
    if (r.declined) {
      declines.push_back(&r);
      continue;
    }
    const auto& q = r.quote;
    sql += in_chunk == 0 ? kQuoteColumns : ", ";
    auto micros = [](int64_t ns) {
      return "(timestamptz 'epoch' + " + std::to_string(record::ns_to_micros(ns)) +
             "::bigint * interval '1 microsecond')";
    };
    sql += "(" + w.quote(q.quote_id) + "," + w.quote(q.client_id) + "," + w.quote(q.listing) + "," +
           w.quote(std::string(to_string(q.side))) + "," + w.quote(r.listing_price) + "::numeric," +
           w.quote(r.listing_qty) + "::numeric," + micros(q.created_ns) + "," +
           micros(q.expiry_ns) + "," + w.quote(r.breakdown_json) + "::json," +
           w.quote(std::string(to_string(q.protocol))) + "," +
           (r.signed_order_json.empty() ? std::string("NULL")
                                        : w.quote(r.signed_order_json) + "::json") +
           ")";
    if (++in_chunk == kChunk) flush();
  }
  flush();
  if (declines.empty()) return;
  std::string ids;
  for (const auto* d : declines) ids += (ids.empty() ? "" : ",") + w.quote(d->quote.quote_id);
  w.exec("UPDATE quotes SET status = 'declined' WHERE status = 'live' AND quote_id IN (" + ids +
         ")");
}

}  // namespace

QuoteRecorder::QuoteRecorder(std::string database_url)
    : writer_(
          std::move(database_url), "quotes", [](pqxx::connection&) {},
          record::BatchWriter<QuoteRow>::WriteBatch(write_quotes)) {}

}  // namespace aq::rfq
