#include "aqueduct/connectors/binance/replay.hpp"

#include <stdexcept>
#include <thread>

namespace aq::binance {

Recorder::Recorder(const std::string& path) : path_(path), out_(path, std::ios::app) {
  if (!out_) throw std::runtime_error("cannot open record file '" + path + "' for writing");
}

void Recorder::write(int64_t recv_ns, std::string_view raw) {
  out_ << recv_ns << '\t';
  // One message per line: a raw newline inside a message would break the format.
  for (char ch : raw) out_.put(ch == '\n' || ch == '\r' ? ' ' : ch);
  out_.put('\n');
  out_.flush();
}

namespace {
// Splits an optional "<digits>\t" prefix off a line.
std::string_view strip_time(std::string_view line, int64_t& ts) {
  ts = -1;
  auto tab = line.find('\t');
  if (tab == std::string_view::npos || tab == 0) return line;
  int64_t v = 0;
  for (size_t i = 0; i < tab; ++i) {
    if (line[i] < '0' || line[i] > '9') return line;
    v = v * 10 + (line[i] - '0');
  }
  ts = v;
  return line.substr(tab + 1);
}

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
    std::string_view json = strip_time(line, ts);
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
