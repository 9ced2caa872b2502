#include "aqueduct/connectors/bybit/stream_protocol.hpp"

#include <stdexcept>

namespace aq::bybit {

using connectors::StreamEvent;
using Kind = StreamEvent::Kind;

StreamProtocol::StreamProtocol(std::vector<Instrument> instruments, int depth)
    : instruments_(std::move(instruments)), books_(instruments_.size()), tops_(instruments_.size()), depth_(depth) {
  for (const auto& i : instruments_)
    if ((i.kind == InstrumentKind::Spot) != (instruments_.front().kind == InstrumentKind::Spot))
      throw std::invalid_argument("bybit: one connection serves one category; " + i.key() +
                                  " does not match " + instruments_.front().key());
}

std::string StreamProtocol::target() const {
  bool spot = instruments_.empty() || instruments_.front().kind == InstrumentKind::Spot;
  return spot ? "/v5/public/spot" : "/v5/public/linear";
}

std::string StreamProtocol::topic(size_t i) const {
  return "orderbook." + std::to_string(depth_) + "." + instruments_[i].symbol;
}

std::string StreamProtocol::frame(const char* op, const std::vector<std::string>& topics, size_t from, size_t to) {
  std::string f = R"({"req_id":")" + std::to_string(next_id_++) + R"(","op":")" + op + R"(","args":[)";
  for (size_t k = from; k < to; ++k) {
    if (k != from) f += ',';
    f += '"' + topics[k] + '"';
  }
  return f + "]}";
}

std::vector<std::string> StreamProtocol::subscribe(const std::vector<size_t>& indexes) {
  std::vector<std::string> topics;
  for (size_t i : indexes) {
    topics.push_back(topic(i));
    if (depth_ != 1) topics.push_back("orderbook.1." + instruments_[i].symbol);
    if (instruments_[i].kind != InstrumentKind::Spot) topics.push_back("tickers." + instruments_[i].symbol);
  }
  std::vector<std::string> frames;
  for (size_t from = 0; from < topics.size(); from += kMaxArgsPerFrame)
    frames.push_back(frame("subscribe", topics, from, std::min(topics.size(), from + kMaxArgsPerFrame)));
  return frames;
}

std::vector<std::string> StreamProtocol::subscribe_book(size_t index) {
  return {frame("subscribe", {topic(index)}, 0, 1)};
}

std::vector<std::string> StreamProtocol::unsubscribe(size_t index) {
  return {frame("unsubscribe", {topic(index)}, 0, 1)};
}

std::string StreamProtocol::ping() {
  return R"({"req_id":")" + std::to_string(next_id_++) + R"(","op":"ping"})";
}

void StreamProtocol::on_message(std::string_view text, std::vector<StreamEvent>& out) {
  auto t = connectors::peek_string_field(text, "topic");
  if (t.empty()) {
    auto op = connectors::peek_string_field(text, "op");
    bool failed = text.find("\"success\":false") != std::string_view::npos;
    if (failed) {
      out.push_back(StreamEvent::control(Kind::Refused, "Bybit " + std::string(op) + " failed: " +
                               std::string(connectors::peek_string_field(text, "ret_msg"))));
    } else if (op == "pong" || connectors::peek_string_field(text, "ret_msg") == "pong") {
      out.push_back(StreamEvent::control(Kind::Pong));
    } else if (op.empty()) {
      out.push_back(StreamEvent::control(Kind::Reconnect, "unreadable Bybit message: " + std::string(text.substr(0, 200))));
    } else {
      out.push_back(StreamEvent::control(Kind::Info));
    }
    return;
  }
  int found = -1;
  if (t.starts_with("tickers.")) {
    for (size_t i = 0; i < instruments_.size(); ++i)
      if (t.substr(8) == instruments_[i].symbol) found = static_cast<int>(i);
    if (found < 0) return;
    try {
      auto ev = StreamEvent::book_event(Kind::PerpStats, static_cast<size_t>(found));
      ev.perp = parse_ticker(text);
      if (!ev.perp.empty()) out.push_back(std::move(ev));
    } catch (const ParseError& e) {
      out.push_back(StreamEvent::control(Kind::Unreadable, std::string("tickers push: ") + e.what()));
    }
    return;
  }
  if (depth_ != 1 && t.starts_with("orderbook.1.")) {
    for (size_t i = 0; i < instruments_.size(); ++i)
      if (t.substr(12) == instruments_[i].symbol) found = static_cast<int>(i);
    if (found < 0) return;
    auto idx = static_cast<size_t>(found);
    try {
      auto m = parse_book_message(text, instruments_[idx]);
      auto& top = tops_[idx];
      auto side = [&](const std::vector<Level>& levels, Level& best) {
        if (m.type == BookType::Snapshot) best = levels.empty() ? Level{} : levels.front();
        for (const auto& l : levels)
          if (l.qty > 0) best = l;
          else if (l.price == best.price) best = Level{};
      };
      side(m.bids, top.bid);
      side(m.asks, top.ask);
      top.venue_seq = m.update_id;
      top.exchange_ts_ns = m.cts_ms * 1'000'000;
      auto ev = StreamEvent::book_event(Kind::Top, idx);
      ev.top = top;
      out.push_back(std::move(ev));
    } catch (const ParseError& e) {
      out.push_back(StreamEvent::control(Kind::Unreadable, std::string("orderbook.1 push: ") + e.what()));
    }
    return;
  }
  for (size_t i = 0; i < instruments_.size(); ++i)
    if (topic(i) == t) found = static_cast<int>(i);
  if (found < 0) return;  // a topic we do not follow (e.g. late after an unsubscribe)
  auto idx = static_cast<size_t>(found);
  BookMessage m;
  try {
    m = parse_book_message(text, instruments_[idx]);
  } catch (const ParseError& e) {
    out.push_back(StreamEvent::book_event(Kind::Resubscribe, idx, std::string("unreadable orderbook push: ") + e.what()));
    return;
  }
  uint64_t prev = books_[idx].update_id();
  auto r = books_[idx].on_message(m);
  StreamEvent e;
  e.index = idx;
  e.prev_seq = prev;
  e.seq = m.update_id;
  e.exchange_ts_ns = m.cts_ms * 1'000'000;
  switch (r.event) {
    case SyncEvent::SnapshotApplied:
      e.kind = Kind::Snapshot;
      break;
    case SyncEvent::Applied:
      e.kind = Kind::Delta;
      e.bids = std::move(m.bids);
      e.asks = std::move(m.asks);
      break;
    case SyncEvent::Ignored:
      return;
    default:
      e.kind = Kind::Resubscribe;
      e.detail = std::string(to_string(r.event)) + ": " + r.detail;
  }
  out.push_back(std::move(e));
}

}  // namespace aq::bybit
