#include "aqueduct/net/tls.hpp"

#include <stdexcept>

namespace aq::net {

std::shared_ptr<boost::asio::ssl::context> make_client_tls(const TlsOptions& o) {
  namespace ssl = boost::asio::ssl;
  if (!o.enabled) return nullptr;
  auto ctx = std::make_shared<ssl::context>(ssl::context::tls_client);
  ctx->set_options(ssl::context::default_workarounds | ssl::context::no_sslv2 | ssl::context::no_sslv3 |
                   ssl::context::no_tlsv1 | ssl::context::no_tlsv1_1);
  boost::system::error_code ec;
  if (!o.ca_pem.empty()) ctx->add_certificate_authority(boost::asio::buffer(o.ca_pem), ec);
  else if (!o.ca_file.empty()) ctx->load_verify_file(o.ca_file, ec);
  else ctx->set_default_verify_paths(ec);
  if (ec) throw std::runtime_error("TLS: cannot load the trust store" + (o.ca_file.empty() ? std::string() : " '" + o.ca_file + "'") + ": " + ec.message());
  ctx->set_verify_mode(ssl::verify_peer);
  return ctx;
}

bool set_server_name(SSL* ssl, const std::string& host) {
  return SSL_ctrl(ssl, SSL_CTRL_SET_TLSEXT_HOSTNAME, TLSEXT_NAMETYPE_host_name, const_cast<char*>(host.c_str())) == 1;
}

}  // namespace aq::net
