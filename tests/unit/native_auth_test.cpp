// The native API's request signing (rfq/native_auth.hpp): the payload and HMAC match an
// independent implementation (openssl dgst), secrets derive from the master, and the verifier
// refuses bad signatures, stale timestamps and replays.
#include <doctest/doctest.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>

#include "aqueduct/rfq/native_auth.hpp"
#include "aqueduct/testing/temp_dir.hpp"

using namespace aq;
using namespace aq::rfq;
using namespace std::chrono_literals;

namespace {

constexpr const char* kMaster = "test-only-client-key-master-7f3a9c1e5b2d4086";
constexpr int64_t kNowMs = 1'767'225'600'000;  // 2026-01-01T00:00:00Z
constexpr int64_t kNowNs = kNowMs * 1'000'000;
const std::string kBody = R"({"listing":"BTC-USDT","side":"buy","qty":"0.5"})";

}  // namespace

TEST_CASE("the signature and the derived secret match openssl's HMAC-SHA256") {
  // printf '1767225600000\nPOST\n/v1/quote\n{"listing":...}' | openssl dgst -sha256 -hmac
  // as_5f0c0ffee
  CHECK(native_signature("as_5f0c0ffee", "1767225600000", "POST", "/v1/quote", kBody) ==
        "4340b5f581c3481a1d5e79280cb074af1684e61baa8ee1d883b3d8b8450727e2");
  // printf 'ak_0123456789abcdef01234567' | openssl dgst -sha256 -hmac <master>
  ClientKeys keys(kMaster);
  CHECK(keys.secret("ak_0123456789abcdef01234567") ==
        "as_1e29b151bf3d7299c92ea09936a58a06a8c3ac7156530d35fe1e3d9c4d033807");
  auto id = ClientKeys::new_key_id();
  CHECK(id.size() == 27);
  CHECK(id.rfind("ak_", 0) == 0);
  CHECK(id != ClientKeys::new_key_id());
  CHECK_THROWS_WITH_AS(ClientKeys("short"), doctest::Contains("at least 32"),
                       std::invalid_argument);
}

