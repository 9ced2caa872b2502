#include "aqueduct/testing/native_client.hpp"

#include <atomic>
#include <chrono>
#include <cstdlib>

#include "aqueduct/record/database.hpp"

namespace aq::testing {

rfq::NativeCredentials add_native_client(const std::string& db_url, const std::string& client_id,
                                         const rfq::ClientChange& change) {
  ::setenv("AQ_CLIENT_KEY_MASTER", kTestClientKeyMaster, 0);
  auto keys = rfq::ClientKeys::load("AQ_CLIENT_KEY_MASTER", "", false);
  rfq::NativeCredentials c{rfq::ClientKeys::new_key_id(), ""};
  rfq::RfqStore store(record::connect(db_url));
  store.create_client(client_id, "test client " + client_id, c.key_id, change);
  c.secret = keys.secret(c.key_id);
  return c;
}

int64_t unique_now_ms() {
  static std::atomic<int64_t> last{0};
  int64_t now = std::chrono::duration_cast<std::chrono::milliseconds>(
                    std::chrono::system_clock::now().time_since_epoch())
                    .count();
  int64_t prev = last.load();
  int64_t next;
  do {
    next = std::max(now, prev + 1);
  } while (!last.compare_exchange_weak(prev, next));
  return next;
}

Reply NativeClient::call(const std::string& method, const std::string& target,
                         const std::string& body) const {
  auto h = rfq::native_auth_headers(creds, method, target, body, unique_now_ms());
  if (!body.empty()) h.emplace_back("Content-Type", "application/json");
  return http_call(port, method, target, body, h);
}

}  // namespace aq::testing
