#include "aqueduct/rfq/rfq_store.hpp"

#include "aqueduct/net/hmac.hpp"
#include "aqueduct/record/database.hpp"

namespace aq::rfq {

using record::ts_from_micros;

namespace {

const char* kInsertQuote =
    "INSERT INTO quotes (quote_id, client_id, listing, side, price, qty, created_at, expires_at, "
    "breakdown, "
    "protocol, signed_order) VALUES ($1, $2, $3, $4, $5::numeric, $6::numeric, ";

std::string insert_quote_sql() {
  return std::string(kInsertQuote) + ts_from_micros(7) + ", " + ts_from_micros(8) +
         ", $9::jsonb, $10, NULLIF($11, '')::jsonb) ON CONFLICT (quote_id) DO NOTHING";
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
                 "SELECT client_id, name, tier, zero_fee, protocol, COALESCE(api_key_sha256, ''), "
                 "max_quote_notional, max_open_notional, COALESCE(rate_limit_per_s, 0) FROM "
                 "clients WHERE active");
  conn_->prepare("create_client",
                 "INSERT INTO clients (client_id, name, tier, zero_fee, api_key_sha256) VALUES "
                 "($1, $2, $3, $4, $5)");
  conn_->prepare("ensure_client",
                 "INSERT INTO clients (client_id, name, tier, protocol) VALUES ($1, $2, $3, $4) "
                 "ON CONFLICT (client_id) DO NOTHING");
  conn_->prepare("insert_quote", insert_quote_sql());
  conn_->prepare("mark_filled",
                 "UPDATE quotes SET status = 'filled' WHERE quote_id = $1 AND status = 'live'");
  conn_->prepare(
      "fill_by_ref",
      "SELECT fill_id FROM fills WHERE protocol = $1 AND client_id = $2 AND external_ref = $3");
  conn_->prepare("insert_fill",
                 "INSERT INTO fills (fill_id, quote_id, client_id, listing, side, price, qty, "
                 "filled_at, protocol, "
                 "external_ref) VALUES ($1, $2, $3, $4, $5, $6::numeric, $7::numeric, " +
                     ts_from_micros(8) + ", $9, NULLIF($10, ''))");
  conn_->prepare("audit", "INSERT INTO audit_log (actor, action, subject) VALUES ($1, $2, $3)");
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
    c.api_key_sha256 = row[5].as<std::string>();
    c.limits.max_quote_notional = notional_units(row[6]).value_or(0);
    c.limits.max_open_notional = notional_units(row[7]).value_or(0);
    c.rate_limit_per_s = row[8].as<int>();
    out.push_back(std::move(c));
  }
  return out;
}

std::string RfqStore::create_client(const std::string& client_id, const std::string& name,
                                    const std::string& tier, bool zero_fee) {
  std::string key = "aq_" + net::random_hex(24);
  pqxx::work w(*conn_);
  w.exec_prepared("create_client", client_id, name, tier, zero_fee, net::sha256_hex(key));
  w.exec_prepared("audit", "ops", "client.create", client_id);
  w.commit();
  return key;
}

void RfqStore::ensure_protocol_client(const std::string& client_id, Protocol protocol,
                                      const std::string& tier) {
  pqxx::work w(*conn_);
  w.exec_prepared("ensure_client", client_id,
                  std::string(to_string(protocol)) + " taker connection", tier,
                  to_string(protocol));
  w.commit();
}

std::optional<std::string> RfqStore::record_fill(const FillRecord& f, const QuoteRow& quote_row,
                                                 const Listing& l) {
  pqxx::work w(*conn_);
  if (!f.external_ref.empty()) {
    auto seen = w.exec_prepared("fill_by_ref", to_string(f.quote.protocol), f.quote.client_id,
                                f.external_ref);
    if (!seen.empty()) return seen[0][0].as<std::string>();
  }
  insert_quote(w, quote_row);
  auto r = w.exec_prepared("mark_filled", f.quote.quote_id);
  if (r.affected_rows() != 1)
    throw std::runtime_error("quote " + f.quote.quote_id + " is not live in the record");
  w.exec_prepared("insert_fill", f.fill_id, f.quote.quote_id, f.quote.client_id, f.quote.listing,
                  to_string(f.quote.side), quote_row.listing_price,
                  Decimal{f.qty, l.qty_scale}.to_string(), record::ns_to_micros(f.filled_ns),
                  to_string(f.quote.protocol), f.external_ref);
  w.commit();
  return std::nullopt;
}

QuoteRecorder::QuoteRecorder(std::string database_url)
    : writer_(
          std::move(database_url), "quotes",
          [](pqxx::connection& c) {
            c.prepare("insert_quote", insert_quote_sql());
            c.prepare(
                "decline_quote",
                "UPDATE quotes SET status = 'declined' WHERE quote_id = $1 AND status = 'live'");
          },
          [](pqxx::work& w, const QuoteRow& r) {
            if (r.declined) {
              w.exec_prepared("decline_quote", r.quote.quote_id);
            } else {
              insert_quote(w, r);
            }
          }) {}

}  // namespace aq::rfq
