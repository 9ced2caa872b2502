#include "aqueduct/connectors/stream_replay.hpp"

#include <chrono>
#include <string>
#include <thread>

#include "aqueduct/connectors/recorder.hpp"

namespace aq::connectors {

StreamReplayResult replay_stream(std::istream& in, StreamProtocol& protocol, bool realtime) {
  StreamReplayResult r;
  std::string line;
  std::vector<StreamEvent> events;
  int64_t first_ts = -1;
  auto start = std::chrono::steady_clock::now();
  while (std::getline(in, line)) {
    if (line.empty()) continue;
    int64_t ts = -1;
    auto text = strip_recorded_time(line, ts);
    if (realtime && ts >= 0) {
      if (first_ts < 0) first_ts = ts;
      std::this_thread::sleep_until(start + std::chrono::nanoseconds(ts - first_ts));
    }
    ++r.messages;
    events.clear();
    protocol.on_message(text, events);
    for (const auto& e : events) {
      switch (e.kind) {
        case StreamEvent::Kind::Snapshot: ++r.snapshots; break;
        case StreamEvent::Kind::Delta: ++r.deltas; break;
        case StreamEvent::Kind::Heartbeat: ++r.heartbeats; break;
        case StreamEvent::Kind::Resubscribe:
          ++r.resubscribes;
          protocol.reset(e.index);
          break;
        case StreamEvent::Kind::Reconnect:
          ++r.reconnects;
          protocol.reset_connection();
          for (size_t i = 0; i < protocol.size(); ++i) protocol.reset(i);
          break;
        default: break;
      }
    }
  }
  r.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  return r;
}

}  // namespace aq::connectors
