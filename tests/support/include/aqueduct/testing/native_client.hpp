#pragma once
// A native-API client for tests: created in the record under a fresh key id, it signs every
// call (X-AQ-KEY / X-AQ-TS / X-AQ-SIGNATURE) with a timestamp that never repeats, so two
// identical calls are two requests rather than a replay.
#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include "aqueduct/rfq/native_auth.hpp"
#include "aqueduct/rfq/rfq_store.hpp"
#include "aqueduct/testing/http.hpp"

namespace aq::testing {

// The master secret every test process signs under (ctest sets it too; see tests/CMakeLists).
inline constexpr const char* kTestClientKeyMaster = "test-only-client-key-master-7f3a9c1e5b2d4086";

// Creates a native client in the database at `db_url` and returns its credentials.
rfq::NativeCredentials add_native_client(const std::string& db_url, const std::string& client_id,
                                         const rfq::ClientChange& change = {});

// A unix-ms timestamp strictly above every one this process returned before.
int64_t unique_now_ms();

struct NativeClient {
  uint16_t port = 0;
  rfq::NativeCredentials creds;
  Reply call(const std::string& method, const std::string& target,
             const std::string& body = "") const;
  Reply post(const std::string& target, const std::string& body) const {
    return call("POST", target, body);
  }
  Reply get(const std::string& target) const { return call("GET", target); }
};

}  // namespace aq::testing
