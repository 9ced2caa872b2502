#include "aqueduct/eth/signer.hpp"

#include <openssl/crypto.h>
#include <openssl/rand.h>
#include <secp256k1.h>
#include <secp256k1_recovery.h>

#include <cctype>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <sstream>

#include "aqueduct/net/secret_file.hpp"

namespace aq::eth {
namespace {

// n/2 for secp256k1, big-endian: a signature with s above it is "high-s".
constexpr std::array<uint8_t, 32> kHalfOrder = {
    0x7F, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF,
    0x5D, 0x57, 0x6E, 0x73, 0x57, 0xA4, 0x50, 0x1D, 0xDF, 0xE9, 0x2F, 0x46, 0x68, 0x1B, 0x20, 0xA0};

bool high_s(const Hash32& s) {
  return std::lexicographical_compare(kHalfOrder.begin(), kHalfOrder.end(), s.begin(), s.end());
}

// Recovery needs no secret and no blinding: the library's static context serves every thread.
const secp256k1_context* verify_context() {
  static const secp256k1_context* ctx = [] {
    secp256k1_selftest();
    return secp256k1_context_static;
  }();
  return ctx;
}

Address address_of(const secp256k1_context* ctx, const secp256k1_pubkey& pub) {
  uint8_t raw[65];
  size_t len = sizeof raw;
  secp256k1_ec_pubkey_serialize(ctx, raw, &len, &pub, SECP256K1_EC_UNCOMPRESSED);
  Hash32 h = keccak256(std::span<const uint8_t>(raw + 1, 64));
  Address a;
  std::copy(h.begin() + 12, h.end(), a.bytes.begin());
  return a;
}

}  // namespace

std::string Signature::rsv_hex() const {
  std::array<uint8_t, 65> b;
  std::copy(r.begin(), r.end(), b.begin());
  std::copy(s.begin(), s.end(), b.begin() + 32);
  b[64] = v;
  return to_hex0x(b);
}

std::string Signature::eip2098_hex() const {
  std::array<uint8_t, 64> b;
  std::copy(r.begin(), r.end(), b.begin());
  std::copy(s.begin(), s.end(), b.begin() + 32);
  if (v == 28) b[32] |= 0x80;
  return to_hex0x(b);
}

std::optional<Signature> Signature::parse_rsv(std::string_view hex) {
  auto b = parse_hex(hex);
  if (!b || b->size() != 65) return std::nullopt;
  Signature sig;
  std::copy(b->begin(), b->begin() + 32, sig.r.begin());
  std::copy(b->begin() + 32, b->begin() + 64, sig.s.begin());
  sig.v = (*b)[64];
  return sig;
}

MakerKey::MakerKey(MakerKey&& o) noexcept : secret_(o.secret_) {
  OPENSSL_cleanse(o.secret_.data(), o.secret_.size());
}

MakerKey::~MakerKey() {
  OPENSSL_cleanse(secret_.data(), secret_.size());
}

MakerKey MakerKey::parse(std::string_view text, const std::string& what) {
  while (!text.empty() && std::isspace(static_cast<unsigned char>(text.front())))
    text.remove_prefix(1);
  while (!text.empty() && std::isspace(static_cast<unsigned char>(text.back())))
    text.remove_suffix(1);
  MakerKey k;
  auto bytes = parse_hex(text);
  bool ok = bytes && bytes->size() == 32;
  if (ok) std::copy(bytes->begin(), bytes->end(), k.secret_.begin());
  if (bytes) OPENSSL_cleanse(bytes->data(), bytes->size());
  // The message describes the shape only; the text itself is never repeated.
  if (!ok)
    throw KeyError(what +
                   " does not hold a secp256k1 private key: expected 64 hex digits "
                   "(optionally 0x-prefixed)");
  return k;
}

MakerKey MakerKey::from_hex(std::string_view hex) {
  return parse(hex, "the given key");
}

MakerKey MakerKey::from_env(const char* name) {
  const char* v = std::getenv(name);
  if (!v || !*v) throw KeyError(std::string("environment variable ") + name + " is not set");
  return parse(v, std::string("environment variable ") + name);
}

MakerKey MakerKey::from_file(const std::string& path) {
  std::string text;
  try {
    text = net::read_owner_only_file(path, "maker key file", 256);
  } catch (const net::SecretFileError& e) {
    throw KeyError(e.what());
  }
  auto k = parse(text, "maker key file " + path);
  OPENSSL_cleanse(text.data(), text.size());
  return k;
}

struct Signer::Context {
  secp256k1_context* ctx = nullptr;
  ~Context() {
    if (ctx) secp256k1_context_destroy(ctx);
  }
};

Signer::Signer(MakerKey key) : ctx_(std::make_unique<Context>()), key_(std::move(key)) {
  ctx_->ctx = secp256k1_context_create(SECP256K1_CONTEXT_NONE);
  // Blinding against side channels in the signing multiplication.
  std::array<uint8_t, 32> seed;
  if (RAND_bytes(seed.data(), static_cast<int>(seed.size())) != 1 ||
      !secp256k1_context_randomize(ctx_->ctx, seed.data()))
    throw KeyError("cannot seed the signing context from the system's random source");
  if (!secp256k1_ec_seckey_verify(ctx_->ctx, key_.secret_.data()))
    throw KeyError(
        "the maker key is not a valid secp256k1 private key (zero or not below the curve order)");
  secp256k1_pubkey pub;
  if (!secp256k1_ec_pubkey_create(ctx_->ctx, &pub, key_.secret_.data()))
    throw KeyError("cannot derive the maker's public key");
  address_ = address_of(ctx_->ctx, pub);
}

Signer::~Signer() = default;

Signature Signer::sign(const Hash32& digest) const {
  secp256k1_ecdsa_recoverable_signature rs;
  // Default nonce function: RFC 6979, so a digest always gets the same signature.
  if (!secp256k1_ecdsa_sign_recoverable(ctx_->ctx, &rs, digest.data(), key_.secret_.data(), nullptr,
                                        nullptr))
    throw SigningError("secp256k1 refused to sign the digest");
  uint8_t compact[64];
  int recid = 0;
  secp256k1_ecdsa_recoverable_signature_serialize_compact(ctx_->ctx, compact, &recid, &rs);
  Signature sig;
  std::copy(compact, compact + 32, sig.r.begin());
  std::copy(compact + 32, compact + 64, sig.s.begin());
  // libsecp256k1 already emits low-s; this only guards the invariant the verifiers enforce.
  if (high_s(sig.s)) throw SigningError("secp256k1 produced a high-s signature");
  sig.v = static_cast<uint8_t>(27 + recid);
  auto who = recover(digest, sig);
  if (!who || *who != address_)
    throw SigningError("signature self-check failed: it does not recover to the maker address " +
                       address_.to_hex());
  return sig;
}

std::optional<Address> recover(const Hash32& digest, const Signature& sig) {
  if (sig.v != 27 && sig.v != 28) return std::nullopt;
  if (high_s(sig.s)) return std::nullopt;
  const auto* ctx = verify_context();
  uint8_t compact[64];
  std::copy(sig.r.begin(), sig.r.end(), compact);
  std::copy(sig.s.begin(), sig.s.end(), compact + 32);
  secp256k1_ecdsa_recoverable_signature rs;
  if (!secp256k1_ecdsa_recoverable_signature_parse_compact(ctx, &rs, compact, sig.v - 27))
    return std::nullopt;
  secp256k1_pubkey pub;
  if (!secp256k1_ecdsa_recover(ctx, &pub, &rs, digest.data())) return std::nullopt;
  return address_of(ctx, pub);
}

}  // namespace aq::eth
