#pragma once
// On-chain tokens and how aggregators' token pairs map onto listings. A taker names two token
// addresses (what it sells, what it buys); the registry finds the listing whose base and quote
// assets they stand for and the taker's side on it. Amount conversion between token base
// units and listing units is exact, with the rounding direction always chosen by the caller
// (in our favour).
#include <optional>
#include <string>
#include <vector>

#include "aqueduct/eth/hex.hpp"
#include "aqueduct/types/instrument.hpp"
#include "aqueduct/types/uint256.hpp"

namespace aq::rfq {

struct Token {
  std::string symbol;  // "WBTC"
  std::string asset;   // the listing asset it stands for: "BTC"
  eth::Address address;
  unsigned decimals = 18;
  UInt256 floor;  // the maker wallet's balance below which an alert is raised (0: none)
};

struct PairRoute {
  const Listing* listing = nullptr;
  const Token* base = nullptr;
  const Token* quote = nullptr;
  Side taker_side = Side::Buy;  // Buy: the taker sells the quote token for the base token
};

class TokenRegistry {
 public:
  TokenRegistry() = default;
  TokenRegistry(std::vector<Token> tokens, const Universe& universe);
  const Token* by_address(const eth::Address& a) const;
  const Token* by_asset(const std::string& asset) const;
  // The listing and side for a taker selling `sell` for `buy`; nullopt with `why` set when a
  // token is unknown or the two make no listed pair.
  std::optional<PairRoute> route(const eth::Address& sell, const eth::Address& buy,
                                 std::string& why) const;
  const std::vector<Token>& tokens() const { return tokens_; }

 private:
  std::vector<Token> tokens_;
  const Universe* universe_ = nullptr;
};

// Rounding: Down or Up (aq::Rounding); the other modes are treated as Down.
// Token base units -> listing qty units at `qty_scale`, rounded as asked; nullopt if the
// result does not fit int64.
std::optional<int64_t> to_qty_units(const UInt256& base_units, unsigned decimals, int qty_scale,
                                    Rounding r);
// Listing units (qty or price-scaled amounts) -> token base units; nullopt if the token has
// fewer decimals than the scale and the value is not a whole number of base units.
std::optional<UInt256> to_token_units(int64_t units, int scale, unsigned decimals);
// Quote-token base units for `base_units` of the base token at `price` (listing price units).
std::optional<UInt256> quote_for_base(const UInt256& base_units, unsigned base_decimals,
                                      int64_t price, int price_scale, unsigned quote_decimals,
                                      Rounding r);
// Base-token base units that `quote_units` of the quote token buy at `price`.
std::optional<UInt256> base_for_quote(const UInt256& quote_units, unsigned quote_decimals,
                                      int64_t price, int price_scale, unsigned base_decimals,
                                      Rounding r);

}  // namespace aq::rfq
