#pragma once
// Keccak-256 as Ethereum uses it: the original Keccak padding (0x01), not FIPS-202 SHA3-256
// (0x06). Everything on-chain — EIP-712 digests, addresses, EIP-55 checksums — hashes with it.
#include <array>
#include <cstddef>
#include <cstdint>
#include <span>
#include <string_view>

namespace aq::eth {

using Hash32 = std::array<uint8_t, 32>;

// Incremental hashing, for payloads assembled from parts (EIP-712 encodeData, packed ABI).
class Keccak256 {
 public:
  Keccak256& update(std::span<const uint8_t> data);
  Keccak256& update(std::string_view text) {
    return update({reinterpret_cast<const uint8_t*>(text.data()), text.size()});
  }
  Hash32 finish();

 private:
  static constexpr size_t kRate = 136;  // bytes: 1600 - 2*256 bits
  std::array<uint64_t, 25> state_{};
  std::array<uint8_t, kRate> block_{};
  size_t fill_ = 0;
  void absorb_block();
};

Hash32 keccak256(std::span<const uint8_t> data);
Hash32 keccak256(std::string_view text);

}  // namespace aq::eth
