#pragma once
// TLS for connections to real venues (the simulator is plain TCP on loopback). Peers are
// verified against the system's trust store, or a given CA file, and by host name.
#include <boost/asio/ssl/context.hpp>
#include <memory>
#include <string>

namespace aq::net {

struct TlsOptions {
  bool enabled = false;
  std::string ca_file;  // PEM; empty: the system's default trust store
  std::string ca_pem;   // PEM in memory (tests); used when set
};

// A client context that verifies the peer's chain; null when TLS is not enabled. Throws
// std::runtime_error naming the CA file when it cannot be loaded.
std::shared_ptr<boost::asio::ssl::context> make_client_tls(const TlsOptions& options);

// Sets SNI on a connection (OpenSSL's SSL_set_tlsext_host_name, without its C cast).
bool set_server_name(SSL* ssl, const std::string& host);

}  // namespace aq::net
