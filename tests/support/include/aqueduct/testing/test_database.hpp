#pragma once
// A fresh, migrated PostgreSQL database per test, created inside the cluster that
// AQUEDUCT_DATABASE_URL points at (ops/test starts a private one) and dropped afterwards.
#include <string>

namespace aq::testing {

class TestDatabase {
 public:
  TestDatabase();
  ~TestDatabase();
  TestDatabase(const TestDatabase&) = delete;
  TestDatabase& operator=(const TestDatabase&) = delete;
  const std::string& url() const { return url_; }
  // Runs a query returning one value, as text ("" for NULL).
  std::string scalar(const std::string& sql) const;
  // Waits up to `timeout_ms` for exactly one hedge order of `side` and `qty` (decimal text as
  // stored, e.g. "0.50000") to be filled on its venue.
  bool one_filled_hedge(const std::string& side, const std::string& qty, int timeout_ms) const;

 private:
  std::string admin_url_;
  std::string name_;
  std::string url_;
};

// Replaces the database name in a libpq URL or key=value connection string.
std::string with_database(const std::string& url, const std::string& dbname);

}  // namespace aq::testing
