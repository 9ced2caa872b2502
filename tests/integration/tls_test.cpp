// TLS to a venue: the WebSocket and HTTP clients against a local TLS server whose certificate
// (made here, self-signed for "localhost") is trusted only when we say so. Verified by chain
// and by host name; a wrong name or an untrusted chain fails the connection.
#include <doctest/doctest.h>

#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/ssl.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <boost/beast/ssl.hpp>
#include <boost/beast/websocket.hpp>
#include <boost/beast/websocket/ssl.hpp>
#include <future>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/x509v3.h>

#include "aqueduct/net/http_client.hpp"
#include "aqueduct/net/tls.hpp"
#include "aqueduct/net/ws_client.hpp"
#include "aqueduct/testing/loop_thread.hpp"

using namespace aq;
using namespace std::chrono_literals;
namespace beast = boost::beast;
namespace http = beast::http;
namespace websocket = beast::websocket;
namespace ssl = boost::asio::ssl;
using tcp = boost::asio::ip::tcp;
using testing::LoopThread;

namespace {

struct Pem {
  std::string cert;
  std::string key;
};

// A self-signed certificate for "localhost" (RSA 2048, SHA-256, one day).
Pem self_signed_localhost() {
  EVP_PKEY* pkey = EVP_RSA_gen(2048);
  X509* x = X509_new();
  ASN1_INTEGER_set(X509_get_serialNumber(x), 1);
  X509_gmtime_adj(X509_getm_notBefore(x), -60);
  X509_gmtime_adj(X509_getm_notAfter(x), 86400);
  X509_set_pubkey(x, pkey);
  X509_NAME* name = X509_get_subject_name(x);
  X509_NAME_add_entry_by_txt(name, "CN", MBSTRING_ASC, reinterpret_cast<const unsigned char*>("localhost"), -1, -1, 0);
  X509_set_issuer_name(x, name);
  X509V3_CTX ctx;
  X509V3_set_ctx_nodb(&ctx);
  X509V3_set_ctx(&ctx, x, x, nullptr, nullptr, 0);
  X509_EXTENSION* san = X509V3_EXT_conf_nid(nullptr, &ctx, NID_subject_alt_name, "DNS:localhost");
  X509_add_ext(x, san, -1);
  X509_EXTENSION_free(san);
  X509_sign(x, pkey, EVP_sha256());
  auto to_string = [](auto write) {
    BIO* bio = BIO_new(BIO_s_mem());
    write(bio);
    char* data = nullptr;
    long n = BIO_get_mem_data(bio, &data);
    std::string s(data, static_cast<size_t>(n));
    BIO_free(bio);
    return s;
  };
  Pem p;
  p.cert = to_string([&](BIO* b) { PEM_write_bio_X509(b, x); });
  p.key = to_string([&](BIO* b) { PEM_write_bio_PrivateKey(b, pkey, nullptr, nullptr, 0, nullptr, nullptr); });
  X509_free(x);
  EVP_PKEY_free(pkey);
  return p;
}

// Accepts TLS connections: a WebSocket upgrade echoes frames; any other request gets {"ok":true}.
class TlsServer {
 public:
  TlsServer(boost::asio::io_context& io, const Pem& pem) : ctx_(ssl::context::tls_server), acceptor_(io, {tcp::v4(), 0}) {
    ctx_.use_certificate_chain(boost::asio::buffer(pem.cert));
    ctx_.use_private_key(boost::asio::buffer(pem.key), ssl::context::pem);
    accept();
  }
  uint16_t port() const { return acceptor_.local_endpoint().port(); }

