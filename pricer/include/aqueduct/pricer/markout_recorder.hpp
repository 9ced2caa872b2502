#pragma once
// Writes markouts to PostgreSQL off the pricer's event loop: the loop only queues a sample;
// a writer thread commits them in batches (one transaction each, idempotent on fill and
// horizon). If the database is away, samples wait in the queue (bounded; the oldest are
// dropped with an error log beyond it) and are written when it is back.
#include <condition_variable>
#include <deque>
#include <memory>
#include <mutex>
#include <string>
#include <thread>

#include "aqueduct/pricer/markouts.hpp"

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
  ~MarkoutRecorder();  // writes what is queued (a few seconds at most), then stops
  MarkoutRecorder(const MarkoutRecorder&) = delete;
  MarkoutRecorder& operator=(const MarkoutRecorder&) = delete;

  void push(MarkoutRow row);
  // Blocks until everything queued so far is written or `timeout_ms` passes; true when written.
  bool flush(int64_t timeout_ms);
  uint64_t written() const;

 private:
  void run();
  std::string url_;
  size_t max_queued_;
  mutable std::mutex mutex_;
  std::condition_variable wake_, done_;
  std::deque<MarkoutRow> queue_;
  size_t in_flight_ = 0;
  uint64_t written_ = 0;
  bool stopping_ = false;
  std::thread thread_;
};

}  // namespace aq::pricer
