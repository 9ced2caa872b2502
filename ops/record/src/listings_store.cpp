#include "aqueduct/record/listings_store.hpp"

namespace aq::record {

int record_listings(pqxx::connection& conn, const std::vector<ListingRow>& listings,
                    const std::string& actor) {
  conn.prepare("listing_upsert",
               "INSERT INTO listings (name, base, quote, config) VALUES ($1, $2, $3, $4::jsonb) "
               "ON CONFLICT (name) DO UPDATE SET base = EXCLUDED.base, quote = EXCLUDED.quote, "
               "config = EXCLUDED.config, version = listings.version + 1, updated_at = now() "
               "WHERE listings.config IS DISTINCT FROM EXCLUDED.config");
  conn.prepare("listing_audit",
               "INSERT INTO audit_log (actor, action, subject, detail) VALUES ($1, 'listing.set', $2, $3::jsonb)");
  int changed = 0;
  pqxx::work w(conn);
  for (const auto& l : listings) {
    auto r = w.exec_prepared("listing_upsert", l.name, l.base, l.quote, l.config_json);
    if (r.affected_rows() == 1) {
      w.exec_prepared("listing_audit", actor, l.name, l.config_json);
      ++changed;
    }
  }
  w.commit();
  return changed;
}

}  // namespace aq::record
