#pragma once
// Hex text for on-chain values: fixed-width, 0x-prefixed, lower-case on output (short r/s
// hex is a classic cause of rejected signatures); strict on input.
#include <array>
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "aqueduct/eth/keccak.hpp"

namespace aq::eth {

std::string to_hex0x(std::span<const uint8_t> bytes);
// Exactly 2*N hex digits after an optional 0x; anything else is nullopt.
std::optional<std::vector<uint8_t>> parse_hex(std::string_view text);
std::optional<Hash32> parse_bytes32(std::string_view text);

// A 20-byte account or contract address.
struct Address {
  std::array<uint8_t, 20> bytes{};

  // Accepts 0x + 40 hex digits. Mixed case must be a valid EIP-55 checksum (a typo in a
  // checksummed address is refused rather than sent money to); all-lower or all-upper is
  // taken as unchecksummed.
  static std::optional<Address> parse(std::string_view text);
  std::string to_hex() const;       // lower case, as 0x's and Hashflow's JSON carry it
  std::string to_checksum() const;  // EIP-55
  bool is_zero() const;
  friend bool operator==(const Address&, const Address&) = default;
  friend auto operator<=>(const Address&, const Address&) = default;
};

}  // namespace aq::eth
