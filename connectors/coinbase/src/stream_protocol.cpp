#include "aqueduct/connectors/coinbase/stream_protocol.hpp"

namespace aq::coinbase {

using connectors::StreamEvent;
using Kind = StreamEvent::Kind;

StreamProtocol::StreamProtocol(std::vector<Instrument> instruments)
    : instruments_(std::move(instruments)), books_(instruments_.size()), counts_(instruments_.size(), 0) {
  lookup_ = [this](std::string_view product, size_t& index) -> const Instrument* {
    for (size_t i = 0; i < instruments_.size(); ++i)
      if (instruments_[i].symbol == product) {
        index = i;
        return &instruments_[i];
      }
    return nullptr;
  };
}

void StreamProtocol::reset_connection() {
  heartbeats_ = false;
  have_seq_ = false;
  last_seq_ = 0;
}

std::string StreamProtocol::frame(const char* type, const std::vector<size_t>& indexes) const {
  std::string f = R"({"type":")" + std::string(type) + R"(","product_ids":[)";
  for (size_t k = 0; k < indexes.size(); ++k) {
    if (k) f += ',';
    f += '"' + instruments_[indexes[k]].symbol + '"';
  }
  return f + R"(],"channel":"level2"})";
}

std::vector<std::string> StreamProtocol::subscribe(const std::vector<size_t>& indexes) {
  std::vector<std::string> frames;
  if (!heartbeats_) {
    frames.emplace_back(R"({"type":"subscribe","channel":"heartbeats"})");
    heartbeats_ = true;
  }
  if (!indexes.empty()) frames.push_back(frame("subscribe", indexes));
  return frames;
}

std::vector<std::string> StreamProtocol::unsubscribe(size_t index) { return {frame("unsubscribe", {index})}; }

void StreamProtocol::on_message(std::string_view text, std::vector<StreamEvent>& out) {
  Message m;
  try {
    m = parse_message(text, lookup_);
  } catch (const ParseError& e) {
    // The product cannot be trusted to be known, so none of the books can be.
    out.push_back(StreamEvent::control(Kind::Reconnect, std::string("unreadable message: ") + e.what()));
    return;
  }
  if (have_seq_ && m.sequence_num != last_seq_ + 1) {
    std::string detail = "sequence_num " + std::to_string(m.sequence_num) + " after " + std::to_string(last_seq_);
    last_seq_ = m.sequence_num;
    for (size_t i = 0; i < instruments_.size(); ++i) {
      books_[i].reset();
      out.push_back(StreamEvent::book_event(Kind::Resubscribe, i, detail));
    }
    return;  // this message may depend on what was lost
  }
  have_seq_ = true;
  last_seq_ = m.sequence_num;
  if (m.channel == "error") {
    out.push_back(StreamEvent::control(Kind::Refused, "Coinbase error: " + std::string(text.substr(0, 200))));
    return;
  }
  if (m.channel != "l2_data") {
    out.push_back(StreamEvent::control(m.channel == "heartbeats" ? Kind::Pong : Kind::Info));
    return;
  }
  for (auto& ev : m.events) {
    auto i = ev.index;
    auto r = books_[i].on_event(ev);
    StreamEvent e;
    e.index = i;
    e.exchange_ts_ns = m.timestamp_ns;
    switch (r) {
      case SyncEvent::SnapshotApplied:
        counts_[i] = 1;
        e.kind = Kind::Snapshot;
        e.seq = 1;
        break;
      case SyncEvent::Applied:
        e.kind = Kind::Delta;
        e.prev_seq = counts_[i]++;
        e.seq = counts_[i];
        e.bids = std::move(ev.bids);
        e.asks = std::move(ev.asks);
        break;
      case SyncEvent::Ignored:
        continue;
      case SyncEvent::Crossed:
        counts_[i] = 0;
        e.kind = Kind::Resubscribe;
        e.detail = "crossed book";
        break;
    }
    out.push_back(std::move(e));
  }
}

}  // namespace aq::coinbase
