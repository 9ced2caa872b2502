#pragma once
// A 256-bit unsigned integer for on-chain amounts in base units (wei, 10^-6 USDC, ...).
// Only what token amounts need: exact add/sub/mul with overflow detection, division by a
// small divisor, comparison, and decimal/hex conversion.
#include <array>
#include <compare>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace aq {

class UInt256 {
 public:
  constexpr UInt256() = default;
  constexpr UInt256(uint64_t v) : limbs_{v, 0, 0, 0} {}  // NOLINT: implicit by design

  static std::optional<UInt256> from_decimal(std::string_view s);
  static std::optional<UInt256> from_hex(std::string_view s);  // with or without 0x
  // 10^n for n in [0, 77].
  static UInt256 pow10(unsigned n);
  static UInt256 max();

  std::string to_decimal() const;
  std::string to_hex() const;  // 0x-prefixed, no leading zeros ("0x0" for zero)
  // Big-endian 32 bytes, as ABI encoding and EIP-712 want them.
  std::array<uint8_t, 32> to_be_bytes() const;
  static UInt256 from_be_bytes(const std::array<uint8_t, 32>& b);

  bool is_zero() const { return (limbs_[0] | limbs_[1] | limbs_[2] | limbs_[3]) == 0; }
  uint64_t limb(int i) const { return limbs_[static_cast<size_t>(i)]; }

  // Each returns nullopt on overflow/underflow instead of wrapping.
  std::optional<UInt256> checked_add(const UInt256& o) const;
  std::optional<UInt256> checked_sub(const UInt256& o) const;
  std::optional<UInt256> checked_mul(const UInt256& o) const;
  // Quotient (and remainder) by any divisor; nullopt for division by zero.
  std::optional<UInt256> checked_div(const UInt256& d, UInt256* remainder = nullptr) const;
  // Quotient and remainder by a non-zero 64-bit divisor.
  UInt256 div_small(uint64_t d, uint64_t* remainder = nullptr) const;

  friend bool operator==(const UInt256&, const UInt256&) = default;
  friend std::strong_ordering operator<=>(const UInt256& a, const UInt256& b);

 private:
  std::array<uint64_t, 4> limbs_{};  // little-endian limbs
};

struct Decimal;
// Converts a human token amount (e.g. "1.5" USDC) to base units given the token's decimals;
// refuses negatives and amounts with more precision than the token has.
std::optional<UInt256> to_base_units(const Decimal& amount, unsigned token_decimals);

}  // namespace aq
