#pragma once
// How a position in each kind of instrument turns into exposure, PnL and hedge size
// (shared/domain.md "Contract types", venues.md §6.5 and §8). Pure and exact: amounts are
// fixed-point integers, each result is rounded once, as stated.
//
//   kind     size of one contract (ContractTerms::size)   exposure of N contracts at price P
//   spot     1 base                                       N base
//   linear   size base (Binance 1, OKX ctVal)             N·size base
//   inverse  size quote of face (XBTUSD 1 USD, OKX ctVal) N·size/P base (coin); N·size quote
//   quanto   size settle coin per 1 quote of price        value N·size·P settle coin; base
//            (BitMEX ETHUSD: 0.000001 XBT per USD)        delta N·size·P_settle, where P_settle
//                                                         is the settle coin's price in the
//                                                         quote (USD); plus the settle coin
//                                                         its PnL is paid in.
//
// The instrument's `multiplier` follows its venue: OKX gives ctVal (positive: base per contract
// for linear, quote face for inverse); BitMEX gives the value in the settle coin's minor units
// (XBt = 1e-8 XBT, USDt = 1e-6 USDT), negative for inverse. contract_size() (types) normalises
// both, for hedging here and for the pricer's depth.
#include <cstdint>
#include <string>
#include <string_view>

#include "aqueduct/types/decimal.hpp"
#include "aqueduct/types/instrument.hpp"

namespace aq::hedging {

// Exposure and PnL amounts are at 1e-8 of their asset (kAssetScale), USD at
// 1e-6.
inline constexpr int kAssetScale = 8;
inline constexpr int kUsdScale = 6;

// An exact decimal quantity in kAssetScale units; throws if it has more than 8 decimals.
int64_t to_position_units(const Decimal& qty);

// The one name of an asset across venues: BitMEX's XBT is BTC.
std::string canonical_asset(std::string_view asset);

struct ContractTerms {
  InstrumentKind kind = InstrumentKind::Spot;
  std::string base, quote, settle;  // canonical names
  Decimal size{1, 0};               // see the table above
};

// Throws std::invalid_argument naming the instrument if its multiplier cannot be read (zero,
// or a BitMEX minor unit for an unknown settle coin).
ContractTerms contract_terms(const Instrument& inst);

// The deltas of a position of `qty` (signed instrument qty units) at `price` (instrument price
// units), each at kAssetScale, rounded half-even.
struct PositionDelta {
  std::string base;
  int64_t base_qty = 0;  // the base asset the position moves with
  // Quanto: the position's value in the settle coin, N·size·P (what margin is held against).
  std::string settle;
  int64_t settle_value = 0;
};
// `settle_price`: the settle coin's price in the quote currency, at any scale (quanto only;
// ignored otherwise).
PositionDelta position_delta(const Instrument& inst, int64_t qty, int64_t price,
                             const Decimal& settle_price = {});

// PnL of `qty` (signed) from `entry` to `exit` (instrument price units), in the asset the
// instrument pays it in (`pnl_asset`): quote for spot and linear, settle coin for inverse and
// quanto. At kAssetScale, rounded half-even.
struct Pnl {
  std::string asset;
  int64_t amount = 0;
};
Pnl pnl_of(const Instrument& inst, int64_t qty, int64_t entry, int64_t exit);

// The value of `qty` contracts (signed) at `price` in the asset PnL is paid in (pnl_of's),
// at kAssetScale rounded half-even, defined so that the change in value between two prices is
// the PnL: N·size·P for spot, linear and quanto; −N·face/P for inverse. What a venue's account
// books as a fill's cash (−value) and as a position's worth at its mark (+value).
int64_t settle_value(const Instrument& inst, int64_t qty, int64_t price);

// How many contracts (instrument qty units, rounded toward zero to whole lots) carry a base
// exposure of `base_qty` (kAssetScale, signed): the size of a hedge on this instrument. The
// sign follows base_qty. Inverse needs `price` (instrument units); quanto needs `settle_price`
// (the settle coin in the quote currency).
int64_t contracts_for(const Instrument& inst, int64_t base_qty, int64_t price,
                      const Decimal& settle_price = {});

// Exact product/quotient of decimals at `out_scale`: (Π num) / (Π den), rounded once.
int64_t ratio_at(std::initializer_list<Decimal> num, std::initializer_list<Decimal> den,
                 int out_scale, Rounding mode);

}  // namespace aq::hedging
