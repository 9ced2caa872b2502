#include "aqueduct/types/venue_book.hpp"

#include "aqueduct/types/convert.hpp"

namespace aq {

namespace msg = aqueduct::msg;

namespace {
template <typename Levels>
bool load(L2Book& book, Side side, const Levels& levels, const Instrument& inst) {
  for (const auto& l : levels) {
    int64_t p = units_at(l.price(), inst.price_scale);
    int64_t q = units_at(l.qty(), inst.qty_scale);
    if (p <= 0 || q < 0) return false;
    book.set(side, p, q);
  }
  return true;
}
}  // namespace

bool VenueBook::apply(const msg::BookSnapshot& s, int64_t now_ns) {
  ++version_;
  book_.clear();
  consistent_ = false;
  try {
    if (!load(book_, Side::Buy, s.bids(), *inst_) || !load(book_, Side::Sell, s.asks(), *inst_)) {
      reason_ = "snapshot with a non-positive price or negative size";
      return false;
    }
  } catch (const DecimalError& e) {
    reason_ = std::string("snapshot not representable: ") + e.what();
    return false;
  }
  seq_ = s.venue_seq();
  consistent_ = true;
  last_update_ns_ = now_ns;
  // A snapshot is only published for a live book.
  if (state_ != msg::BOOK_LIVE) set_state(msg::BOOK_LIVE, "snapshot received");
  return true;
}

bool VenueBook::apply(const msg::BookDelta& d, int64_t now_ns) {
  if (!consistent_) return false;  // waiting for the next snapshot
  ++version_;
  if (d.prev_venue_seq() != seq_) {
    consistent_ = false;
    reason_ = "delta " + std::to_string(d.venue_seq()) + " does not chain onto " +
              std::to_string(seq_) + " (prev " + std::to_string(d.prev_venue_seq()) + ")";
    return false;
  }
  try {
    if (!load(book_, Side::Buy, d.bids(), *inst_) || !load(book_, Side::Sell, d.asks(), *inst_)) {
      consistent_ = false;
      reason_ = "delta with a non-positive price or negative size";
      return false;
    }
  } catch (const DecimalError& e) {
    consistent_ = false;
    reason_ = std::string("delta not representable: ") + e.what();
    return false;
  }
  seq_ = d.venue_seq();
  last_update_ns_ = now_ns;
  return true;
}

void VenueBook::set_state(msg::BookState s, const std::string& reason) {
  ++version_;
  state_ = s;
  reason_ = reason;
  if (s != msg::BOOK_LIVE) consistent_ = false;  // the connector discarded its book
}

}  // namespace aq
