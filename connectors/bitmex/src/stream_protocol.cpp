#include "aqueduct/connectors/bitmex/stream_protocol.hpp"

#include <algorithm>

namespace aq::bitmex {

using connectors::StreamEvent;
using Kind = StreamEvent::Kind;

namespace {
std::vector<BookSync> make_books(const std::vector<Instrument>& instruments) {
  std::vector<BookSync> out;
  for (const auto& i : instruments) out.emplace_back(i.symbol);
  return out;
}
}  // namespace

StreamProtocol::StreamProtocol(std::vector<Instrument> instruments)
    : instruments_(std::move(instruments)), books_(make_books(instruments_)), counts_(instruments_.size(), 0) {}

std::string StreamProtocol::frame(const char* op, const std::vector<size_t>& indexes, bool with_instrument) const {
  std::string f = R"({"op":")" + std::string(op) + R"(","args":[)";
  for (size_t k = 0; k < indexes.size(); ++k) {
    if (k) f += ',';
    f += "\"orderBookL2:" + instruments_[indexes[k]].symbol + '"';
    if (with_instrument) f += ",\"instrument:" + instruments_[indexes[k]].symbol + '"';
  }
  return f + "]}";
}

std::vector<std::string> StreamProtocol::subscribe(const std::vector<size_t>& indexes) {
  if (indexes.empty()) return {};
  return {frame("subscribe", indexes, true)};
}

std::vector<std::string> StreamProtocol::unsubscribe(size_t index) { return {frame("unsubscribe", {index}, false)}; }

void StreamProtocol::reset(size_t index) {
  books_[index].reset();
  counts_[index] = 0;
}

void StreamProtocol::on_message(std::string_view text, std::vector<StreamEvent>& out) {
  if (text == "pong") {
    out.push_back(StreamEvent::control(Kind::Pong));
    return;
  }
  auto table = connectors::peek_string_field(text, "table");
  if (table.empty()) {
    auto error = connectors::peek_string_field(text, "error");
    if (!error.empty()) out.push_back(StreamEvent::control(Kind::Refused, "BitMEX error: " + std::string(error)));
    else if (text.find("\"info\"") != std::string_view::npos || text.find("\"success\"") != std::string_view::npos)
      out.push_back(StreamEvent::control(Kind::Info));
    else
      out.push_back(StreamEvent::control(Kind::Reconnect, "unreadable BitMEX message: " + std::string(text.substr(0, 200))));
    return;
  }
  if (table == "instrument") {
    try {
      for (auto& [symbol, st] : parse_instrument_message(text)) {
        for (size_t i = 0; i < instruments_.size(); ++i) {
          if (instruments_[i].symbol != symbol || st.empty()) continue;
          auto ev = StreamEvent::book_event(Kind::PerpStats, i);
          ev.perp = st;
          out.push_back(std::move(ev));
        }
      }
    } catch (const ParseError& e) {
      out.push_back(StreamEvent::control(Kind::Unreadable, std::string("instrument message: ") + e.what()));
    }
    return;
  }
  if (table != "orderBookL2") return;  // other tables are not ours to read here
  // The symbol: from the first data row, or the partial's filter when the data is empty.
  std::string_view symbol;
  if (auto d = text.find("\"data\""); d != std::string_view::npos)
    symbol = connectors::peek_string_field(text.substr(d), "symbol");
  if (symbol.empty())
    if (auto f = text.find("\"filter\""); f != std::string_view::npos)
      symbol = connectors::peek_string_field(text.substr(f), "symbol");
  int found = -1;
  for (size_t i = 0; i < instruments_.size(); ++i)
    if (instruments_[i].symbol == symbol) found = static_cast<int>(i);
  if (found < 0) return;  // empty update, or a symbol we do not follow
  auto idx = static_cast<size_t>(found);
  L2Message m;
  try {
    m = parse_l2_message(text, instruments_[idx]);
  } catch (const ParseError& e) {
    out.push_back(StreamEvent::book_event(Kind::Resubscribe, idx, std::string("unreadable orderBookL2 message: ") + e.what()));
    return;
  }
  auto r = books_[idx].on_message(m);
  StreamEvent e;
  e.index = idx;
  for (const auto& row : m.rows) e.exchange_ts_ns = std::max(e.exchange_ts_ns, row.timestamp_ns);
  switch (r.event) {
    case SyncEvent::PartialApplied:
      counts_[idx] = 1;
      e.kind = Kind::Snapshot;
      e.seq = 1;
      break;
    case SyncEvent::Applied:
      e.kind = Kind::Delta;
      e.prev_seq = counts_[idx]++;
      e.seq = counts_[idx];
      e.bids = books_[idx].changed_bids();
      e.asks = books_[idx].changed_asks();
      break;
    case SyncEvent::Ignored:
      return;
    default:
      counts_[idx] = 0;
      e.kind = Kind::Resubscribe;
      e.detail = std::string(to_string(r.event)) + ": " + r.detail;
  }
  out.push_back(std::move(e));
}

}  // namespace aq::bitmex