 private:
  void accept() {
    acceptor_.async_accept([this](beast::error_code ec, tcp::socket s) {
      if (ec) return;
      auto stream = std::make_shared<beast::ssl_stream<beast::tcp_stream>>(std::move(s), ctx_);
      stream->async_handshake(ssl::stream_base::server, [this, stream](beast::error_code e) {
        if (!e) serve(stream);
      });
      accept();
    });
  }
  void serve(std::shared_ptr<beast::ssl_stream<beast::tcp_stream>> stream) {
    auto buf = std::make_shared<beast::flat_buffer>();
    auto req = std::make_shared<http::request<http::string_body>>();
    http::async_read(*stream, *buf, *req, [stream, buf, req](beast::error_code ec, size_t) {
      if (ec) return;
      if (websocket::is_upgrade(*req)) {
        auto ws = std::make_shared<websocket::stream<beast::ssl_stream<beast::tcp_stream>>>(std::move(*stream));
        ws->async_accept(*req, [ws](beast::error_code e) {
          if (!e) echo(ws, std::make_shared<beast::flat_buffer>());
        });
        return;
      }
      auto res = std::make_shared<http::response<http::string_body>>(http::status::ok, 11);
      res->body() = R"({"ok":true})";
      res->prepare_payload();
      http::async_write(*stream, *res, [stream, res](beast::error_code, size_t) {});
    });
  }
  static void echo(std::shared_ptr<websocket::stream<beast::ssl_stream<beast::tcp_stream>>> ws,
                   std::shared_ptr<beast::flat_buffer> buf) {
    ws->async_read(*buf, [ws, buf](beast::error_code ec, size_t) {
      if (ec) return;
      ws->text(true);
      auto out = std::make_shared<std::string>(beast::buffers_to_string(buf->data()));
      buf->consume(buf->size());
      ws->async_write(boost::asio::buffer(*out), [ws, buf, out](beast::error_code e, size_t) {
        if (!e) echo(ws, buf);
      });
    });
  }

  ssl::context ctx_;
  tcp::acceptor acceptor_;
};

}  // namespace

TEST_CASE("TLS: WebSocket and HTTPS clients verify the chain and the host name") {
  auto pem = self_signed_localhost();
  LoopThread server_loop, client_loop;
  auto server = server_loop.call([&] { return std::make_unique<TlsServer>(server_loop.io, pem); });
  uint16_t port = server->port();
  net::TlsOptions trusted{true, "", pem.cert};
  auto trusted_ctx = net::make_client_tls(trusted);

  auto ws_round_trip = [&](const std::string& host, std::shared_ptr<ssl::context> ctx) {
    std::promise<std::string> result;
    auto done = std::make_shared<std::atomic<bool>>(false);
    auto settle = [&result, done](std::string v) {
      if (!done->exchange(true)) result.set_value(std::move(v));
    };
    auto ws = client_loop.call([&] {
      auto c = net::WsClient::create(client_loop.io, host, port, "/", ctx);
      auto* raw = c.get();  // not a shared_ptr: the client owns its callbacks
      c->start([raw] { raw->send("hello over tls"); }, [&settle](std::string_view text) { settle("echo:" + std::string(text)); },
               [&settle](const std::string& why) { settle("closed:" + why); });
      return c;
    });
    auto v = result.get_future().get();
    client_loop.call([&] { ws->close(); ws.reset(); return 0; });
    return v;
  };
  CHECK(ws_round_trip("localhost", trusted_ctx) == "echo:hello over tls");
  // The certificate names "localhost", not "127.0.0.1".
  auto wrong_name = ws_round_trip("127.0.0.1", trusted_ctx);
  CHECK(wrong_name.rfind("closed:TLS handshake", 0) == 0);
  // A chain we were not told to trust.
  auto untrusted = ws_round_trip("localhost", net::make_client_tls({true, "", self_signed_localhost().cert}));
  CHECK(untrusted.rfind("closed:TLS handshake", 0) == 0);

  auto https = [&](const std::string& host, std::shared_ptr<ssl::context> ctx) {
    std::promise<net::HttpResult> p;
    auto client = client_loop.call([&] {
      auto c = std::make_unique<net::HttpClient>(client_loop.io, host, port, 2000ms, ctx);
      c->request(http::verb::get, "/api/v3/ping", {}, {}, [&p](net::HttpResult r) { p.set_value(std::move(r)); });
      return c;
    });
    auto r = p.get_future().get();
    client_loop.call([&] { client.reset(); return 0; });
    return r;
  };
  auto ok = https("localhost", trusted_ctx);
  CHECK(ok.ok());
  CHECK(ok.body == R"({"ok":true})");
  auto refused = https("127.0.0.1", trusted_ctx);
  CHECK(refused.error);
  CHECK_FALSE(refused.maybe_sent);  // nothing was sent: a definite failure, not an unknown order

  CHECK_THROWS_WITH(net::make_client_tls({true, "/nonexistent/ca.pem", ""}), doctest::Contains("/nonexistent/ca.pem"));
  CHECK(net::make_client_tls({false, "", ""}) == nullptr);
  client_loop.stop();
  server_loop.call([&] { server.reset(); return 0; });
}
