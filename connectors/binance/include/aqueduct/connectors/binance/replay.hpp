#pragma once
// Record and replay of Binance depth streams. The file format is one message per line: the
// REST snapshot JSON first, then one depthUpdate JSON per line, each optionally prefixed by
// its receive time in nanoseconds and a tab ("1732270000123456789\t{...}"). The recorder
// writes that format; replay feeds the lines through the same parser and BookSync as the live
// connector.
#include <chrono>
#include <cstdint>
#include <fstream>
#include <istream>
#include <string>
#include <string_view>

#include "aqueduct/connectors/binance/book_sync.hpp"
#include "aqueduct/connectors/recorder.hpp"

namespace aq::binance {

using Recorder = connectors::Recorder;

struct ReplayResult {
  uint64_t messages = 0;   // depthUpdate lines read
  uint64_t applied = 0;
  uint64_t ignored = 0;
  uint64_t gaps = 0;       // breaks in the U/u chain (the book is rebuilt from the next snapshot line, if any)
  uint64_t snapshots = 0;
  double seconds = 0;      // wall time spent replaying
  BookSync sync;
};

// Replays at full speed, or (realtime) sleeping to reproduce the recorded receive times.
// Throws ParseError with the line number on a malformed line.
ReplayResult replay(std::istream& in, const Instrument& inst, bool realtime = false);

}  // namespace aq::binance
