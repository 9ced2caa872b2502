#pragma once
// The narrow interface through which a venue session reports book changes. The session
// updates its own state first and calls the listener after (Liquibook's rule), so a listener
// always sees a consistent book.
#include <cstdint>
#include <string>

#include "aqueduct/msg/market.pb.h"
#include "aqueduct/types/instrument.hpp"
#include "aqueduct/types/l2_book.hpp"

namespace aq::connectors {

struct BookChange {
  uint64_t prev_seq = 0;
  uint64_t seq = 0;
  int64_t exchange_ts_ns = 0;
  int64_t local_ts_ns = 0;
  const std::vector<Level>* bids = nullptr;  // absolute quantities; 0 removes
  const std::vector<Level>* asks = nullptr;
};

class BookListener {
 public:
  virtual ~BookListener() = default;
  virtual void on_book_snapshot(const Instrument& inst, const L2Book& book, uint64_t seq,
                                int64_t exchange_ts_ns, int64_t local_ts_ns) = 0;
  virtual void on_book_delta(const Instrument& inst, const BookChange& change) = 0;
  virtual void on_book_state(const Instrument& inst, aqueduct::msg::BookState state,
                             const std::string& reason) = 0;
};

}  // namespace aq::connectors
