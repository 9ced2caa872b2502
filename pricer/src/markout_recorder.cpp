#include "aqueduct/pricer/markout_recorder.hpp"

namespace aq::pricer {

MarkoutRecorder::MarkoutRecorder(std::string database_url, size_t max_queued)
    : writer_(
          std::move(database_url), "markouts",
          [](pqxx::connection& c) {
            c.prepare("insert_markout",
                      "INSERT INTO markouts (fill_id, horizon_ms, client_id, listing, fill_price, "
                      "fair_value, bps, measured_at) VALUES ($1, $2, $3, $4, $5::numeric, "
                      "$6::numeric, $7, " +
                          record::ts_from_micros(8) +
                          ") ON CONFLICT (fill_id, horizon_ms) DO NOTHING");
          },
          [](pqxx::work& w, const MarkoutRow& r) {
            w.exec_prepared("insert_markout", r.sample.fill_id,
                            static_cast<int>(r.sample.horizon_ns / 1'000'000), r.sample.client_id,
                            r.sample.listing, r.fill_price, r.fair_value, r.sample.bps,
                            record::ns_to_micros(r.measured_ns));
          },
          max_queued) {}

}  // namespace aq::pricer
