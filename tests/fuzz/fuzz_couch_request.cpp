// libFuzzer target: arbitrary requests to the CouchDB API, straight into the handler that serves /couch/ (no
// sockets), against a real SQLite store. Input: first byte picks the method, then the request target up to a
// newline, then the body. Every answer must be a well-formed response (a status, and JSON for an error); a crash,
// a sanitizer report, an exception escaping the handler or a hang is a finding.
#include <httplib.h>

#include <cstdint>
#include <cstdlib>
#include <filesystem>
#include <string>

#include <nlohmann/json.hpp>

#include "server/accounts.hpp"
#include "server/auth.hpp"
#include "server/couch_routes.hpp"
#include "server/passwords.hpp"
#include "server/sqlite_store.hpp"

namespace {

using namespace steward::server;
using steward::server::couch::CouchService;

// The fuzzed requests come from a server admin (HTTP Basic), so they reach every database; who may reach what is
// fuzzed by fuzz_account_request.
constexpr const char* kAdminBasic = "Basic ZnV6ejpmdXp6LXBhc3N3b3Jk";  // fuzz:fuzz-password

struct Server {
  std::filesystem::path dir;
  std::unique_ptr<SqliteStore> store;
  std::unique_ptr<Authenticator> auth;
  std::unique_ptr<CouchService> couch;
  Server() {
    init_sodium();
    char name[] = "/tmp/steward-fuzz-couch-XXXXXX";
    dir = mkdtemp(name);
    store = SqliteStore::open(dir / "steward.db");
    store->write([](StoreTransaction& tx) {
      AccountTables accounts(tx);
      accounts.insert_user({"fuzz", "fuzz", hash_password("fuzz-password", minimal_cost()), false, 0, {}});
      accounts.add_grant("fuzz", {"*", steward::core::Role::Admin});
    });
    AuthSettings settings;
    settings.cost = minimal_cost();
    auth = std::make_unique<Authenticator>(*store, settings);
    couch = std::make_unique<CouchService>(*store, *auth);
    couch->shutdown();  // longpolls answer at once: the fuzzer must never wait out a timeout
  }
  ~Server() {
    couch.reset();
    auth.reset();
    store.reset();
    std::filesystem::remove_all(dir);
  }
};

Server& server() {
  static Server s;
  return s;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size < 2) return 0;
  static const char* kMethods[] = {"GET", "PUT", "POST", "DELETE", "HEAD"};
  httplib::Request req;
  req.method = kMethods[data[0] % 5];
  const std::string rest(reinterpret_cast<const char*>(data + 1), size - 1);
  const size_t newline = rest.find('\n');
  std::string target = rest.substr(0, newline);
  req.body = newline == std::string::npos ? "" : rest.substr(newline + 1);
  // Keep it under /couch/, where the handler is routed.
  if (!target.starts_with("/couch")) target = "/couch/" + target;
  req.target = target;
  const size_t query = target.find('?');
  req.path = target.substr(0, query);
  if (query != std::string::npos) httplib::detail::parse_query_text(target.substr(query + 1), req.params);
  req.set_header("Content-Type", "application/json");
  req.set_header("Authorization", kAdminBasic);

  httplib::Response res;
  server().couch->handle(req, res);
  if (res.status < 200 || res.status > 599) std::abort();
  if (res.status >= 400 && req.method != "HEAD") {
    const nlohmann::json error = nlohmann::json::parse(res.body, nullptr, false);
    if (error.is_discarded() || !error.contains("error") || !error.contains("reason")) std::abort();
  }
  return 0;
}
