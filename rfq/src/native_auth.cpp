#include "aqueduct/rfq/native_auth.hpp"

#include <openssl/crypto.h>

#include <charconv>
#include <cstdlib>
#include <cstring>
#include <filesystem>

#include "aqueduct/net/hmac.hpp"
#include "aqueduct/net/secret_file.hpp"

namespace aq::rfq {

namespace {

std::string trim(std::string s) {
  while (!s.empty() && (s.back() == '\n' || s.back() == '\r' || s.back() == ' ')) s.pop_back();
  return s;
}

bool lower_hex(std::string_view s) {
  for (char c : s)
    if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) return false;
  return true;
}

uint64_t word_at(const std::string& hex, size_t at) {
  uint64_t v = 0;
  std::from_chars(hex.data() + at, hex.data() + at + 16, v, 16);
  return v;
}

}  // namespace

ClientKeys::ClientKeys(std::string master) : master_(std::move(master)) {
  if (master_.size() < 32)
    throw std::invalid_argument("the client-key master secret has " +
                                std::to_string(master_.size()) +
                                " characters; at least 32 are required");
}

ClientKeys::~ClientKeys() {
  if (!master_.empty()) OPENSSL_cleanse(master_.data(), master_.size());
}

ClientKeys ClientKeys::load(const std::string& env_name, const std::string& file, bool create) {
  if (const char* v = env_name.empty() ? nullptr : std::getenv(env_name.c_str()); v && *v)
    return ClientKeys(trim(v));
  if (file.empty())
    throw std::invalid_argument("no client-key master secret: set " + env_name +
                                " or rfq.client_key_master_file");
  if (create) {
    auto dir = std::filesystem::path(file).parent_path();
    if (!dir.empty()) std::filesystem::create_directories(dir);
    net::create_owner_only_file(file, net::random_hex(32) + "\n", "client-key master file");
  }
  return ClientKeys(trim(net::read_owner_only_file(file, "client-key master file", 1024)));
}

std::string ClientKeys::new_key_id() {
  return "ak_" + net::random_hex(12);
}

std::string ClientKeys::secret(std::string_view key_id) const {
  return "as_" + net::hmac_sha256_hex(master_, key_id);
}

std::string native_signature(std::string_view secret, std::string_view timestamp_ms,
                             std::string_view method, std::string_view target,
                             std::string_view body) {
  std::string payload;
  payload.reserve(timestamp_ms.size() + method.size() + target.size() + body.size() + 3);
  payload.append(timestamp_ms).append("\n").append(method).append("\n").append(target);
  payload.append("\n").append(body);
  return net::hmac_sha256_hex(secret, payload);
}

std::vector<std::pair<std::string, std::string>> native_auth_headers(const NativeCredentials& c,
                                                                     std::string_view method,
                                                                     std::string_view target,
                                                                     std::string_view body,
                                                                     int64_t now_ms) {
  std::string ts = std::to_string(now_ms);
  return {{std::string(kKeyHeader), c.key_id},
          {std::string(kTimestampHeader), ts},
          {std::string(kSignatureHeader), native_signature(c.secret, ts, method, target, body)}};
}

RequestVerifier::RequestVerifier(const ClientKeys& keys, std::chrono::milliseconds window)
    : keys_(keys), window_ns_(window.count() * 1'000'000) {}

void RequestVerifier::forget_before(int64_t now_ns) {
  while (!expiry_.empty() && expiry_.front().first < now_ns) {
    seen_.erase(expiry_.front().second);
    expiry_.pop_front();
  }
}

std::optional<Refusal> RequestVerifier::verify(const SignedRequest& r, int64_t now_ns) {
  if (r.key_id.empty() || r.timestamp_ms.empty() || r.signature.empty())
    return Refusal{"unauthorized",
                   "missing authentication: send X-AQ-KEY (your key id), X-AQ-TS (unix ms) and "
                   "X-AQ-SIGNATURE (hex HMAC-SHA256 of ts\\nMETHOD\\ntarget\\nbody with your "
                   "secret)",
                   false};
  int64_t ts_ms = 0;
  auto [end, ec] =
      std::from_chars(r.timestamp_ms.data(), r.timestamp_ms.data() + r.timestamp_ms.size(), ts_ms);
  if (ec != std::errc() || end != r.timestamp_ms.data() + r.timestamp_ms.size() ||
      r.timestamp_ms.size() > 15 || ts_ms <= 0)
    return Refusal{"unauthorized",
                   "X-AQ-TS must be the unix time in milliseconds as a decimal integer", false};
  if (r.signature.size() != 64 || !lower_hex(r.signature))
    return Refusal{"unauthorized", "X-AQ-SIGNATURE must be 64 lower-case hex digits", false};
  int64_t skew_ns = ts_ms * 1'000'000 - now_ns;
  if (skew_ns > window_ns_ || -skew_ns > window_ns_)
    return Refusal{"stale_timestamp",
                   "X-AQ-TS " + std::string(r.timestamp_ms) + " is " +
                       std::to_string(skew_ns / 1'000'000) +
                       " ms from the server's clock; allowed: within ±" +
                       std::to_string(window_ns_ / 1'000'000) + " ms (sync your clock)",
                   false};
  std::string secret = keys_.secret(r.key_id);
  std::string expected = native_signature(secret, r.timestamp_ms, r.method, r.target, r.body);
  OPENSSL_cleanse(secret.data(), secret.size());
  if (!net::constant_time_equal(expected, r.signature))
    return Refusal{"unauthorized",
                   "X-AQ-SIGNATURE does not match this request for key " + std::string(r.key_id) +
                       "; sign ts\\nMETHOD\\ntarget\\nbody exactly as sent, with your secret",
                   false};
  forget_before(now_ns);
  Seen s{word_at(expected, 0), word_at(expected, 16)};
  if (!seen_.insert(s).second)
    return Refusal{"replayed_request",
                   "this exact signed request was already received; every request needs a new "
                   "X-AQ-TS (and a new signature)",
                   false};
  // ts ≤ now + window, so after now + 2·window the timestamp check refuses it by itself.
  expiry_.emplace_back(now_ns + 2 * window_ns_, s);
  return std::nullopt;
}

}  // namespace aq::rfq
