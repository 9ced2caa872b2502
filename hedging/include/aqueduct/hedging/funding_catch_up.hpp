#pragma once
// Funding that settled while hedging was not running. Live, hedging books a perpetual's
// settlement when the venue announces the next one (hedging_service.cpp); a settlement that
// passes while hedging is down is announced to nobody. After a restart each perpetual position
// held through the gap gets a window, from the last thing booked for it to the restart; the
// venue's public history (through the router) lists what settled in that window, and each
// settlement is booked on the position held through it.
//
// Pure: no I/O and no clock; time is passed in. The position is the one restored at the
// restart, after the orders in flight at the crash were reconciled: hedging alone changes it
// and was not running. (An order resting when hedging stopped that filled during the gap moved
// it at a time the record does not know; the settlements are booked on the restored position.)
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "aqueduct/types/decimal.hpp"

namespace aq::hedging {

class FundingCatchUp {
 public:
  struct Window {
    std::string instrument;  // venue:symbol
    int64_t qty = 0;         // the position held through it, in the instrument's units
    int64_t from_ms = 0;     // inclusive
    int64_t to_ms = 0;       // inclusive
  };
  struct Settlement {
    int64_t at_ms = 0;
    Decimal rate;
  };
  struct Missed {
    std::string instrument;
    int64_t qty = 0;
    int64_t at_ms = 0;
    Decimal rate;
  };

  explicit FundingCatchUp(int64_t retry_ms = 10'000) : retry_ms_(retry_ms) {}

  // A window to ask for (an empty one, from_ms > to_ms, is dropped).
  void open(Window w);
  // The windows to ask for at `now_ms`: never asked, or failed `retry_ms` ago. Each is then
  // waiting for its answer.
  std::vector<Window> due(int64_t now_ms);
  // The venue's answer for `instrument`'s window [from_ms, to_ms]: the settlements in it
  // become missed ones (any outside it are ignored); `full` (the venue may hold more than it
  // sent) asks again for the parts of the window before and after what came. `error` (not
  // empty): asked again `retry_ms` later. Returns what it says, for the log.
  std::string on_answer(const std::string& instrument, int64_t from_ms, int64_t to_ms,
                        const std::vector<Settlement>& page, bool full, const std::string& error,
                        int64_t now_ms);
  // Settlements still to book, oldest first; booked ones are removed with `booked`.
  const std::vector<Missed>& missed() const { return missed_; }
  void booked(const std::string& instrument, int64_t at_ms);
  bool idle() const { return windows_.empty() && missed_.empty(); }

 private:
  struct Pending {
    Window window;
    bool asked = false;
    int64_t retry_at_ms = 0;
    std::string last_error;
  };
  int64_t retry_ms_;
  std::vector<Pending> windows_;
  std::vector<Missed> missed_;
};

}  // namespace aq::hedging
