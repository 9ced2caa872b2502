#pragma once
// A simulated venue's derivatives account, as its account endpoint reports it: the collateral
// deposited, plus every derivatives fill's cash and fee, plus the open positions valued at
// their marks; less the initial margin those positions hold. Pure: the fills and the marks are
// passed in, and what a contract is worth is a model passed in too (the network gives the
// hedging library's contract math, so the simulator and hedging agree on every kind).
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "aqueduct/connectors/margin_account.hpp"
#include "aqueduct/types/instrument.hpp"

namespace aq::sim {

// The value in the settle coin (at connectors::kAccountScale) of `qty` contracts (signed,
// instrument qty units) at `price` (instrument price units), defined so that holding the
// position from one price to another earns exactly the difference in value: q·size·P for
// spot, linear and quanto; −q·face/P for inverse.
using ContractValue = std::function<int64_t(const Instrument& inst, int64_t qty, int64_t price)>;

struct SimMarginTerms {
  std::string coin;                      // the account's margin coin: USDT, USD, BTC
  Decimal collateral;                    // deposited, in `coin`
  int64_t initial_margin_ppm = 100'000;  // of each position's value at its mark (10x)
  ContractValue value;
};

struct AccountFill {
  const Instrument* inst = nullptr;
  Side side = Side::Buy;
  int64_t price = 0;  // price units
  int64_t qty = 0;    // qty units, > 0
  bool maker = false;
};

// The account now. Fills on spot instruments are not part of it; every derivative of the
// venue is taken to settle in the account's coin (one margin account per simulated venue). `mark`
// gives an instrument's mark (price units); nullopt for an open position's instrument makes the
// whole account unknown (nullopt), as a venue without a mark cannot value it either.
std::optional<connectors::MarginAccount> margin_account(
    const SimMarginTerms& terms, const std::vector<AccountFill>& fills,
    const std::function<std::optional<int64_t>(const Instrument&)>& mark);

}  // namespace aq::sim
