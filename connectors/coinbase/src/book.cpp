#include "aqueduct/connectors/coinbase/book.hpp"

#include "aqueduct/connectors/json_cursor.hpp"
#include "aqueduct/connectors/levels.hpp"
#include "aqueduct/connectors/time_text.hpp"

namespace aq::coinbase {

using connectors::JsonCursor;

namespace {

void read_updates(JsonCursor& c, const Instrument* inst, L2Event& e) {
  c.expect('[');
  if (c.accept(']')) return;
  do {
    c.expect('{');
    std::string_view side, price, qty;
    if (!c.accept('}')) {
      do {
        auto k = c.string();
        c.expect(':');
        if (k == "side") side = c.string();
        else if (k == "price_level") price = c.string();
        else if (k == "new_quantity") qty = c.string();
        else c.skip_value();
      } while (c.accept(','));
      c.expect('}');
    }
    if (!inst) continue;  // a product we do not follow: checked for shape only
    if (side.empty() || price.empty() || qty.empty())
      c.fail("each update needs side, price_level and new_quantity");
    Level l{connectors::price_units(c, price, *inst), connectors::size_units(c, qty, *inst, "new_quantity")};
    if (side == "bid") e.bids.push_back(l);
    else if (side == "offer") e.asks.push_back(l);
    else c.fail("side '" + std::string(side) + "' is neither bid nor offer");
  } while (c.accept(','));
  c.expect(']');
}

void read_events(JsonCursor& c, const ProductLookup& lookup, Message& m) {
  c.expect('[');
  if (c.accept(']')) return;
  do {
    if (m.channel != "l2_data") {
      c.skip_value();
      continue;
    }
    // Fields may come in any order, but updates need the product's scales: read type and
    // product_id first when they lead (as Coinbase sends them); otherwise refuse.
    c.expect('{');
    L2Event e;
    bool has_type = false;
    const Instrument* inst = nullptr;
    bool resolved = false;
    if (!c.accept('}')) {
      do {
        auto k = c.string();
        c.expect(':');
        if (k == "type") {
          auto t = c.string();
          if (t == "snapshot") e.type = EventType::Snapshot;
          else if (t == "update") e.type = EventType::Update;
          else c.fail("event type '" + std::string(t) + "' is neither snapshot nor update");
          has_type = true;
        } else if (k == "product_id") {
          e.product_id = c.string();
          inst = lookup(e.product_id, e.index);
          resolved = true;
        } else if (k == "updates") {
          if (!resolved) c.fail("updates must follow product_id");
          read_updates(c, inst, e);
        } else {
          c.skip_value();
        }
      } while (c.accept(','));
      c.expect('}');
    }
    if (!has_type || !resolved) c.fail("each l2_data event needs type and product_id");
    if (inst) m.events.push_back(std::move(e));
  } while (c.accept(','));
  c.expect(']');
}

}  // namespace

Message parse_message(std::string_view json, const ProductLookup& lookup) {
  JsonCursor c(json, "coinbase message");
  Message m;
  bool has_seq = false;
  c.expect('{');
  // `channel` leads in Coinbase messages; events are decoded only once it is known.
  do {
    auto key = c.string();
    c.expect(':');
    if (key == "channel") m.channel = c.string();
    else if (key == "sequence_num") {
      m.sequence_num = c.uint(key);
      has_seq = true;
    } else if (key == "timestamp") {
      auto t = c.string();
      auto ns = connectors::parse_iso8601_ns(t);
      if (!ns) c.fail("timestamp '" + std::string(t) + "' is not ISO-8601 UTC");
      m.timestamp_ns = *ns;
    } else if (key == "events") {
      if (m.channel.empty()) c.fail("channel must precede events");
      read_events(c, lookup, m);
    } else {
      c.skip_value();
    }
  } while (c.accept(','));
  c.expect('}');
  if (!c.at_end()) c.fail("invalid JSON (trailing characters)");
  if (m.channel.empty() || !has_seq) c.fail("a message needs channel and sequence_num");
  return m;
}

const char* to_string(SyncEvent e) {
  switch (e) {
    case SyncEvent::SnapshotApplied: return "snapshot_applied";
    case SyncEvent::Applied: return "applied";
    case SyncEvent::Ignored: return "ignored";
    case SyncEvent::Crossed: return "crossed";
  }
  return "unknown";
}

void BookSync::reset() {
  live_ = false;
  book_.clear();
}

SyncEvent BookSync::on_event(const L2Event& e) {
  if (e.type == EventType::Snapshot) reset();
  else if (!live_) return SyncEvent::Ignored;
  for (const auto& l : e.bids) book_.set(Side::Buy, l.price, l.qty);
  for (const auto& l : e.asks) book_.set(Side::Sell, l.price, l.qty);
  live_ = true;
  if (book_.crossed()) {
    reset();
    return SyncEvent::Crossed;
  }
  return e.type == EventType::Snapshot ? SyncEvent::SnapshotApplied : SyncEvent::Applied;
}

}  // namespace aq::coinbase
