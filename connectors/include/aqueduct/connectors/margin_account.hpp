#pragma once
// A venue's derivatives account as the venue itself reports it: what the margin is worth now
// and how much of it new positions may still use. Hedging plans perp legs against this
// rather than against its own model of the account, which cannot see transfers, fees charged,
// funding settled or a liquidation engine's view.
#include <optional>
#include <string>
#include <string_view>

#include "aqueduct/types/decimal.hpp"

namespace aq::connectors {

// Account figures are held at 8 decimals (satoshis for BitMEX's XBt; venues write USDT
// balances with 8). Finer digits are rounded down: what is available is never overstated.
inline constexpr int kAccountScale = 8;

struct MarginAccount {
  std::string coin;   // what the figures are in: "USDT", "USD" (Bybit's unified total), "BTC"
  Decimal equity;     // margin balance: wallet balance plus unrealized PnL
  Decimal available;  // what new positions may still use (after initial margin held)
};

// A decimal text at kAccountScale, rounded down; nullopt when it is not a number.
inline std::optional<Decimal> account_amount(std::string_view text) {
  auto d = Decimal::parse_natural(text);
  if (!d) return std::nullopt;
  try {
    return d->rescaled(kAccountScale, Rounding::Down);
  } catch (const std::exception&) {
    return std::nullopt;  // beyond 64 bits at 8 decimals: not an amount any account holds
  }
}

}  // namespace aq::connectors
