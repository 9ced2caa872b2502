#pragma once
// Raw market-data recording shared by every venue: one message per line, prefixed by its
// receive time in nanoseconds and a tab ("1732270000123456789\t{...}"). Replays feed the lines
// back through the same parsing code the live session uses.
#include <cstdint>
#include <fstream>
#include <string>
#include <string_view>

namespace aq::connectors {

class Recorder {
 public:
  // Opens (appends to) `path`; throws std::runtime_error naming the path if it cannot.
  explicit Recorder(const std::string& path);
  void write(int64_t recv_ns, std::string_view raw);
  const std::string& path() const { return path_; }

 private:
  std::string path_;
  std::ofstream out_;
};

// Splits an optional "<digits>\t" receive-time prefix off a recorded line; ts is -1 without one.
std::string_view strip_recorded_time(std::string_view line, int64_t& ts);

}  // namespace aq::connectors
