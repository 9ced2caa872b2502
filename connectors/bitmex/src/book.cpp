#include "aqueduct/connectors/bitmex/book.hpp"

#include "aqueduct/connectors/json_cursor.hpp"
#include "aqueduct/connectors/levels.hpp"
#include "aqueduct/connectors/time_text.hpp"

namespace aq::bitmex {

using connectors::JsonCursor;

namespace {

Row read_row(JsonCursor& c, const Instrument& inst) {
  Row r;
  bool has_id = false, has_side = false;
  c.expect('{');
  if (!c.accept('}')) {
    do {
      auto k = c.string();
      c.expect(':');
      if (k == "symbol") {
        r.symbol = c.string();
      } else if (k == "id") {
        r.id = c.uint(k);
        has_id = true;
      } else if (k == "side") {
        auto s = c.string();
        if (s == "Buy") r.side = Side::Buy;
        else if (s == "Sell") r.side = Side::Sell;
        else c.fail("side must be Buy or Sell");
        has_side = true;
      } else if (k == "price") {
        r.price = connectors::price_units(c, c.number_text(k), inst);
        r.has_price = true;
      } else if (k == "size") {
        r.size = connectors::size_units(c, c.number_text(k), inst);
        r.has_size = true;
      } else if (k == "timestamp" && c.peek() == '"') {
        // Engine time on orderBookL2 rows; a row with an unreadable time keeps 0.
        r.timestamp_ns = connectors::parse_iso8601_ns(c.string()).value_or(0);
      } else {
        c.skip_value();
      }
    } while (c.accept(','));
    c.expect('}');
  }
  if (!has_id || !has_side) c.fail("each row needs id and side");
  return r;
}

}  // namespace

L2Message parse_l2_message(std::string_view json, const Instrument& inst) {
  JsonCursor c(json, "bitmex orderBookL2");
  L2Message m;
  bool has_action = false, has_data = false;
  c.expect('{');
  do {
    auto key = c.string();
    c.expect(':');
    if (key == "table") {
      m.table = c.string();
    } else if (key == "action") {
      auto a = c.string();
      if (a == "partial") m.action = Action::Partial;
      else if (a == "insert") m.action = Action::Insert;
      else if (a == "update") m.action = Action::Update;
      else if (a == "delete") m.action = Action::Delete;
      else c.fail("action must be partial, insert, update or delete");
      has_action = true;
    } else if (key == "data") {
      c.expect('[');
      if (!c.accept(']')) {
        do m.rows.push_back(read_row(c, inst));
        while (c.accept(','));
        c.expect(']');
      }
      has_data = true;
    } else {
      c.skip_value();
    }
  } while (c.accept(','));
  c.expect('}');
  if (!c.at_end()) c.fail("invalid JSON (trailing characters)");
  if (m.table != "orderBookL2" && m.table != "orderBookL2_25") c.fail("table '" + m.table + "' is not orderBookL2");
  if (!has_action || !has_data) c.fail("a table message needs action and data");
  return m;
}

std::vector<std::pair<std::string, connectors::PerpStats>> parse_instrument_message(std::string_view json) {
  JsonCursor c(json, "bitmex instrument");
  std::vector<std::pair<std::string, connectors::PerpStats>> out;
  std::string_view table;
  c.expect('{');
  do {
    auto key = c.string();
    c.expect(':');
    if (key == "table") {
      table = c.string();
    } else if (key == "data") {
      c.expect('[');
      if (!c.accept(']')) {
        do {
          std::string symbol;
          connectors::PerpStats st;
          c.expect('{');
          if (!c.accept('}')) {
            do {
              auto k = c.string();
              c.expect(':');
              bool null_value = c.peek() == 'n';
              if (null_value) c.skip_value();
              else if (k == "symbol") symbol = c.string();
              else if (k == "markPrice") st.mark = connectors::exact_decimal(c, c.number_text(k), k);
              else if (k == "indicativeSettlePrice") st.index = connectors::exact_decimal(c, c.number_text(k), k);
              else if (k == "fundingRate") st.funding_rate = connectors::exact_decimal(c, c.number_text(k), k);
              else if (k == "fundingTimestamp" && c.peek() == '"')
                st.next_funding_ts_ns = connectors::parse_iso8601_ns(c.string()).value_or(0);
              else if (k == "timestamp" && c.peek() == '"')
                st.exchange_ts_ns = connectors::parse_iso8601_ns(c.string()).value_or(0);
              else c.skip_value();
            } while (c.accept(','));
            c.expect('}');
          }
          if (symbol.empty()) c.fail("each instrument row needs a symbol");
          out.emplace_back(std::move(symbol), std::move(st));
        } while (c.accept(','));
        c.expect(']');
      }
    } else {
      c.skip_value();
    }
  } while (c.accept(','));
  c.expect('}');
  if (!c.at_end()) c.fail("invalid JSON (trailing characters)");
  if (table != "instrument") c.fail("table '" + std::string(table) + "' is not instrument");
  return out;
}

const char* to_string(SyncEvent e) {
  switch (e) {
    case SyncEvent::PartialApplied: return "partial_applied";
    case SyncEvent::Applied: return "applied";
    case SyncEvent::Ignored: return "ignored";
    case SyncEvent::Inconsistent: return "inconsistent";
    case SyncEvent::Crossed: return "crossed";
  }
  return "unknown";
}

void BookSync::reset() {
  live_ = false;
  book_.clear();
  price_of_id_.clear();
}

SyncOutcome BookSync::on_message(const L2Message& m) {
  changed_bids_.clear();
  changed_asks_.clear();
  bool mine = false;
  for (const auto& r : m.rows) mine |= r.symbol == symbol_;
  if (m.action == Action::Partial) {
    // A partial for another symbol (or an empty one for ours) says nothing about our book.
    if (!mine) return {SyncEvent::Ignored, {}};
    reset();
  } else if (!live_) {
    return {SyncEvent::Ignored, "before the partial"};
  }
  if (!mine && m.action != Action::Partial) return {SyncEvent::Ignored, {}};  // empty data, other symbols
  for (const auto& r : m.rows) {
    if (r.symbol != symbol_) continue;
    int64_t price = r.price;
    if (!r.has_price) {
      auto it = price_of_id_.find(r.id);
      if (it == price_of_id_.end()) {
        std::string detail = "row id " + std::to_string(r.id) + " has no price and was never seen";
        reset();
        return {SyncEvent::Inconsistent, std::move(detail)};
      }
      price = it->second;
    }
    // BitMEX has no sequence numbers, so a lost message shows only as a row that contradicts
    // the book: an update or delete of a level we do not have, or an insert of one we do.
    if (m.action != Action::Partial) {
      bool present = book_.qty_at(r.side, price) != 0;
      bool expect_present = m.action != Action::Insert;
      if (present != expect_present) {
        std::string detail = std::string(m.action == Action::Insert ? "insert of a level already in the book"
                                                                    : "update/delete of a level not in the book") +
                             " (" + to_string(r.side) + " at price units " + std::to_string(price) + ")";
        reset();
        return {SyncEvent::Inconsistent, std::move(detail)};
      }
    }
    auto& changed = r.side == Side::Buy ? changed_bids_ : changed_asks_;
    if (m.action == Action::Delete) {
      book_.set(r.side, price, 0);
      price_of_id_.erase(r.id);
      changed.push_back({price, 0});
      continue;
    }
    if (!r.has_size) {
      std::string detail = "row id " + std::to_string(r.id) + " has no size";
      reset();
      return {SyncEvent::Inconsistent, std::move(detail)};
    }
    book_.set(r.side, price, r.size);
    price_of_id_[r.id] = price;
    changed.push_back({price, r.size});
  }
  live_ = true;
  if (book_.crossed()) {
    reset();
    return {SyncEvent::Crossed, "book crossed"};
  }
  return {m.action == Action::Partial ? SyncEvent::PartialApplied : SyncEvent::Applied, {}};
}

}  // namespace aq::bitmex