TEST_CASE("the verifier takes an authentic request once and refuses everything else") {
  ClientKeys keys(kMaster);
  RequestVerifier v(keys, 5000ms);
  const std::string key = "ak_0123456789abcdef01234567";
  NativeCredentials creds{key, keys.secret(key)};
  auto signed_at = [&](int64_t ts_ms, std::string body = kBody, std::string target = "/v1/quote") {
    auto h = native_auth_headers(creds, "POST", target, body, ts_ms);
    return std::make_tuple(h[0].second, h[1].second, h[2].second);
  };
  auto verify = [&](const std::string& k, const std::string& ts, const std::string& sig,
                    const std::string& body, const std::string& target, int64_t now_ns) {
    return v.verify({k, ts, sig, "POST", target, body}, now_ns);
  };

  auto [k, ts, sig] = signed_at(kNowMs);
  CHECK(k == key);
  CHECK_FALSE(verify(k, ts, sig, kBody, "/v1/quote", kNowNs).has_value());
  CHECK(v.remembered() == 1);

  SUBCASE("the same request again is a replay") {
    auto r = verify(k, ts, sig, kBody, "/v1/quote", kNowNs + 1'000'000);
    REQUIRE(r);
    CHECK(r->code == "replayed_request");
  }
  SUBCASE("a changed body, target or method no longer matches") {
    auto r =
        verify(k, ts, sig, R"({"listing":"BTC-USDT","side":"buy","qty":"5"})", "/v1/quote", kNowNs);
    REQUIRE(r);
    CHECK(r->code == "unauthorized");
    CHECK(r->message.find("does not match") != std::string::npos);
    CHECK(verify(k, ts, sig, kBody, "/v1/accept", kNowNs)->code == "unauthorized");
    CHECK(v.verify({k, ts, sig, "PUT", "/v1/quote", kBody}, kNowNs)->code == "unauthorized");
  }
  SUBCASE("another client's secret does not sign for this key id") {
    NativeCredentials other{key, keys.secret("ak_ffffffffffffffffffffffff")};
    auto h = native_auth_headers(other, "POST", "/v1/quote", kBody, kNowMs + 1);
    CHECK(verify(h[0].second, h[1].second, h[2].second, kBody, "/v1/quote", kNowNs)->code ==
          "unauthorized");
    ClientKeys elsewhere("another-master-secret-of-enough-length-0000");
    NativeCredentials forged{key, elsewhere.secret(key)};
    auto f = native_auth_headers(forged, "POST", "/v1/quote", kBody, kNowMs + 2);
    CHECK(verify(f[0].second, f[1].second, f[2].second, kBody, "/v1/quote", kNowNs)->code ==
          "unauthorized");
  }
  SUBCASE("timestamps outside the window are stale, either way") {
    auto [k2, ts2, sig2] = signed_at(kNowMs - 5001);
    auto r = verify(k2, ts2, sig2, kBody, "/v1/quote", kNowNs);
    REQUIRE(r);
    CHECK(r->code == "stale_timestamp");
    CHECK(r->message.find("-5001 ms") != std::string::npos);
    CHECK(r->message.find("±5000 ms") != std::string::npos);
    auto [k3, ts3, sig3] = signed_at(kNowMs + 5001);
    CHECK(verify(k3, ts3, sig3, kBody, "/v1/quote", kNowNs)->code == "stale_timestamp");
    auto [k4, ts4, sig4] = signed_at(kNowMs + 4999);
    CHECK_FALSE(verify(k4, ts4, sig4, kBody, "/v1/quote", kNowNs).has_value());
  }
  SUBCASE("malformed headers are refused with what is expected") {
    CHECK(verify("", ts, sig, kBody, "/v1/quote", kNowNs)->message.find("missing") !=
          std::string::npos);
    CHECK(verify(k, "", sig, kBody, "/v1/quote", kNowNs)->code == "unauthorized");
    CHECK(verify(k, "17672256e5", sig, kBody, "/v1/quote", kNowNs)->message.find("milliseconds") !=
          std::string::npos);
    CHECK(verify(k, "-1", sig, kBody, "/v1/quote", kNowNs)->code == "unauthorized");
    std::string upper = sig;
    for (auto& ch : upper) ch = static_cast<char>(std::toupper(static_cast<unsigned char>(ch)));
    CHECK(verify(k, ts, upper, kBody, "/v1/quote", kNowNs)->message.find("lower-case hex") !=
          std::string::npos);
    CHECK(verify(k, ts, sig.substr(2), kBody, "/v1/quote", kNowNs)->code == "unauthorized");
  }
  SUBCASE("the replay memory is forgotten once the timestamp check would refuse anyway") {
    for (int i = 1; i <= 100; ++i) {
      auto [ki, tsi, sigi] = signed_at(kNowMs + i);
      CHECK_FALSE(verify(ki, tsi, sigi, kBody, "/v1/quote", kNowNs + i * 1'000'000).has_value());
    }
    CHECK(v.remembered() == 101);
    auto [kl, tsl, sigl] = signed_at(kNowMs + 10'200);
    CHECK_FALSE(verify(kl, tsl, sigl, kBody, "/v1/quote", kNowNs + 10'200'000'000).has_value());
    CHECK(v.remembered() == 1);
    // ...and the old request is refused as stale, not taken again.
    CHECK(verify(k, ts, sig, kBody, "/v1/quote", kNowNs + 10'200'000'000)->code ==
          "stale_timestamp");
  }
}

TEST_CASE(
    "the master secret comes from the environment or an owner-only file, created if missing") {
  testing::TempDir dir("aq-keys");
  auto file = (dir.path() / "sub" / "master").string();
  ::unsetenv("AQ_TEST_NO_SUCH_MASTER");
  CHECK_THROWS_WITH(ClientKeys::load("AQ_TEST_NO_SUCH_MASTER", file, false),
                    doctest::Contains("No such file"));
  auto created = ClientKeys::load("AQ_TEST_NO_SUCH_MASTER", file, true);
  struct stat st {};
  REQUIRE(::stat(file.c_str(), &st) == 0);
  CHECK((st.st_mode & 0777) == 0600);
  // The same file gives the same secrets (keys survive restarts); a new file would not.
  auto again = ClientKeys::load("AQ_TEST_NO_SUCH_MASTER", file, true);
  CHECK(created.secret("ak_0123456789abcdef01234567") ==
        again.secret("ak_0123456789abcdef01234567"));
  ::chmod(file.c_str(), 0644);
  CHECK_THROWS_WITH(ClientKeys::load("AQ_TEST_NO_SUCH_MASTER", file, true),
                    doctest::Contains("chmod 600"));
  ::setenv("AQ_TEST_NO_SUCH_MASTER", kMaster, 1);
  CHECK(ClientKeys::load("AQ_TEST_NO_SUCH_MASTER", file, true)
            .secret("ak_0123456789abcdef01234567") ==
        "as_1e29b151bf3d7299c92ea09936a58a06a8c3ac7156530d35fe1e3d9c4d033807");
  ::unsetenv("AQ_TEST_NO_SUCH_MASTER");
}
