#include "aqueduct/connectors/okx/stream_protocol.hpp"

namespace aq::okx {

using connectors::StreamEvent;
using Kind = StreamEvent::Kind;

StreamProtocol::StreamProtocol(std::vector<Instrument> instruments)
    : instruments_(std::move(instruments)), books_(instruments_.size()) {}

std::string StreamProtocol::frame(const char* op, const std::vector<size_t>& indexes, bool all_channels) {
  // `id` (≤ 32 alphanumerics) is echoed in the acknowledgement and in errors.
  std::string f = R"({"id":")" + std::to_string(next_id_++) + R"(","op":")" + op + R"(","args":[)";
  bool first = true;
  auto arg = [&](const char* channel, const std::string& inst_id) {
    if (!first) f += ',';
    first = false;
    f += R"({"channel":")" + std::string(channel) + R"(","instId":")" + inst_id + "\"}";
  };
  for (size_t i : indexes) {
    const auto& inst = instruments_[i];
    arg("books", inst.symbol);
    if (all_channels) arg("bbo-tbt", inst.symbol);
    if (all_channels && inst.kind != InstrumentKind::Spot) {  // a perpetual's mark, funding and index
      arg("mark-price", inst.symbol);
      arg("funding-rate", inst.symbol);
      arg("index-tickers", index_of(inst));
    }
  }
  return f + "]}";
}

std::vector<std::string> StreamProtocol::subscribe(const std::vector<size_t>& indexes) {
  if (indexes.empty()) return {};
  return {frame("subscribe", indexes, true)};
}

std::vector<std::string> StreamProtocol::subscribe_book(size_t index) { return {frame("subscribe", {index}, false)}; }

std::vector<std::string> StreamProtocol::unsubscribe(size_t index) {
  return {frame("unsubscribe", {index}, false)};
}

int StreamProtocol::find(std::string_view inst_id) const {
  for (size_t i = 0; i < instruments_.size(); ++i)
    if (instruments_[i].symbol == inst_id) return static_cast<int>(i);
  return -1;
}

void StreamProtocol::on_message(std::string_view text, std::vector<StreamEvent>& out) {
  if (text == "pong") {
    out.push_back(StreamEvent::control(Kind::Pong));
    return;
  }
  auto event = connectors::peek_string_field(text, "event");
  if (!event.empty() && text.find("\"action\"") == std::string_view::npos) {
    if (event == "error") {
      out.push_back(StreamEvent::control(Kind::Refused, "OKX error " + std::string(connectors::peek_string_field(text, "code")) +
                               ": " + std::string(connectors::peek_string_field(text, "msg"))));
    } else if (event == "notice") {
      // 64008: "The connection will soon be closed for a service upgrade" — move now.
      out.push_back(StreamEvent::control(Kind::Reconnect, "OKX notice " + std::string(connectors::peek_string_field(text, "code")) +
                               ": " + std::string(connectors::peek_string_field(text, "msg"))));
    } else {
      out.push_back(StreamEvent::control(Kind::Info));  // subscribe/unsubscribe acknowledgements
    }
    return;
  }
  auto inst_id = connectors::peek_string_field(text, "instId");
  if (connectors::peek_string_field(text, "channel") == "index-tickers") {
    // An index is named by its underlying ("BTC-USDT"), which may also be a spot instrument's
    // name: it belongs to every perpetual that follows it, never to a book.
    connectors::PerpStats st;
    try {
      st = parse_perp_push(text);
    } catch (const ParseError& e) {
      out.push_back(StreamEvent::control(Kind::Unreadable, std::string("index-tickers push: ") + e.what()));
      return;
    }
    for (size_t k = 0; k < instruments_.size(); ++k)
      if (instruments_[k].kind != InstrumentKind::Spot && index_of(instruments_[k]) == inst_id) {
        auto ev = StreamEvent::book_event(Kind::PerpStats, k);
        ev.perp = st;
        out.push_back(std::move(ev));
      }
    return;
  }
  int i = find(inst_id);
  if (i < 0) {
    // A push for an instrument we do not follow cannot hurt our books; a message we cannot
    // attribute at all might have been for any of them.
    if (inst_id.empty())
      out.push_back(StreamEvent::control(Kind::Reconnect, "OKX message without instId: " + std::string(text.substr(0, 200))));
    return;
  }
  auto idx = static_cast<size_t>(i);
  auto channel = connectors::peek_string_field(text, "channel");
  if (channel == "mark-price" || channel == "funding-rate") {
    try {
      auto ev = StreamEvent::book_event(Kind::PerpStats, idx);
      ev.perp = parse_perp_push(text);
      out.push_back(std::move(ev));
    } catch (const ParseError& e) {
      // Not book data: the book stays trusted; the stats are simply not updated.
      out.push_back(StreamEvent::control(Kind::Unreadable, std::string(channel) + " push: " + e.what()));
    }
    return;
  }
  if (channel == "bbo-tbt") {
    try {
      auto ev = StreamEvent::book_event(Kind::Top, idx);
      ev.top = parse_bbo(text, instruments_[idx]);
      out.push_back(std::move(ev));
    } catch (const ParseError& e) {
      out.push_back(StreamEvent::control(Kind::Unreadable, std::string("bbo-tbt push: ") + e.what()));
    }
    return;
  }
  BookMessage m;
  try {
    m = parse_book_message(text, instruments_[idx]);
  } catch (const ParseError& e) {
    out.push_back(StreamEvent::book_event(Kind::Resubscribe, idx, std::string("unreadable books push: ") + e.what()));
    return;
  }
  if (m.inst_id != inst_id) {
    out.push_back(StreamEvent::book_event(Kind::Resubscribe, idx, "books push names two instruments"));
    return;
  }
  bool was_live = books_[idx].live();
  int64_t prev = books_[idx].seq_id();
  auto r = books_[idx].on_message(m);
  StreamEvent e;
  e.index = idx;
  e.prev_seq = static_cast<uint64_t>(prev);
  e.seq = static_cast<uint64_t>(m.seq_id);
  e.exchange_ts_ns = m.ts_ms * 1'000'000;
  switch (r.event) {
    case SyncEvent::SnapshotApplied:
      e.kind = Kind::Snapshot;
      break;
    case SyncEvent::Applied:
      e.kind = was_live ? Kind::Delta : Kind::Snapshot;
      connectors::to_levels(m.bids, e.bids);
      connectors::to_levels(m.asks, e.asks);
      break;
    case SyncEvent::Heartbeat:
      e.kind = Kind::Heartbeat;
      break;
    case SyncEvent::Ignored:
      return;
    default:
      e.kind = Kind::Resubscribe;
      e.detail = std::string(to_string(r.event)) + ": " + r.detail;
  }
  out.push_back(std::move(e));
}

}  // namespace aq::okx
