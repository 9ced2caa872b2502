#pragma once
// Faults scripted ahead of time (from configuration), so that a running network can be put
// through a flash crash, a silent feed or a sequence gap without code: each fault names a
// time after start, a venue, a symbol and what happens. Timed faults (silence, freeze) end
// after their duration. Applying one is a call on the venue's simulator, either kind.
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace aq::sim {

struct ScriptedFault {
  enum class Kind { Gap, Drop, Duplicate, Cross, Silence, Freeze, Jump, Disconnect };
  int64_t at_ms = 0;  // after the simulator starts
  std::string venue;
  std::string symbol;  // not used by Disconnect
  Kind kind = Kind::Gap;
  int64_t bps = 0;          // Jump: the move in basis points (-500 = a 5% crash)
  int64_t duration_ms = 0;  // Silence, Freeze: how long it lasts
};

// "gap", "drop", "duplicate", "cross", "silence", "freeze", "jump", "disconnect".
std::optional<ScriptedFault::Kind> fault_kind(std::string_view name);
const char* to_string(ScriptedFault::Kind k);
inline constexpr const char* kFaultKinds = "gap, drop, duplicate, cross, silence, freeze, jump or disconnect";

// Starts (`begin`) or ends a fault on a simulator (BinanceSim or StreamSim: the same calls).
template <typename Sim>
void apply_fault(Sim& sim, const ScriptedFault& f, bool begin) {
  using K = ScriptedFault::Kind;
  switch (f.kind) {
    case K::Gap: if (begin) sim.inject_gap(f.symbol); break;
    case K::Drop: if (begin) sim.drop_next(f.symbol); break;
    case K::Duplicate: if (begin) sim.duplicate_next(f.symbol); break;
    case K::Cross: if (begin) sim.cross_next(f.symbol); break;
    case K::Silence: sim.set_silent(f.symbol, begin); break;
    case K::Freeze: sim.set_frozen(f.symbol, begin); break;
    case K::Jump: if (begin) sim.jump_bps(f.symbol, f.bps); break;
    case K::Disconnect: if (begin) sim.disconnect_all(); break;
  }
}

}  // namespace aq::sim
