#include "aqueduct/sim/fault_script.hpp"

namespace aq::sim {

namespace {
constexpr std::pair<std::string_view, ScriptedFault::Kind> kNames[] = {
    {"gap", ScriptedFault::Kind::Gap},         {"drop", ScriptedFault::Kind::Drop},
    {"duplicate", ScriptedFault::Kind::Duplicate}, {"cross", ScriptedFault::Kind::Cross},
    {"silence", ScriptedFault::Kind::Silence}, {"freeze", ScriptedFault::Kind::Freeze},
    {"jump", ScriptedFault::Kind::Jump},       {"disconnect", ScriptedFault::Kind::Disconnect}};
}  // namespace

std::optional<ScriptedFault::Kind> fault_kind(std::string_view name) {
  for (const auto& [n, k] : kNames)
    if (n == name) return k;
  return std::nullopt;
}

const char* to_string(ScriptedFault::Kind k) {
  for (const auto& [n, kind] : kNames)
    if (kind == k) return n.data();
  return "?";
}

}  // namespace aq::sim
