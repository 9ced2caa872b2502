#pragma once
// Replays a recording of a subscription-stream session (one raw message per line, optionally
// prefixed by its receive time and a tab, as Recorder writes) through the venue's dispatcher:
// the same parse and book-sync code the live session runs. Resubscribes and reconnects are
// counted and the affected books dropped, as live; a later snapshot in the file rebuilds them.
#include <cstdint>
#include <istream>

#include "aqueduct/connectors/stream_protocol.hpp"

namespace aq::connectors {

struct StreamReplayResult {
  uint64_t messages = 0;
  uint64_t snapshots = 0;
  uint64_t deltas = 0;
  uint64_t heartbeats = 0;
  uint64_t resubscribes = 0;
  uint64_t reconnects = 0;
  double seconds = 0;  // wall time spent replaying
};

// At full speed, or (realtime) sleeping to reproduce the recorded receive times.
StreamReplayResult replay_stream(std::istream& in, StreamProtocol& protocol, bool realtime = false);

}  // namespace aq::connectors
