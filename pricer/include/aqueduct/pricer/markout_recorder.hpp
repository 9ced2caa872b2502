#pragma once
// Writes markouts to PostgreSQL off the pricer's event loop, in batches, idempotently on fill
// and horizon (see record::BatchWriter for the queueing and retry rules).
#include <memory>
#include <string>

#include "aqueduct/pricer/markouts.hpp"
#include "aqueduct/record/batch_writer.hpp"

namespace aq::pricer {

// What is written: the sample plus the prices it came from, as exact decimal strings.
struct MarkoutRow {
  MarkoutSample sample;
  std::string fill_price;  // listing quote per base
  std::string fair_value;
  int64_t measured_ns = 0;
};

class MarkoutRecorder {
 public:
  explicit MarkoutRecorder(std::string database_url, size_t max_queued = 100'000);

  void push(MarkoutRow row) { writer_.push(std::move(row)); }
  // Blocks until everything queued so far is written or `timeout_ms` passes; true when written.
  bool flush(int64_t timeout_ms) { return writer_.flush(timeout_ms); }
  uint64_t written() const { return writer_.written(); }

 private:
  record::BatchWriter<MarkoutRow> writer_;
};

}  // namespace aq::pricer
