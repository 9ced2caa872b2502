#include "aqueduct/connectors/stream_protocol.hpp"

namespace aq::connectors {

std::string_view peek_string_field(std::string_view json, std::string_view key) {
  size_t from = 0;
  while (true) {
    auto pos = json.find(key, from);
    if (pos == std::string_view::npos) return {};
    from = pos + key.size();
    if (pos == 0 || json[pos - 1] != '"' || from >= json.size() || json[from] != '"') continue;
    size_t p = from + 1;
    while (p < json.size() && (json[p] == ' ' || json[p] == '\t')) ++p;
    if (p >= json.size() || json[p] != ':') continue;
    ++p;
    while (p < json.size() && (json[p] == ' ' || json[p] == '\t')) ++p;
    if (p >= json.size() || json[p] != '"') continue;
    auto end = json.find('"', p + 1);
    if (end == std::string_view::npos) return {};
    return json.substr(p + 1, end - p - 1);
  }
}

}  // namespace aq::connectors
