#pragma once
// Writes rows to PostgreSQL off an event loop: the loop only queues a row; a writer thread
// commits them in batches (one transaction each; the statements should be idempotent, e.g.
// ON CONFLICT DO NOTHING, since a batch is retried whole). If the database is away, rows wait
// in the queue (bounded; the oldest are dropped with an error log beyond it) and are written
// when it is back.
#include <spdlog/spdlog.h>

#include <chrono>
#include <condition_variable>
#include <deque>
#include <functional>
#include <memory>
#include <mutex>
#include <pqxx/pqxx>
#include <string>
#include <thread>
#include <vector>

#include "aqueduct/record/database.hpp"

namespace aq::record {

template <class Row>
class BatchWriter {
 public:
  using Prepare = std::function<void(pqxx::connection&)>;
  using Write = std::function<void(pqxx::work&, const Row&)>;
  // A whole batch at once (multi-row statements: one round trip for many rows).
  using WriteBatch = std::function<void(pqxx::work&, const std::vector<Row>&)>;

  // `what` names the rows in log lines ("markouts", "quotes").
  BatchWriter(std::string database_url, std::string what, Prepare prepare, Write write,
              size_t max_queued = 100'000)
      : BatchWriter(std::move(database_url), std::move(what), std::move(prepare),
                    WriteBatch([write = std::move(write)](pqxx::work& w, const std::vector<Row>& rows) {
                      for (const auto& r : rows) write(w, r);
                    }),
                    max_queued) {}
  BatchWriter(std::string database_url, std::string what, Prepare prepare, WriteBatch write,
              size_t max_queued = 100'000)
      : url_(std::move(database_url)),
        what_(std::move(what)),
        prepare_(std::move(prepare)),
        write_(std::move(write)),
        max_queued_(max_queued),
        thread_([this] { run(); }) {}

  ~BatchWriter() {  // writes what is queued (a few seconds at most), then stops
    flush(3'000);
    {
      std::lock_guard l(mutex_);
      stopping_ = true;
    }
    wake_.notify_all();
    thread_.join();
  }
  BatchWriter(const BatchWriter&) = delete;
  BatchWriter& operator=(const BatchWriter&) = delete;

  void push(Row row) {
    {
      std::lock_guard l(mutex_);
      if (queue_.size() >= max_queued_) {
        spdlog::error(
            "record: {} queue full ({} rows; the database is not keeping up): dropping the oldest",
            what_, queue_.size());
        queue_.pop_front();
      }
      queue_.push_back(std::move(row));
      // The writer sleeps until a row arrives, then lingers until a batch is full: only those
      // two moments need a wake-up (not one futex call per row).
      if (queue_.size() != 1 && queue_.size() != kFullBatch) return;
    }
    wake_.notify_one();
  }

  // Blocks until everything queued so far is written or `timeout_ms` passes; true when written.
  bool flush(int64_t timeout_ms) {
    std::unique_lock l(mutex_);
    ++flushing_;  // no lingering while someone waits
    wake_.notify_all();
    bool ok = done_.wait_for(l, std::chrono::milliseconds(timeout_ms),
                             [this] { return queue_.empty() && in_flight_ == 0; });
    --flushing_;
    return ok;
  }

  uint64_t written() const {
    std::lock_guard l(mutex_);
    return written_;
  }

 private:
  void run() {
    std::unique_ptr<pqxx::connection> conn;
    while (true) {
      std::vector<Row> batch;
      {
        std::unique_lock l(mutex_);
        wake_.wait(l, [this] { return stopping_ || !queue_.empty(); });
        if (stopping_ && queue_.empty()) return;
        // Linger a moment for more rows: a batch of hundreds costs about what a batch of one
        // does (a transaction's round trips), and rows are written behind anyway.
        wake_.wait_for(l, kLinger, [this] { return stopping_ || flushing_ > 0 || queue_.size() >= kFullBatch; });
        while (!queue_.empty() && batch.size() < 1000) {
          batch.push_back(std::move(queue_.front()));
          queue_.pop_front();
        }
        in_flight_ = batch.size();
      }
      bool ok = false;
      try {
        if (!conn) {
          conn = connect(url_);
          prepare_(*conn);
        }
        pqxx::work w(*conn);
        write_(w, batch);
        w.commit();
        ok = true;
      } catch (const std::exception& e) {
        spdlog::error("record: cannot write {} {}, will retry: {}", batch.size(), what_, e.what());
        conn.reset();
      }
      std::unique_lock l(mutex_);
      in_flight_ = 0;
      if (ok) {
        written_ += batch.size();
      } else {
        // Back in front, in order; try again after a pause (or at once when stopping).
        for (auto it = batch.rbegin(); it != batch.rend(); ++it) queue_.push_front(std::move(*it));
        if (!stopping_) wake_.wait_for(l, std::chrono::seconds(1), [this] { return stopping_; });
        if (stopping_) {
          spdlog::error("record: {} {} not written at shutdown", queue_.size(), what_);
          queue_.clear();
          done_.notify_all();
          return;
        }
      }
      if (queue_.empty()) done_.notify_all();
    }
  }

  std::string url_;
  std::string what_;
  Prepare prepare_;
  WriteBatch write_;
  static constexpr size_t kFullBatch = 256;
  static constexpr std::chrono::milliseconds kLinger{5};
  int flushing_ = 0;
  size_t max_queued_;
  mutable std::mutex mutex_;
  std::condition_variable wake_, done_;
  std::deque<Row> queue_;
  size_t in_flight_ = 0;
  uint64_t written_ = 0;
  bool stopping_ = false;
  std::thread thread_;  // last: starts after everything above exists
};

}  // namespace aq::record
