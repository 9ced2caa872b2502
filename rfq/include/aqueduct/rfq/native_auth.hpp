#pragma once
// Authentication of the native takers' API: every /v1 request (and the WebSocket upgrade) is
// signed with the client's secret.
//
//   X-AQ-KEY        the client's key id ("ak_…", public)
//   X-AQ-TS         unix time in milliseconds when the request was signed
//   X-AQ-SIGNATURE  lower-case hex HMAC-SHA256(secret, ts "\n" METHOD "\n" target "\n" body)
//                   where target is the path with its query string, exactly as sent
//
// A request is refused when its timestamp is outside the window around the server's clock
// (default ±5 s) or when its signature was seen before inside that window (a replay: two
// identical requests must differ in X-AQ-TS).
//
// Secrets are derived: secret = "as_" hex HMAC-SHA256(master, key id). The database stores
// key ids only, so a copy of it cannot sign requests; the master secret lives in a file
// readable by its owner only (or the environment). Pure: time is passed in.
#include <chrono>
#include <cstdint>
#include <deque>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_set>
#include <utility>
#include <vector>

#include "aqueduct/rfq/refusal.hpp"

namespace aq::rfq {

inline constexpr std::string_view kKeyHeader = "X-AQ-KEY";
inline constexpr std::string_view kTimestampHeader = "X-AQ-TS";
inline constexpr std::string_view kSignatureHeader = "X-AQ-SIGNATURE";

class ClientKeys {
 public:
  // `master`: at least 32 characters of secret material.
  explicit ClientKeys(std::string master);
  ClientKeys(const ClientKeys&) = delete;
  ClientKeys& operator=(const ClientKeys&) = delete;
  ClientKeys(ClientKeys&&) = default;
  ~ClientKeys();

  // The master secret from the environment variable `env_name` when set, else from `file`
  // (owner-only); when neither exists and `create` is set, a new random master is written to
  // `file` with mode 0600. Throws with the reason otherwise.
  static ClientKeys load(const std::string& env_name, const std::string& file, bool create);

  static std::string new_key_id();  // "ak_" and 24 random hex digits
  std::string secret(std::string_view key_id) const;

 private:
  std::string master_;
};

std::string native_signature(std::string_view secret, std::string_view timestamp_ms,
                             std::string_view method, std::string_view target,
                             std::string_view body);

// A client's side: the three headers for one request, signed at `now_ms` (unix ms).
struct NativeCredentials {
  std::string key_id, secret;
};
std::vector<std::pair<std::string, std::string>> native_auth_headers(const NativeCredentials& c,
                                                                     std::string_view method,
                                                                     std::string_view target,
                                                                     std::string_view body,
                                                                     int64_t now_ms);

struct SignedRequest {
  std::string_view key_id, timestamp_ms, signature;
  std::string_view method, target, body;
};

// Checks signatures, timestamps and replays. One per gateway; not thread-safe.
class RequestVerifier {
 public:
  RequestVerifier(const ClientKeys& keys, std::chrono::milliseconds window);
  // Nothing when the request is authentic, fresh and new (its signature is then remembered);
  // otherwise the refusal (code "unauthorized", "stale_timestamp" or "replayed_request").
  // Call only for a key id that belongs to an active client.
  std::optional<Refusal> verify(const SignedRequest& r, int64_t now_ns);
  size_t remembered() const { return seen_.size(); }

 private:
  struct Seen {
    uint64_t a, b;
    bool operator==(const Seen&) const = default;
  };
  struct SeenHash {
    size_t operator()(const Seen& s) const { return s.a ^ (s.b * 0x9E3779B97F4A7C15ULL); }
  };
  void forget_before(int64_t now_ns);

  const ClientKeys& keys_;
  int64_t window_ns_;
  std::unordered_set<Seen, SeenHash> seen_;
  std::deque<std::pair<int64_t, Seen>> expiry_;  // in insertion (= now) order
};

}  // namespace aq::rfq
