#include "aqueduct/testing/test_database.hpp"

#include "aqueduct/testing/wait.hpp"

#include <atomic>
#include <pqxx/pqxx>
#include <stdexcept>
#include <unistd.h>

#include "aqueduct/net/hmac.hpp"
#include "aqueduct/record/database.hpp"
#include "aqueduct/record/migrations.hpp"

namespace aq::testing {

std::string with_database(const std::string& url, const std::string& dbname) {
  auto scheme = url.find("://");
  if (scheme == std::string::npos) return url + " dbname=" + dbname;  // key=value form
  auto path = url.find('/', scheme + 3);
  auto query = url.find('?', scheme + 3);
  if (path == std::string::npos || (query != std::string::npos && path > query)) {
    // No path: insert one before the query.
    auto at = query == std::string::npos ? url.size() : query;
    return url.substr(0, at) + "/" + dbname + url.substr(at);
  }
  auto end = query == std::string::npos ? url.size() : query;
  return url.substr(0, path + 1) + dbname + url.substr(end);
}

TestDatabase::TestDatabase() {
  admin_url_ = record::database_url_from_env();
  static std::atomic<int> counter{0};
  name_ = "aqt_" + std::to_string(getpid()) + "_" + std::to_string(counter++) + "_" + net::random_hex(3);
  {
    pqxx::connection c(admin_url_);
    pqxx::nontransaction n(c);
    n.exec("CREATE DATABASE " + name_);
  }
  url_ = with_database(admin_url_, name_);
  auto c = record::connect(url_);
  record::migrate(*c);
}

TestDatabase::~TestDatabase() {
  try {
    pqxx::connection c(admin_url_);
    pqxx::nontransaction n(c);
    n.exec("DROP DATABASE IF EXISTS " + name_ + " WITH (FORCE)");
  } catch (...) {
  }
}

std::string TestDatabase::scalar(const std::string& sql) const {
  pqxx::connection c(url_);
  pqxx::nontransaction n(c);
  auto r = n.exec(sql);
  if (r.empty() || r[0][0].is_null()) return "";
  return r[0][0].as<std::string>();
}

bool TestDatabase::one_filled_hedge(const std::string& side, const std::string& qty,
                                    int timeout_ms) const {
  return wait_until(
      [&] {
        return scalar("SELECT count(*) FROM hedge_orders WHERE side = '" + side + "' AND qty = " +
                      qty + " AND status = 'ORDER_FILLED'") == "1";
      },
      std::chrono::milliseconds(timeout_ms));
}

}  // namespace aq::testing
