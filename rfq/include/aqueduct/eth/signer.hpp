#pragma once
// secp256k1 signing of 32-byte digests as Ethereum verifiers expect them: deterministic nonces
// (RFC 6979), low-s, v = 27 + recovery id, r and s as fixed-width 32-byte words. Every
// signature is checked by recovering its signer before it leaves this class.
//
// The maker key is a secret: it is read from a file only its owner can read, or from the
// environment; it has no printing, no copying, and is wiped when dropped.
#include <array>
#include <memory>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>

#include "aqueduct/eth/hex.hpp"
#include "aqueduct/eth/keccak.hpp"

namespace aq::eth {

struct KeyError : std::runtime_error {
  using std::runtime_error::runtime_error;
};
struct SigningError : std::runtime_error {
  using std::runtime_error::runtime_error;
};

struct Signature {
  Hash32 r{};
  Hash32 s{};
  uint8_t v = 27;  // 27 or 28

  std::string r_hex() const { return to_hex0x(r); }
  std::string s_hex() const { return to_hex0x(s); }
  std::string rsv_hex() const;      // 65 bytes r ‖ s ‖ v: Hashflow, Bebop, ParaSwap
  std::string eip2098_hex() const;  // 64 bytes r ‖ (s with bit 255 = recid): 1inch
  static std::optional<Signature> parse_rsv(std::string_view hex);
};

class MakerKey {
 public:
  // A file holding the key as 64 hex digits (0x optional, surrounding whitespace ignored).
  // Refused when the file is group- or world-accessible.
  static MakerKey from_file(const std::string& path);
  // The environment variable `name` holds the key as hex.
  static MakerKey from_env(const char* name);
  static MakerKey from_hex(std::string_view hex);  // tests and tools; `what` names the source

  MakerKey(MakerKey&& o) noexcept;
  MakerKey& operator=(MakerKey&&) = delete;
  MakerKey(const MakerKey&) = delete;
  ~MakerKey();

 private:
  MakerKey() = default;
  static MakerKey parse(std::string_view text, const std::string& what);
  std::array<uint8_t, 32> secret_{};
  friend class Signer;
};

class Signer {
 public:
  explicit Signer(MakerKey key);  // throws KeyError for a key outside the curve order
  ~Signer();
  Signer(const Signer&) = delete;
  Signer& operator=(const Signer&) = delete;

  const Address& address() const { return address_; }
  // Thread-safe: the context is read-only after construction.
  Signature sign(const Hash32& digest) const;

 private:
  struct Context;
  std::unique_ptr<Context> ctx_;
  MakerKey key_;
  Address address_;
};

// The address that signed `digest`, or nullopt for a malformed signature, v other than
// 27/28, or a high s (which 0x and OpenZeppelin reject as malleable).
std::optional<Address> recover(const Hash32& digest, const Signature& sig);

}  // namespace aq::eth
