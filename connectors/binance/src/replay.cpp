#include "aqueduct/connectors/binance/replay.hpp"

#include <stdexcept>
#include <thread>

namespace aq::binance {

namespace {
bool is_snapshot(std::string_view json) { return json.find("\"lastUpdateId\"") != std::string_view::npos; }
}  // namespace

ReplayResult replay(std::istream& in, const Instrument& inst, bool realtime) {
  ReplayResult r;
  std::string line;
  DepthUpdate u;
  uint64_t line_no = 0;
  int64_t first_ts = -1;
  auto wall_start = std::chrono::steady_clock::now();
  while (std::getline(in, line)) {
    ++line_no;
    if (line.empty()) continue;
    int64_t ts;
    std::string_view json = connectors::strip_recorded_time(line, ts);
    if (realtime && ts >= 0) {
      if (first_ts < 0) first_ts = ts;
      std::this_thread::sleep_until(wall_start + std::chrono::nanoseconds(ts - first_ts));
    }
    try {
      if (is_snapshot(json)) {
        ++r.snapshots;
        r.sync.reset_keep_buffer();
        auto out = r.sync.on_snapshot(parse_depth_snapshot(json, inst));
        if (out.needs_snapshot()) ++r.gaps;
        continue;
      }
      parse_depth_update(json, inst, u);
    } catch (const ParseError& e) {
      throw ParseError("line " + std::to_string(line_no) + ": " + e.what());
    }
    ++r.messages;
    auto out = r.sync.on_update(u);
    if (out.event == SyncEvent::Applied) ++r.applied;
    else if (out.event == SyncEvent::Ignored) ++r.ignored;
    else if (out.needs_snapshot()) ++r.gaps;
  }
  r.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - wall_start).count();
  return r;
}

}  // namespace aq::binance
