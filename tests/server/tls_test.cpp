// HTTPS: the real binary serving TLS with a certificate and key given on the command line (a self-signed
// certificate made here, as a LAN deployment would), the cookie marked Secure, and clear refusals of files that
// cannot be used.
#include <doctest/doctest.h>

#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>

#include <cstdio>
#include <memory>

#include <nlohmann/json.hpp>

#include "test_fixtures.hpp"

using namespace steward::server::testing;
using nlohmann::json;
namespace fs = std::filesystem;

namespace {

bool contains(const std::string& text, const std::string& part) { return text.find(part) != std::string::npos; }

// A self-signed P-256 certificate for 127.0.0.1 and localhost, valid for a day: cert.pem and key.pem in `dir`.
void make_certificate(const fs::path& dir) {
  std::unique_ptr<EVP_PKEY, decltype(&EVP_PKEY_free)> key(EVP_EC_gen("P-256"), EVP_PKEY_free);
  REQUIRE(key);
  std::unique_ptr<X509, decltype(&X509_free)> cert(X509_new(), X509_free);
  X509_set_version(cert.get(), 2);
  ASN1_INTEGER_set(X509_get_serialNumber(cert.get()), 1);
  X509_gmtime_adj(X509_getm_notBefore(cert.get()), -60);
  X509_gmtime_adj(X509_getm_notAfter(cert.get()), 24 * 3600);
  X509_set_pubkey(cert.get(), key.get());
  X509_NAME* name = X509_get_subject_name(cert.get());
  X509_NAME_add_entry_by_txt(name, "CN", MBSTRING_ASC, reinterpret_cast<const unsigned char*>("steward test"), -1, -1, 0);
  X509_set_issuer_name(cert.get(), name);
  X509V3_CTX ctx;
  X509V3_set_ctx_nodb(&ctx);
  X509V3_set_ctx(&ctx, cert.get(), cert.get(), nullptr, nullptr, 0);
  for (auto [nid, value] : {std::pair{NID_subject_alt_name, "IP:127.0.0.1,DNS:localhost"},
                            std::pair{NID_basic_constraints, "critical,CA:TRUE"}}) {
    X509_EXTENSION* ext = X509V3_EXT_conf_nid(nullptr, &ctx, nid, value);
    REQUIRE(ext);
    X509_add_ext(cert.get(), ext, -1);
    X509_EXTENSION_free(ext);
  }
  REQUIRE(X509_sign(cert.get(), key.get(), EVP_sha256()) > 0);
  std::FILE* c = std::fopen((dir / "cert.pem").c_str(), "wb");
  std::FILE* k = std::fopen((dir / "key.pem").c_str(), "wb");
  REQUIRE(c);
  REQUIRE(k);
  PEM_write_X509(c, cert.get());
  PEM_write_PrivateKey(k, key.get(), nullptr, nullptr, 0, nullptr, nullptr);
  std::fclose(c);
  std::fclose(k);
}

}  // namespace

TEST_CASE("HTTPS with --tls-cert and --tls-key: the app, the API and a Secure cookie over TLS only") {
  TempDir certs;
  make_certificate(certs.path());
  const std::string cert = (certs / "cert.pem").string();
  const std::string key = (certs / "key.pem").string();
  RunningServer server({"--tls-cert", cert, "--tls-key", key});
  CHECK(server.process->running_line().starts_with("Steward is running at https://127.0.0.1:"));
  const int port = server.process->port();

  // Verified against the certificate itself, as a tablet that was given it (or its CA) does.
  httplib::SSLClient client("127.0.0.1", port);
  client.set_ca_cert_path(cert.c_str());
  client.enable_server_certificate_verification(true);
  client.set_connection_timeout(5);
  auto page = client.Get("/");
  REQUIRE(page);
  CHECK(page->status == 200);
  CHECK(page->body == server.app.index_html);
  CHECK(page->get_header_value("Content-Security-Policy").find("frame-ancestors 'none'") != std::string::npos);
  CHECK(page->get_header_value("Strict-Transport-Security") == "max-age=15552000");

  auto login = client.Post("/couch/_session", json{{"name", "butler"}, {"password", kDemoPassword}}.dump(), "application/json");
  REQUIRE(login);
  CHECK(login->status == 200);
  const std::string set_cookie = login->get_header_value("Set-Cookie");
  CHECK(contains(set_cookie, "; Secure"));
  CHECK(contains(set_cookie, "; HttpOnly"));
  const std::string cookie = set_cookie.substr(0, set_cookie.find(';'));
  auto ops = client.Get("/couch/demo-ops", {{"Cookie", cookie}});
  REQUIRE(ops);
  CHECK(ops->status == 200);
  client.set_basic_auth("supervisor", kDemoPassword);
  auto owners = client.Get("/couch/demo-owners");
  REQUIRE(owners);
  CHECK(owners->status == 200);

  // Plain HTTP to the TLS port gets no answer.
  auto plain = make_client(port).Get("/health");
  CHECK((!plain || plain->status >= 400));
}

TEST_CASE("certificate and key files that cannot be used are refused by name, before any data is written") {
  TempDir certs;
  make_certificate(certs.path());
  const std::string cert = (certs / "cert.pem").string();
  const std::string key = (certs / "key.pem").string();
  const std::string data = (certs / "data").string();

  auto only_cert = run_server_to_exit({"--port", "0", "--data", data, "--tls-cert", cert});
  CHECK(only_cert.status == 2);
  CHECK(contains(only_cert.err, "HTTPS needs both --tls-cert and --tls-key"));

  auto missing = run_server_to_exit({"--port", "0", "--data", data, "--tls-cert", cert, "--tls-key", key + ".gone"});
  CHECK(missing.status == 1);
  CHECK(contains(missing.err, "cannot read " + key + ".gone"));

  auto swapped = run_server_to_exit({"--port", "0", "--data", data, "--tls-cert", key, "--tls-key", cert});
  CHECK(swapped.status == 1);
  CHECK(contains(swapped.err, "the certificate " + key + " cannot be used"));

  TempDir other;
  make_certificate(other.path());
  auto mismatched = run_server_to_exit({"--port", "0", "--data", data, "--tls-cert", cert, "--tls-key", (other / "key.pem").string()});
  CHECK(mismatched.status == 1);
  CHECK(contains(mismatched.err, "does not belong to the certificate"));
  CHECK_FALSE(fs::exists(data));
}
