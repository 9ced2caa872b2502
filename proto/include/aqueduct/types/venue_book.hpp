#pragma once
// One venue's book as a consumer of the connectors' market data sees it (the pricer, hedging): levels from the connectors' snapshots and deltas,
// the feed state the connector reported, and when it last heard. Pure: time comes in.
#include <cstdint>
#include <string>

#include "aqueduct/msg/market.pb.h"
#include "aqueduct/types/instrument.hpp"
#include "aqueduct/types/l2_book.hpp"

namespace aq {

class VenueBook {
 public:
  explicit VenueBook(const Instrument& inst) : inst_(&inst) {}

  // Each returns false (and leaves the book unusable until the next snapshot) when the message
  // does not chain onto the book or has levels the instrument cannot represent.
  bool apply(const aqueduct::msg::BookSnapshot& s, int64_t now_ns);
  bool apply(const aqueduct::msg::BookDelta& d, int64_t now_ns);
  void set_state(aqueduct::msg::BookState s, const std::string& reason);

  // Usable for pricing: the connector says live, the levels chain, and it is not crossed.
  bool usable() const {
    return consistent_ && state_ == aqueduct::msg::BOOK_LIVE && !book_.crossed();
  }
  int64_t age_ns(int64_t now_ns) const { return now_ns - last_update_ns_; }
  const L2Book& book() const { return book_; }
  const Instrument& instrument() const { return *inst_; }
  aqueduct::msg::BookState state() const { return state_; }
  const std::string& reason() const { return reason_; }
  uint64_t seq() const { return seq_; }
  int64_t last_update_ns() const { return last_update_ns_; }
  // Changes whenever the levels or the state change (consumers cache derived views by it).
  uint64_t version() const { return version_; }

 private:
  const Instrument* inst_;
  L2Book book_;
  uint64_t seq_ = 0;
  bool consistent_ = false;
  int64_t last_update_ns_ = 0;
  uint64_t version_ = 0;
  aqueduct::msg::BookState state_ = aqueduct::msg::BOOK_STATE_UNSPECIFIED;
  std::string reason_ = "no data yet";
};

}  // namespace aq
