#include "aqueduct/rfq/rfq_store.hpp"

#include "aqueduct/net/hmac.hpp"
#include "aqueduct/record/database.hpp"

namespace aq::rfq {

using record::ts_from_micros;

RfqStore::RfqStore(std::unique_ptr<pqxx::connection> conn) : conn_(std::move(conn)) {
  conn_->prepare("load_clients",
                 "SELECT client_id, name, tier, zero_fee, api_key_sha256 FROM clients WHERE active");
  conn_->prepare("create_client",
                 "INSERT INTO clients (client_id, name, tier, zero_fee, api_key_sha256) "
                 "VALUES ($1, $2, $3, $4, $5)");
  conn_->prepare("insert_quote",
                 "INSERT INTO quotes (quote_id, client_id, listing, side, price, qty, created_at, "
                 "expires_at, breakdown) VALUES ($1, $2, $3, $4, $5::numeric, $6::numeric, " +
                     ts_from_micros(7) + ", " + ts_from_micros(8) + ", $9::jsonb)");
  conn_->prepare("mark_filled",
                 "UPDATE quotes SET status = 'filled' WHERE quote_id = $1 AND status = 'live'");
  conn_->prepare("insert_fill",
                 "INSERT INTO fills (fill_id, quote_id, client_id, listing, side, price, qty, "
                 "filled_at) VALUES ($1, $2, $3, $4, $5, $6::numeric, $7::numeric, " +
                     ts_from_micros(8) + ")");
  conn_->prepare("audit", "INSERT INTO audit_log (actor, action, subject) VALUES ($1, $2, $3)");
}

std::vector<Client> RfqStore::load_clients() {
  pqxx::read_transaction t(*conn_);
  std::vector<Client> out;
  for (const auto& row : t.exec_prepared("load_clients")) {
    out.push_back({row[0].as<std::string>(), row[1].as<std::string>(), row[2].as<std::string>(),
                   row[3].as<bool>(), row[4].as<std::string>()});
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

void RfqStore::record_quote(const IssuedQuote& q, const Listing& l, const std::string& breakdown) {
  pqxx::work w(*conn_);
  w.exec_prepared("insert_quote", q.quote_id, q.client_id, q.listing, to_string(q.side),
                  Decimal{q.price, l.price_scale}.to_string(), Decimal{q.qty, l.qty_scale}.to_string(),
                  record::ns_to_micros(q.created_ns), record::ns_to_micros(q.expiry_ns), breakdown);
  w.commit();
}

void RfqStore::record_fill(const FillRecord& f, const Listing& l) {
  pqxx::work w(*conn_);
  auto r = w.exec_prepared("mark_filled", f.quote.quote_id);
  if (r.affected_rows() != 1)
    throw std::runtime_error("quote " + f.quote.quote_id + " is not live in the record");
  w.exec_prepared("insert_fill", f.fill_id, f.quote.quote_id, f.quote.client_id, f.quote.listing,
                  to_string(f.quote.side), Decimal{f.quote.price, l.price_scale}.to_string(),
                  Decimal{f.quote.qty, l.qty_scale}.to_string(), record::ns_to_micros(f.filled_ns));
  w.commit();
}

}  // namespace aq::rfq
