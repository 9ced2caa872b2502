#pragma once
// A venue's WebSocket book protocol as a pure dispatcher (no I/O, no clock): it builds the
// frames to send (subscribe, unsubscribe, ping) and routes each received message to the right
// instrument's book-sync state machine, reporting what happened as StreamEvents. OKX, Bybit,
// BitMEX and Coinbase each implement it in their own folder (`stream_protocol.cpp`); the one
// I/O shell, StreamSession, runs any of them.
#include <chrono>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "aqueduct/connectors/perp_listener.hpp"
#include "aqueduct/connectors/top_listener.hpp"
#include "aqueduct/types/instrument.hpp"
#include "aqueduct/types/l2_book.hpp"

namespace aq::connectors {

struct StreamEvent {
  enum class Kind {
    Snapshot,     // the instrument's book was (re)built and is live
    Delta,        // levels changed (absolute quantities; 0 removes)
    Heartbeat,    // the venue says the book is unchanged and still in sequence
    Resubscribe,  // the book can no longer be trusted: drop it and ask for a fresh snapshot
    Reconnect,    // the connection itself can no longer be trusted (e.g. a lost message on a
                  // per-connection sequence, a venue's maintenance notice)
    PerpStats,    // mark/index price or funding rate of a perpetual (in `perp`)
    Top,          // the venue's own best bid and offer (in `top`); the book is unaffected
    Pong,         // answer to our application-level ping
    Info,         // acknowledgement, welcome, subscription confirmation: nothing to do
    Refused,      // the venue refused a request (detail says why)
    Unreadable,   // a message that is not book data could not be read; nothing depends on it
  };
  Kind kind = Kind::Info;
  size_t index = 0;  // instrument, for Snapshot/Delta/Heartbeat/Resubscribe
  uint64_t prev_seq = 0;
  uint64_t seq = 0;
  int64_t exchange_ts_ns = 0;
  std::vector<Level> bids;
  std::vector<Level> asks;
  PerpStats perp;
  TopOfBook top;
  std::string detail;

  static StreamEvent control(Kind k, std::string detail = {}) {
    StreamEvent e;
    e.kind = k;
    e.detail = std::move(detail);
    return e;
  }
  static StreamEvent book_event(Kind k, size_t index, std::string detail = {}) {
    StreamEvent e = control(k, std::move(detail));
    e.index = index;
    return e;
  }
};

class StreamProtocol {
 public:
  virtual ~StreamProtocol() = default;
  virtual const char* venue_kind() const = 0;  // "okx", "bybit", ...
  // The WebSocket request target ("/ws/v5/public").
  virtual std::string target() const = 0;
  // Frames that subscribe the given instruments (venues cap arguments per frame).
  virtual std::vector<std::string> subscribe(const std::vector<size_t>& indexes) = 0;
  virtual std::vector<std::string> unsubscribe(size_t index) = 0;
  // Subscribes the instrument's book again after a resync (its other channels stay on).
  virtual std::vector<std::string> subscribe_book(size_t index) { return subscribe({index}); }
  // The application-level ping, sent after `ping_after` without any message.
  virtual std::string ping() = 0;
  virtual std::chrono::milliseconds ping_after() const = 0;
  // Reads one message, updating the books; appends what happened to `out`. Never throws:
  // an unreadable message becomes a Resubscribe (for its instrument when it can be told, or
  // a Reconnect when it cannot).
  virtual void on_message(std::string_view text, std::vector<StreamEvent>& out) = 0;
  virtual void reset(size_t index) = 0;  // forget the book (before resubscribing)
  virtual void reset_connection() {}     // a new connection: per-connection counters restart

  virtual size_t size() const = 0;
  virtual const Instrument& instrument(size_t i) const = 0;
  virtual bool live(size_t i) const = 0;
  virtual L2Book book(size_t i) const = 0;
  virtual uint64_t seq(size_t i) const = 0;
};

}  // namespace aq::connectors

namespace aq::connectors {

// The value of the first string field named `key` anywhere in `json`, without parsing the
// whole message: dispatchers use it to pick the instrument (and so the price scale) before the
// strict parse, which then checks the message in full. Empty when absent.
std::string_view peek_string_field(std::string_view json, std::string_view key);

// Converts levels carrying exact strings to fixed-point levels.
template <typename L>
void to_levels(const std::vector<L>& in, std::vector<Level>& out) {
  out.clear();
  out.reserve(in.size());
  for (const auto& l : in) out.push_back(Level{l.price, l.qty});
}

}  // namespace aq::connectors
