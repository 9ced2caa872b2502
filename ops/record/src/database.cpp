#include "aqueduct/record/database.hpp"

#include <cstdlib>
#include <regex>
#include <stdexcept>

namespace aq::record {

std::string database_url_from_env() {
  const char* url = std::getenv("AQUEDUCT_DATABASE_URL");
  if (!url || !*url)
    throw std::runtime_error(
        "AQUEDUCT_DATABASE_URL is not set: set it to a PostgreSQL URL "
        "(postgresql://user@host:port/db or postgresql:///db?host=/socket/dir), "
        "or start through ops/run, which starts a private cluster");
  return url;
}

std::string redact(const std::string& url) {
  static const std::regex pw(R"((://[^:/@]+:)[^@]*@)");
  static const std::regex kv(R"((password=)[^&\s]*)");
  return std::regex_replace(std::regex_replace(url, pw, "$1***@"), kv, "$1***");
}

std::unique_ptr<pqxx::connection> connect(const std::string& url) {
  try {
    return std::make_unique<pqxx::connection>(url);
  } catch (const std::exception& e) {
    throw std::runtime_error("cannot connect to PostgreSQL at " + redact(url) + ": " + e.what());
  }
}

}  // namespace aq::record
