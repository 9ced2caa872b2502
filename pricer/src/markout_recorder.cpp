#include "aqueduct/pricer/markout_recorder.hpp"

#include <spdlog/spdlog.h>

#include <chrono>
#include <vector>

#include "aqueduct/record/database.hpp"

namespace aq::pricer {

MarkoutRecorder::MarkoutRecorder(std::string database_url, size_t max_queued)
    : url_(std::move(database_url)), max_queued_(max_queued), thread_([this] { run(); }) {}

MarkoutRecorder::~MarkoutRecorder() {
  flush(3'000);
  {
    std::lock_guard l(mutex_);
    stopping_ = true;
  }
  wake_.notify_all();
  thread_.join();
}

void MarkoutRecorder::push(MarkoutRow row) {
  {
    std::lock_guard l(mutex_);
    if (queue_.size() >= max_queued_) {
      spdlog::error(
          "pricer: markout queue full ({} rows; the database is not keeping up): dropping the "
          "markout of {} at {} ms",
          queue_.size(), queue_.front().sample.fill_id,
          queue_.front().sample.horizon_ns / 1'000'000);
      queue_.pop_front();
    }
    queue_.push_back(std::move(row));
  }
  wake_.notify_one();
}

bool MarkoutRecorder::flush(int64_t timeout_ms) {
  std::unique_lock l(mutex_);
  return done_.wait_for(l, std::chrono::milliseconds(timeout_ms),
                        [this] { return queue_.empty() && in_flight_ == 0; });
}

uint64_t MarkoutRecorder::written() const {
  std::lock_guard l(mutex_);
  return written_;
}

void MarkoutRecorder::run() {
  std::unique_ptr<pqxx::connection> conn;
  while (true) {
    std::vector<MarkoutRow> batch;
    {
      std::unique_lock l(mutex_);
      wake_.wait(l, [this] { return stopping_ || !queue_.empty(); });
      if (stopping_ && queue_.empty()) return;
      while (!queue_.empty() && batch.size() < 500) {
        batch.push_back(std::move(queue_.front()));
        queue_.pop_front();
      }
      in_flight_ = batch.size();
    }
    bool ok = false;
    try {
      if (!conn) {
        conn = record::connect(url_);
        conn->prepare("insert_markout",
                      "INSERT INTO markouts (fill_id, horizon_ms, client_id, listing, fill_price, "
                      "fair_value, bps, measured_at) "
                      "VALUES ($1, $2, $3, $4, $5::numeric, $6::numeric, $7, " +
                          record::ts_from_micros(8) +
                          ") ON CONFLICT (fill_id, horizon_ms) DO NOTHING");
      }
      pqxx::work w(*conn);
      for (const auto& r : batch)
        w.exec_prepared("insert_markout", r.sample.fill_id,
                        static_cast<int>(r.sample.horizon_ns / 1'000'000), r.sample.client_id,
                        r.sample.listing, r.fill_price, r.fair_value, r.sample.bps,
                        record::ns_to_micros(r.measured_ns));
      w.commit();
      ok = true;
    } catch (const std::exception& e) {
      spdlog::error("pricer: cannot record {} markout(s), will retry: {}", batch.size(), e.what());
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
        spdlog::error("pricer: {} markout(s) not recorded at shutdown", queue_.size());
        queue_.clear();
        done_.notify_all();
        return;
      }
    }
    if (queue_.empty()) done_.notify_all();
  }
}

}  // namespace aq::pricer
