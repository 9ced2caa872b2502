#include "aqueduct/net/hmac.hpp"

#include <openssl/core_names.h>
#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <openssl/params.h>
#include <openssl/rand.h>
#include <openssl/sha.h>

#include <stdexcept>
#include <vector>

namespace aq::net {

namespace {
// The MAC contexts of the last few keys this thread signed with, keyed once: an order is
// signed with the same secret every time, and keying (with OpenSSL 3 fetching the algorithm
// by name) costs more than the MAC itself, and much more when the caches are cold.
class KeyedMacs {
 public:
  ~KeyedMacs() {
    // The thread is ending: its secrets leave memory with it (EVP_MAC_CTX_free cleanses the
    // context's own copy of the key).
    for (auto& e : entries_) {
      EVP_MAC_CTX_free(e.ctx);
      OPENSSL_cleanse(e.key.data(), e.key.size());
    }
    EVP_MAC_free(mac_);
  }
  // A context ready for update with this key; null if OpenSSL cannot provide one.
  EVP_MAC_CTX* ready(std::string_view key) {
    for (auto& e : entries_)
      if (e.key == key) return EVP_MAC_init(e.ctx, nullptr, 0, nullptr) == 1 ? e.ctx : nullptr;
    if (!mac_ && !(mac_ = EVP_MAC_fetch(nullptr, "HMAC", nullptr))) return nullptr;
    EVP_MAC_CTX* ctx = EVP_MAC_CTX_new(mac_);
    char digest[] = "SHA256";
    OSSL_PARAM params[] = {OSSL_PARAM_construct_utf8_string(OSSL_MAC_PARAM_DIGEST, digest, 0),
                           OSSL_PARAM_construct_end()};
    if (!ctx || EVP_MAC_init(ctx, reinterpret_cast<const unsigned char*>(key.data()), key.size(),
                             params) != 1) {
      EVP_MAC_CTX_free(ctx);
      return nullptr;
    }
    if (entries_.size() == kKeys) {
      EVP_MAC_CTX_free(entries_.front().ctx);
      OPENSSL_cleanse(entries_.front().key.data(), entries_.front().key.size());
      entries_.erase(entries_.begin());
    }
    entries_.push_back({std::string(key), ctx});
    return ctx;
  }

 private:
  static constexpr size_t kKeys = 8;
  struct Entry {
    std::string key;
    EVP_MAC_CTX* ctx;
  };
  EVP_MAC* mac_ = nullptr;
  std::vector<Entry> entries_;
};
}  // namespace

std::array<uint8_t, 32> hmac_sha256(std::string_view key, std::string_view payload) {
  std::array<uint8_t, 32> out{};
  thread_local KeyedMacs macs;
  if (EVP_MAC_CTX* ctx = macs.ready(key)) {
    size_t n = 0;
    if (EVP_MAC_update(ctx, reinterpret_cast<const unsigned char*>(payload.data()),
                       payload.size()) == 1 &&
        EVP_MAC_final(ctx, out.data(), &n, out.size()) == 1 && n == out.size())
      return out;
  }
  unsigned int len = 0;
  if (!HMAC(EVP_sha256(), key.data(), static_cast<int>(key.size()),
            reinterpret_cast<const unsigned char*>(payload.data()), payload.size(), out.data(),
            &len) ||
      len != out.size())
    throw std::runtime_error("HMAC-SHA256 failed");
  return out;
}

std::string to_hex(const uint8_t* data, size_t n) {
  static constexpr char kHex[] = "0123456789abcdef";
  std::string s(n * 2, '0');
  for (size_t i = 0; i < n; ++i) {
    s[2 * i] = kHex[data[i] >> 4];
    s[2 * i + 1] = kHex[data[i] & 0xF];
  }
  return s;
}

std::string hmac_sha256_hex(std::string_view key, std::string_view payload) {
  auto mac = hmac_sha256(key, payload);
  return to_hex(mac.data(), mac.size());
}

std::string base64(const uint8_t* data, size_t n) {
  std::string out(4 * ((n + 2) / 3), '\0');
  int len =
      EVP_EncodeBlock(reinterpret_cast<unsigned char*>(out.data()), data, static_cast<int>(n));
  out.resize(static_cast<size_t>(len));
  return out;
}

std::string hmac_sha256_base64(std::string_view key, std::string_view payload) {
  auto mac = hmac_sha256(key, payload);
  return base64(mac.data(), mac.size());
}

bool constant_time_equal(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  return CRYPTO_memcmp(a.data(), b.data(), a.size()) == 0;
}

namespace {
// One digest context per thread, fetched and allocated once: the one-shot SHA256() looks the
// algorithm up by name on every call, and EVP_Digest allocates and frees a context each time;
// either costs more than hashing a short id (hedge order ids are derived on the fill's hot
// path). Re-initialised with the same digest, the context keeps its provider state.
class Sha256Context {
 public:
  Sha256Context() : md_(EVP_MD_fetch(nullptr, "SHA2-256", nullptr)), ctx_(EVP_MD_CTX_new()) {}
  ~Sha256Context() {
    EVP_MD_CTX_free(ctx_);
    EVP_MD_free(md_);
  }
  Sha256Context(const Sha256Context&) = delete;
  Sha256Context& operator=(const Sha256Context&) = delete;
  bool digest(std::string_view data, unsigned char (&out)[SHA256_DIGEST_LENGTH]) {
    unsigned int n = 0;
    return md_ && ctx_ && EVP_DigestInit_ex2(ctx_, md_, nullptr) == 1 &&
           EVP_DigestUpdate(ctx_, data.data(), data.size()) == 1 &&
           EVP_DigestFinal_ex(ctx_, out, &n) == 1 && n == SHA256_DIGEST_LENGTH;
  }

 private:
  EVP_MD* md_;
  EVP_MD_CTX* ctx_;
};
}  // namespace

std::string sha256_hex(std::string_view data) {
  unsigned char out[SHA256_DIGEST_LENGTH];
  thread_local Sha256Context sha;
  if (!sha.digest(data, out))
    SHA256(reinterpret_cast<const unsigned char*>(data.data()), data.size(), out);
  return to_hex(out, sizeof out);
}

std::string random_hex(size_t n_bytes) {
  std::vector<uint8_t> buf(n_bytes);
  if (RAND_bytes(buf.data(), static_cast<int>(buf.size())) != 1)
    throw std::runtime_error("no randomness available from OpenSSL");
  return to_hex(buf.data(), buf.size());
}

}  // namespace aq::net
