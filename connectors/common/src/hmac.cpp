#include "aqueduct/net/hmac.hpp"

#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <openssl/rand.h>
#include <openssl/sha.h>

#include <stdexcept>
#include <vector>

namespace aq::net {

std::array<uint8_t, 32> hmac_sha256(std::string_view key, std::string_view payload) {
  std::array<uint8_t, 32> out{};
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
  int len = EVP_EncodeBlock(reinterpret_cast<unsigned char*>(out.data()), data, static_cast<int>(n));
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

std::string sha256_hex(std::string_view data) {
  unsigned char out[SHA256_DIGEST_LENGTH];
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
