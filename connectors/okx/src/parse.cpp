#include "aqueduct/connectors/okx/parse.hpp"

#include <algorithm>

#include "aqueduct/connectors/json_cursor.hpp"
#include "aqueduct/connectors/levels.hpp"

namespace aq::okx {

using connectors::JsonCursor;

namespace {

void read_levels(JsonCursor& c, const Instrument& inst, std::vector<BookLevel>& out) {
  out.clear();
  c.expect('[');
  if (c.accept(']')) return;
  do {
    if (!c.accept('[')) c.fail("each level must be [\"price\",\"size\",\"0\",\"orders\"]");
    BookLevel l;
    for (int field = 0;; ++field) {
      if (c.peek() != '"') c.fail("level fields must be strings");
      auto text = c.string();
      if (field == 0) l.price_text = text;
      if (field == 1) l.qty_text = text;
      if (!c.accept(',')) break;
    }
    c.expect(']');
    if (l.qty_text.empty()) c.fail("each level needs at least a price and a size");
    l.price = connectors::price_units(c, l.price_text, inst);
    l.qty = connectors::size_units(c, l.qty_text, inst);
    out.push_back(std::move(l));
  } while (c.accept(','));
  c.expect(']');
}

// A push's "arg": {"channel": ..., "instId": ...}.
void read_arg(JsonCursor& c, std::string_view& channel, std::string_view* inst_id) {
  c.expect('{');
  do {
    auto k = c.string();
    c.expect(':');
    if (k == "channel")
      channel = c.string();
    else if (k == "instId" && inst_id)
      *inst_id = c.string();
    else
      c.skip_value();
  } while (c.accept(','));
  c.expect('}');
}

void read_data(JsonCursor& c, const Instrument& inst, BookMessage& m) {
  c.expect('{');
  bool seq = false, prev = false;
  if (!c.accept('}')) {
    do {
      auto key = c.string();
      c.expect(':');
      if (key == "asks")
        read_levels(c, inst, m.asks);
      else if (key == "bids")
        read_levels(c, inst, m.bids);
      else if (key == "ts") {
        m.ts_ms = connectors::millis_text(c, c.string(), "ts");
      } else if (key == "checksum")
        m.checksum = c.int64(key);
      else if (key == "prevSeqId") {
        m.prev_seq_id = c.int64(key);
        prev = true;
      } else if (key == "seqId") {
        m.seq_id = c.int64(key);
        seq = true;
      } else
        c.skip_value();
    } while (c.accept(','));
    c.expect('}');
  }
  if (!seq || !prev) c.fail("data needs seqId and prevSeqId");
}

// Reads a whole push {"arg":{...},"data":[{...}]} whose data holds exactly one entry, calling
// `field(key)` for each key of that entry (it must consume the value). Returns the channel.
template <typename Field>
std::string_view read_single_entry_push(JsonCursor& c, std::string_view what, Field field) {
  std::string_view channel;
  bool has_data = false;
  c.expect('{');
  do {
    auto key = c.string();
    c.expect(':');
    if (key == "arg") {
      read_arg(c, channel, nullptr);
    } else if (key == "data") {
      c.expect('[');
      c.expect('{');
      do {
        auto k = c.string();
        c.expect(':');
        field(k);
      } while (c.accept(','));
      c.expect('}');
      if (!c.accept(']')) c.fail(std::string(what) + " data must hold exactly one entry");
      has_data = true;
    } else {
      c.skip_value();
    }
  } while (c.accept(','));
  c.expect('}');
  if (!c.at_end()) c.fail("invalid JSON (trailing characters)");
  if (!has_data) c.fail("a " + std::string(what) + " push needs data");
  return channel;
}

}  // namespace

BookMessage parse_book_message(std::string_view json, const Instrument& inst) {
  JsonCursor c(json, "okx books");
  BookMessage m;
  bool has_action = false, has_data = false;
  c.expect('{');
  do {
    auto key = c.string();
    c.expect(':');
    if (key == "arg") {
      std::string_view channel, inst_id;
      read_arg(c, channel, &inst_id);
      m.channel = channel;
      m.inst_id = inst_id;
    } else if (key == "action") {
      auto a = c.string();
      if (a == "snapshot")
        m.action = BookAction::Snapshot;
      else if (a == "update")
        m.action = BookAction::Update;
      else
        c.fail("action must be snapshot or update");
      has_action = true;
    } else if (key == "data") {
      c.expect('[');
      read_data(c, inst, m);
      if (!c.accept(']')) c.fail("data must hold exactly one book");
      has_data = true;
    } else {
      c.skip_value();
    }
  } while (c.accept(','));
  c.expect('}');
  if (!c.at_end()) c.fail("invalid JSON (trailing characters)");
  if (!has_action || !has_data) c.fail("not a books push (needs action and data)");
  if (m.channel != "books") c.fail("channel '" + m.channel + "' is not books");
  return m;
}

connectors::PerpStats parse_perp_push(std::string_view json) {
  JsonCursor c(json, "okx perp push");
  connectors::PerpStats st;
  auto channel = read_single_entry_push(c, "perp", [&](std::string_view k) {
    if (k == "markPx")
      st.mark = connectors::exact_decimal(c, c.string(), k);
    else if (k == "idxPx")
      st.index = connectors::exact_decimal(c, c.string(), k);
    else if (k == "fundingRate")
      st.funding_rate = connectors::exact_decimal(c, c.string(), k);
    else if (k == "fundingTime")
      st.next_funding_ts_ns = connectors::millis_text(c, c.string(), k) * 1'000'000;
    else if (k == "ts")
      st.exchange_ts_ns = connectors::millis_text(c, c.string(), k) * 1'000'000;
    else
      c.skip_value();
  });
  if (channel != "mark-price" && channel != "funding-rate" && channel != "index-tickers")
    c.fail("channel '" + std::string(channel) +
           "' is not mark-price, funding-rate or index-tickers");
  if (st.empty()) c.fail("the push carries none of markPx, idxPx and fundingRate");
  return st;
}

std::string index_of(const Instrument& swap) {
  if (!swap.base.empty() && !swap.quote.empty()) return swap.base + "-" + swap.quote;
  auto dash = swap.symbol.rfind('-');
  return dash == std::string::npos ? swap.symbol : swap.symbol.substr(0, dash);
}

std::string format_book_message(const BookMessage& m) {
  auto levels = [](const std::vector<BookLevel>& ls) {
    std::string s = "[";
    for (size_t i = 0; i < ls.size(); ++i) {
      if (i) s += ',';
      s += "[\"" + ls[i].price_text + "\",\"" + ls[i].qty_text + "\",\"0\",\"1\"]";
    }
    return s + "]";
  };
  return R"({"arg":{"channel":")" + m.channel + R"(","instId":")" + m.inst_id + R"("},"action":")" +
         (m.action == BookAction::Snapshot ? "snapshot" : "update") + R"(","data":[{"asks":)" +
         levels(m.asks) + R"(,"bids":)" + levels(m.bids) + R"(,"ts":")" + std::to_string(m.ts_ms) +
         R"(","checksum":)" + std::to_string(m.checksum) + R"(,"prevSeqId":)" +
         std::to_string(m.prev_seq_id) + R"(,"seqId":)" + std::to_string(m.seq_id) + "}]}";
}

connectors::TopOfBook parse_bbo(std::string_view json, const Instrument& inst) {
  JsonCursor c(json, "okx bbo-tbt");
  connectors::TopOfBook t;
  std::vector<BookLevel> bids, asks;
  auto channel = read_single_entry_push(c, "bbo-tbt", [&](std::string_view k) {
    if (k == "asks")
      read_levels(c, inst, asks);
    else if (k == "bids")
      read_levels(c, inst, bids);
    else if (k == "ts")
      t.exchange_ts_ns = connectors::millis_text(c, c.string(), "ts") * 1'000'000;
    else if (k == "seqId")
      t.venue_seq = static_cast<uint64_t>(std::max<int64_t>(0, c.int64(k)));
    else
      c.skip_value();
  });
  if (channel != "bbo-tbt") c.fail("channel '" + std::string(channel) + "' is not bbo-tbt");
  if (bids.size() > 1 || asks.size() > 1) c.fail("bbo-tbt carries at most one level a side");
  if (!bids.empty()) t.bid = Level{bids[0].price, bids[0].qty};
  if (!asks.empty()) t.ask = Level{asks[0].price, asks[0].qty};
  return t;
}

}  // namespace aq::okx
