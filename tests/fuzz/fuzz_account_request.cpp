// libFuzzer target: arbitrary requests to the account endpoints (/couch/_session, /api/me, /api/sites/{id},
// /api/admin/...) straight into their handler, and to the CouchDB API's authorisation, against a real SQLite store
// with real accounts: how credentials are read (HTTP Basic headers, cookies, login bodies as JSON or forms), who
// may do what, and what the admin API accepts. Also the parsers on their own: Basic, cookies, password rules,
// login names, site settings.
//
// Input: byte 0 picks the method (bits 0-2) and who asks (bits 3-5: nobody, the admin, the supervisor, the butler
// by HTTP Basic, or the next line as a raw Authorization or Cookie header, or a form body); byte 1 is the client's
// address (the login rate limit counts per address); then the request target up to a newline, then the body.
// Every answer must be well formed (a status; JSON with error and reason for an error); a crash, a sanitizer
// report, an exception escaping a handler or a hang is a finding.
#include <httplib.h>

#include <cstdint>
#include <cstdlib>
#include <filesystem>
#include <string>
#include <tuple>

#include <nlohmann/json.hpp>

#include "server/account_admin.hpp"
#include "server/account_api.hpp"
#include "server/accounts.hpp"
#include "server/auth.hpp"
#include "server/couch_routes.hpp"
#include "server/passwords.hpp"
#include "server/sqlite_store.hpp"

namespace {

using namespace steward::server;
using steward::core::Role;

struct Server {
  std::filesystem::path dir;
  std::unique_ptr<SqliteStore> store;
  std::unique_ptr<Authenticator> auth;
  std::unique_ptr<AccountAdmin> admin;
  std::unique_ptr<AccountApi> api;
  std::unique_ptr<couch::CouchService> couch;
  std::string hash;
  uint64_t runs = 0;

  Server() {
    init_sodium();
    char name[] = "/tmp/steward-fuzz-accounts-XXXXXX";
    dir = mkdtemp(name);
    store = SqliteStore::open(dir / "steward.db", [](StoreTransaction& tx) {
      tx.put_site("demo", R"({"_id":"site:demo","type":"site","name":"demo","idle_lock_minutes":5})");
    });
    // The cheapest Argon2id: the fuzzer would otherwise spend its time hashing.
    hash = hash_password("fuzz-password", minimal_cost());
    restore_accounts();
    AuthSettings settings;
    settings.cost = minimal_cost();
    // A short window: the rate limit is reached and left again within a run, so both sides are fuzzed.
    settings.limits = {50, 200, std::chrono::seconds(1)};
    auth = std::make_unique<Authenticator>(*store, settings);
    admin = std::make_unique<AccountAdmin>(*store, minimal_cost());
    api = std::make_unique<AccountApi>(*store, *auth, *admin);
    couch = std::make_unique<couch::CouchService>(*store, *auth);
    couch->shutdown();  // longpolls answer at once
  }
  // The three accounts as they were at the start, whatever the fuzzed requests did to them since (a new password,
  // disabled, roles removed), so the requests that use them keep reaching past the login.
  void restore_accounts() {
    store->write([&](StoreTransaction& tx) {
      AccountTables accounts(tx);
      for (auto [user, site, role] : {std::tuple{"admin", "*", Role::Admin}, std::tuple{"supervisor", "demo", Role::Supervisor},
                                      std::tuple{"butler", "demo", Role::Butler}}) {
        accounts.insert_user({user, user, hash, false, 0, {}});
        accounts.set_password_hash(user, hash);
        accounts.set_disabled(user, false);
        accounts.add_grant(user, {site, role});
      }
    });
  }

  ~Server() {
    couch.reset();
    api.reset();
    admin.reset();
    auth.reset();
    store.reset();
    std::filesystem::remove_all(dir);
  }
};

Server& server() {
  static Server s;
  return s;
}

void check_answer(const httplib::Request& req, const httplib::Response& res) {
  if (res.status < 200 || res.status > 599) std::abort();
  if (res.status >= 400 && req.method != "HEAD") {
    const nlohmann::json error = nlohmann::json::parse(res.body, nullptr, false);
    if (error.is_discarded() || !error.contains("error") || !error.contains("reason")) std::abort();
  }
}

// The parsers alone, on the raw input.
void parse_alone(const std::string& text) {
  (void)parse_basic_authorization(text);
  (void)password_problem(text, "butler");
  (void)valid_user_name(text);
  const SiteSettings s = site_settings("demo", nlohmann::json::parse(text, nullptr, false));
  if (s.idle_lock_minutes < 1 || s.retention_days < 1) std::abort();
  httplib::Request req;
  req.set_header("Cookie", text);
  (void)cookie_value(req, kSessionCookie);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size < 3) return 0;
  const std::string text(reinterpret_cast<const char*>(data + 2), size - 2);
  parse_alone(text);

  static const char* kMethods[] = {"GET", "PUT", "POST", "DELETE", "HEAD", "GET", "POST", "POST"};
  static const char* kBasic[] = {"", "Basic YWRtaW46ZnV6ei1wYXNzd29yZA==",       // admin:fuzz-password
                                 "Basic c3VwZXJ2aXNvcjpmdXp6LXBhc3N3b3Jk",      // supervisor:fuzz-password
                                 "Basic YnV0bGVyOmZ1enotcGFzc3dvcmQ="};         // butler:fuzz-password
  httplib::Request req;
  req.method = kMethods[data[0] & 7];
  req.remote_addr = "10.0.0." + std::to_string(data[1]);
  const int who = (data[0] >> 3) & 7;

  std::string rest = text;
  auto take_line = [&rest] {
    const size_t newline = rest.find('\n');
    std::string line = rest.substr(0, newline);
    rest = newline == std::string::npos ? "" : rest.substr(newline + 1);
    return line;
  };
  std::string target = take_line();
  req.set_header("Content-Type", who == 7 ? "application/x-www-form-urlencoded" : "application/json");
  if (who >= 1 && who <= 3) req.set_header("Authorization", kBasic[who]);
  if (who == 4) req.set_header("Authorization", take_line());
  if (who == 5) req.set_header("Cookie", take_line());
  if (who == 6) req.set_header("Origin", take_line());
  req.body = rest;

  // Mostly the account endpoints; otherwise the CouchDB API, whose authorisation runs first.
  static const char* kPrefixes[] = {"/couch/_session", "/api/me", "/api/sites/", "/api/admin/"};
  const bool account = !target.starts_with("/couch/") || target.starts_with("/couch/_session");
  if (!target.starts_with("/")) target = std::string(kPrefixes[data[1] % 4]) + target;
  req.target = target;
  const size_t query = target.find('?');
  req.path = target.substr(0, query);
  if (query != std::string::npos) httplib::detail::parse_query_text(target.substr(query + 1), req.params);
  req.set_header("Host", "127.0.0.1:8080");

  if (++server().runs % 1000 == 0) server().restore_accounts();
  httplib::Response res;
  if (account) {
    server().api->handle(req, res);
  } else {
    server().couch->handle(req, res);
  }
  check_answer(req, res);
  return 0;
}
