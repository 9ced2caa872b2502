#include "aqueduct/connectors/bybit/book.hpp"

#include "aqueduct/connectors/json_cursor.hpp"
#include "aqueduct/connectors/levels.hpp"

namespace aq::bybit {

using connectors::JsonCursor;

namespace {

size_t depth_of(const std::string& topic) {
  // orderbook.{depth}.{symbol}
  if (topic.rfind("orderbook.", 0) != 0) return 0;
  size_t d = 0, i = 10;
  for (; i < topic.size() && topic[i] >= '0' && topic[i] <= '9'; ++i) d = d * 10 + static_cast<size_t>(topic[i] - '0');
  if (i == 10 || i >= topic.size() || topic[i] != '.') return 0;
  return d;
}

}  // namespace

BookMessage parse_book_message(std::string_view json, const Instrument& inst) {
  JsonCursor c(json, "bybit orderbook");
  BookMessage m;
  bool has_type = false, has_data = false, has_u = false;
  c.expect('{');
  do {
    auto key = c.string();
    c.expect(':');
    if (key == "topic") {
      m.topic = c.string();
    } else if (key == "type") {
      auto t = c.string();
      if (t == "snapshot") m.type = BookType::Snapshot;
      else if (t == "delta") m.type = BookType::Delta;
      else c.fail("type must be snapshot or delta");
      has_type = true;
    } else if (key == "ts") {
      m.ts_ms = connectors::millis_number(c, key);
    } else if (key == "cts") {
      m.cts_ms = connectors::millis_number(c, key);
    } else if (key == "data") {
      c.expect('{');
      do {
        auto k = c.string();
        c.expect(':');
        if (k == "s") m.symbol = c.string();
        else if (k == "b") connectors::read_string_pair_levels(c, inst, m.bids, "[\"price\",\"size\"]");
        else if (k == "a") connectors::read_string_pair_levels(c, inst, m.asks, "[\"price\",\"size\"]");
        else if (k == "u") { m.update_id = c.uint(k); has_u = true; }
        else if (k == "seq") m.cross_seq = c.uint(k);
        else c.skip_value();
      } while (c.accept(','));
      c.expect('}');
      has_data = true;
    } else {
      c.skip_value();
    }
  } while (c.accept(','));
  c.expect('}');
  if (!c.at_end()) c.fail("invalid JSON (trailing characters)");
  m.depth = depth_of(m.topic);
  if (m.depth == 0) c.fail("topic '" + m.topic + "' is not orderbook.{depth}.{symbol}");
  if (!has_type || !has_data || !has_u) c.fail("an orderbook push needs type, data and data.u");
  return m;
}

connectors::PerpStats parse_ticker(std::string_view json) {
  JsonCursor c(json, "bybit tickers");
  connectors::PerpStats st;
  std::string_view topic;
  bool has_data = false;
  c.expect('{');
  do {
    auto key = c.string();
    c.expect(':');
    if (key == "topic") topic = c.string();
    else if (key == "ts") st.exchange_ts_ns = connectors::millis_number(c, key) * 1'000'000;
    else if (key == "data") {
      c.expect('{');
      if (!c.accept('}')) {
        do {
          auto k = c.string();
          c.expect(':');
          if (k == "markPrice") st.mark = connectors::exact_decimal(c, c.string(), k);
          else if (k == "indexPrice") st.index = connectors::exact_decimal(c, c.string(), k);
          else if (k == "fundingRate") {
            st.funding_rate = connectors::exact_decimal(c, c.string(), k);
          } else if (k == "nextFundingTime") st.next_funding_ts_ns = connectors::millis_text(c, c.string(), k) * 1'000'000;
          else c.skip_value();
        } while (c.accept(','));
        c.expect('}');
      }
      has_data = true;
    } else {
      c.skip_value();
    }
  } while (c.accept(','));
  c.expect('}');
  if (!c.at_end()) c.fail("invalid JSON (trailing characters)");
  if (!topic.starts_with("tickers.") || !has_data) c.fail("not a tickers push (needs topic tickers.* and data)");
  return st;
}

const char* to_string(SyncEvent e) {
  switch (e) {
    case SyncEvent::SnapshotApplied: return "snapshot_applied";
    case SyncEvent::Applied: return "applied";
    case SyncEvent::Ignored: return "ignored";
    case SyncEvent::Gap: return "gap";
    case SyncEvent::Crossed: return "crossed";
  }
  return "unknown";
}

void BookSync::reset() {
  live_ = false;
  update_id_ = 0;
  book_.clear();
}

void BookSync::cap(size_t depth) {
  // Levels beyond the topic's depth are not maintained by the venue.
  while (book_.bids().size() > depth) book_.set(Side::Buy, book_.bids().back().price, 0);
  while (book_.asks().size() > depth) book_.set(Side::Sell, book_.asks().back().price, 0);
}

SyncOutcome BookSync::on_message(const BookMessage& m) {
  bool snapshot = m.type == BookType::Snapshot || m.update_id == 1;  // u == 1: service restart
  if (snapshot) {
    reset();
  } else {
    if (!live_) return {SyncEvent::Ignored, "delta before any snapshot"};
    if (m.update_id <= update_id_) return {SyncEvent::Ignored, "old or repeated update"};
    if (m.update_id != update_id_ + 1) {
      std::string detail = "update id " + std::to_string(m.update_id) + " after " + std::to_string(update_id_);
      reset();
      return {SyncEvent::Gap, std::move(detail)};
    }
  }
  for (const auto& l : m.bids) book_.set(Side::Buy, l.price, l.qty);
  for (const auto& l : m.asks) book_.set(Side::Sell, l.price, l.qty);
  cap(m.depth);
  update_id_ = m.update_id;
  live_ = true;
  if (book_.crossed()) {
    reset();
    return {SyncEvent::Crossed, "book crossed after update " + std::to_string(m.update_id)};
  }
  return {snapshot ? SyncEvent::SnapshotApplied : SyncEvent::Applied, {}};
}

}  // namespace aq::bybit
