#include "aqueduct/connectors/recorder.hpp"

#include <stdexcept>

namespace aq::connectors {

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

std::string_view strip_recorded_time(std::string_view line, int64_t& ts) {
  ts = -1;
  auto tab = line.find('\t');
  if (tab == std::string_view::npos || tab == 0 || tab > 19) return line;
  int64_t v = 0;
  for (size_t i = 0; i < tab; ++i) {
    if (line[i] < '0' || line[i] > '9') return line;
    v = v * 10 + (line[i] - '0');
  }
  ts = v;
  return line.substr(tab + 1);
}

}  // namespace aq::connectors
