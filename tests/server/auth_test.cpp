// Accounts on the real steward-server binary, over loopback: who may reach which /couch/ endpoint (401 without
// credentials, 403 for the wrong site or role, on every endpoint including _changes, _bulk_get and _local),
// CouchDB's _session with its cookie, HTTP Basic, /api/me, login rate limiting, and the audit of owner-file reads
// and of the access logs tablets upload.
#include <doctest/doctest.h>

#include <cctype>
#include <cstdio>
#include <map>
#include <set>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "server/audit_log.hpp"
#include "server/sqlite_store.hpp"
#include "test_fixtures.hpp"

using namespace steward::server::testing;
using nlohmann::json;

namespace {

// Every byte but unreserved ones as %XX: the test strings must reach the server exactly as they are.
std::string percent_encoded(const std::string& s) {
  std::string out;
  for (unsigned char c : s) {
    if (std::isalnum(c) || c == '-' || c == '_' || c == '.' || c == '~') {
      out += char(c);
    } else {
      char hex[4];
      std::snprintf(hex, sizeof hex, "%%%02X", c);
      out += hex;
    }
  }
  return out;
}

// The "AuthSession=..." part of a Set-Cookie.
std::string cookie_of(const Answer& a) {
  auto it = a.headers.find("Set-Cookie");
  REQUIRE(it != a.headers.end());
  return it->second.substr(0, it->second.find(';'));
}

Answer login(int port, const std::string& name, const std::string& password) {
  auto client = make_client(port);
  return ask(client, "POST", "/couch/_session", json{{"name", name}, {"password", password}}.dump());
}

// One request of every kind the CouchDB API has, against one database, and whether it reads or writes.
struct Endpoint {
  std::string method;
  std::string path;  // after /couch/<db>
  std::string body;
  bool writes;
};

std::vector<Endpoint> every_endpoint() {
  const std::string doc = R"({"_id":"probe","v":1})";
  return {
      {"GET", "", "", false},
      {"HEAD", "", "", false},
      {"POST", "", doc, true},
      {"GET", "/_changes", "", false},
      {"GET", "/_changes?feed=longpoll&timeout=1", "", false},
      {"POST", "/_changes?filter=_doc_ids", R"({"doc_ids":["a"]})", false},
      {"POST", "/_revs_diff", R"({"a":["1-abc"]})", false},
      {"POST", "/_bulk_get", R"({"docs":[{"id":"a"}]})", false},
      {"POST", "/_bulk_docs", R"({"docs":[{"_id":"b","v":1}]})", true},
      {"POST", "/_bulk_docs", R"({"docs":[{"_id":"c","_rev":"1-abc","v":1}],"new_edits":false})", true},
      {"GET", "/_all_docs", "", false},
      {"POST", "/_all_docs", R"({"keys":["a"]})", false},
      {"POST", "/_ensure_full_commit", "", false},
      {"GET", "/_revs_limit", "", false},
      {"GET", "/a", "", false},
      {"GET", "/a?open_revs=all", "", false},
      {"PUT", "/d", R"({"v":1})", true},
      {"DELETE", "/a?rev=1-abc", "", true},
      {"GET", "/a/photo.jpg", "", false},
      {"GET", "/_design/x", "", false},
      {"PUT", "/_design/x", R"({"v":1})", true},
      {"GET", "/_local/checkpoint", "", false},
      {"PUT", "/_local/checkpoint", R"({"last_seq":1})", false},  // _local needs Read only (couch_routes.hpp)
      {"DELETE", "/_local/checkpoint", "", false},
  };
}

void check_refused(const Answer& a, int status, const std::string& error) {
  CAPTURE(a.raw);
  CHECK(a.status == status);
  if (a.body.is_object()) CHECK(a.body["error"] == error);  // HEAD has no body
}

}  // namespace

TEST_CASE("every /couch/ endpoint: 401 without credentials, 403 for the wrong site or role, allowed with the right one") {
  RunningServer server;
  const int port = server.process->port();
  auto admin = server.client("admin");

  // A second site with its own supervisor: demo's data is none of theirs.
  REQUIRE(ask(admin, "PUT", "/api/admin/sites/north", R"({"name":"北岸花园","idle_lock_minutes":10})").status == 201);
  REQUIRE(ask(admin, "POST", "/api/admin/users", R"({"name":"north_sup","display_name":"北岸主管","password":"north-password"})").status == 201);
  REQUIRE(ask(admin, "POST", "/api/admin/users/north_sup/grants", R"({"site":"north","role":"supervisor"})").status == 200);
  auto north = make_client(port);
  north.set_basic_auth("north_sup", "north-password");

  // Something to read in each demo database (as the admin).
  for (const char* db : {"demo-visits", "demo-ops", "demo-owners"}) {
    REQUIRE(ask(admin, "PUT", std::string("/couch/") + db + "/a", R"({"v":1})").status == 201);
  }

  auto anonymous = make_client(port);
  auto host = server.client("host");
  auto butler = server.client("butler");
  auto frontdesk = server.client("frontdesk");
  auto supervisor = server.client("supervisor");

  struct Case {
    const char* who;
    httplib::Client* client;
    const char* db;
    int read_status;   // 0: allowed
    int write_status;  // 0: allowed
  };
  const std::vector<Case> cases = {
      {"anonymous", &anonymous, "demo-visits", 401, 401},
      {"anonymous", &anonymous, "demo-owners", 401, 401},
      {"host", &host, "demo-ops", 403, 403},
      {"host", &host, "demo-owners", 403, 403},
      {"butler", &butler, "demo-visits", 403, 403},
      {"butler", &butler, "demo-owners", 0, 403},  // reads owner files, never changes them
      {"frontdesk", &frontdesk, "demo-owners", 403, 403},
      {"north supervisor", &north, "demo-visits", 403, 403},
      {"north supervisor", &north, "demo-ops", 403, 403},
      {"north supervisor", &north, "demo-owners", 403, 403},
      {"host", &host, "demo-visits", 0, 0},
      {"butler", &butler, "demo-ops", 0, 0},
      {"supervisor", &supervisor, "demo-owners", 0, 0},
      {"north supervisor", &north, "north-visits", 0, 0},
  };
  for (const Case& c : cases) {
    for (const Endpoint& e : every_endpoint()) {
      CAPTURE(c.who);
      CAPTURE(c.db);
      CAPTURE(e.method);
      CAPTURE(e.path);
      const Answer a = ask(*c.client, e.method, std::string("/couch/") + c.db + e.path, e.body);
      const int expected = e.writes ? c.write_status : c.read_status;
      if (expected) {
        check_refused(a, expected, expected == 401 ? "unauthorized" : "forbidden");
      } else {
        CAPTURE(a.raw);
        CHECK(a.status != 401);
        CHECK(a.status != 403);
        CHECK(a.status < 500);
      }
    }
  }

  // Databases: created and deleted by server admins only; _all_dbs lists only what one may read.
  check_refused(ask(supervisor, "PUT", "/couch/demo-extra"), 403, "forbidden");
  check_refused(ask(supervisor, "DELETE", "/couch/demo-visits"), 403, "forbidden");
  check_refused(ask(supervisor, "PUT", "/couch/demo-visits/_revs_limit", "5"), 403, "forbidden");
  check_refused(ask(anonymous, "PUT", "/couch/scratch"), 401, "unauthorized");
  CHECK(ask(admin, "PUT", "/couch/scratch").status == 201);
  check_refused(ask(supervisor, "GET", "/couch/scratch"), 403, "forbidden");  // no site's database
  CHECK(ask(admin, "DELETE", "/couch/scratch").status == 200);
  CHECK(ask(butler, "GET", "/couch/_all_dbs").body == json::array({"demo-ops", "demo-owners"}));
  CHECK(ask(north, "GET", "/couch/_all_dbs").body == json::array({"north-ops", "north-owners", "north-visits"}));
  check_refused(ask(anonymous, "GET", "/couch/_all_dbs"), 401, "unauthorized");
  check_refused(ask(anonymous, "GET", "/couch/_uuids"), 401, "unauthorized");
  // A database that does not exist is refused the same as one that does: names are not revealed.
  check_refused(ask(butler, "GET", "/couch/south-ops"), 403, "forbidden");

  // Open: the welcome, _up, /health and the web app.
  CHECK(ask(anonymous, "GET", "/couch/").status == 200);
  CHECK(ask(anonymous, "GET", "/couch/_up").status == 200);
  CHECK(ask(anonymous, "GET", "/health").status == 200);
  CHECK(anonymous.Get("/")->status == 200);

  // Wrong credentials are refused as such, whatever they ask for.
  auto wrong = make_client(port);
  wrong.set_basic_auth("butler", "not-the-password");
  check_refused(ask(wrong, "GET", "/couch/demo-ops"), 401, "unauthorized");
  auto unknown = make_client(port);
  unknown.set_basic_auth("nobody", "steward-demo");
  check_refused(ask(unknown, "GET", "/couch/demo-ops"), 401, "unauthorized");
  check_refused(ask(anonymous, "GET", "/couch/demo-ops", "", "", {{"Authorization", "Bearer abc"}}), 401, "unauthorized");
}

TEST_CASE("_session: a login sets an HttpOnly SameSite=Strict cookie that works everywhere until logout") {
  RunningServer server;
  const int port = server.process->port();

  const Answer ok = login(port, "butler", kDemoPassword);
  CAPTURE(ok.raw);
  REQUIRE(ok.status == 200);
  CHECK(ok.body == json{{"ok", true}, {"name", "butler"}, {"roles", {"demo:butler"}}});
  const std::string set_cookie = ok.headers.find("Set-Cookie")->second;
  CHECK(set_cookie.starts_with("AuthSession="));
  CHECK(set_cookie.find("; HttpOnly") != std::string::npos);
  CHECK(set_cookie.find("; SameSite=Strict") != std::string::npos);
  CHECK(set_cookie.find("; Path=/") != std::string::npos);
  CHECK(set_cookie.find("Secure") == std::string::npos);  // plain HTTP here
  const std::string cookie = cookie_of(ok);
  CHECK(cookie.size() > 40);  // a 256-bit token

  auto client = make_client(port);
  const httplib::Headers with_cookie = {{"Cookie", "other=1; " + cookie}};
  const Answer session = ask(client, "GET", "/couch/_session", "", "", with_cookie);
  CHECK(session.body["ok"] == true);
  CHECK(session.body["userCtx"] == json{{"name", "butler"}, {"roles", {"demo:butler"}}});
  CHECK(session.body["info"]["authenticated"] == "cookie");
  CHECK(ask(client, "GET", "/couch/demo-ops", "", "", with_cookie).status == 200);
  CHECK(ask(client, "GET", "/couch/demo-visits", "", "", with_cookie).status == 403);
  const Answer me = ask(client, "GET", "/api/me", "", "", with_cookie);
  CHECK(me.body["name"] == "butler");

  // Anonymous, as CouchDB shows it.
  const Answer nobody = ask(client, "GET", "/couch/_session");
  CHECK(nobody.status == 200);
  CHECK(nobody.body["userCtx"] == json{{"name", nullptr}, {"roles", json::array()}});
  // A made-up or garbled cookie is no session.
  CHECK(ask(client, "GET", "/couch/demo-ops", "", "", {{"Cookie", "AuthSession=made-up"}}).status == 401);
  CHECK(ask(client, "GET", "/couch/demo-ops", "", "", {{"Cookie", "AuthSession=" + std::string(5000, 'x')}}).status == 401);

  // A form login, as CouchDB's Fauxton sends it.
  const Answer form = ask(client, "POST", "/couch/_session", "name=supervisor&password=steward-demo",
                          "application/x-www-form-urlencoded");
  CHECK(form.status == 200);
  CHECK(form.body["roles"] == json::array({"demo:supervisor"}));

  // Logout ends the session on the server, not only in the browser.
  const Answer out = ask(client, "DELETE", "/couch/_session", "", "", with_cookie);
  CHECK(out.status == 200);
  CHECK(out.headers.find("Set-Cookie")->second.find("Max-Age=0") != std::string::npos);
  CHECK(ask(client, "GET", "/couch/demo-ops", "", "", with_cookie).status == 401);
  CHECK(ask(client, "GET", "/couch/_session", "", "", with_cookie).body["userCtx"]["name"].is_null());

  // Wrong name or password: 401, the same words for both.
  const Answer wrong = login(port, "butler", "wrong-password");
  check_refused(wrong, 401, "unauthorized");
  const Answer unknown = login(port, "nobody", "wrong-password");
  check_refused(unknown, 401, "unauthorized");
  CHECK(wrong.body["reason"] == unknown.body["reason"]);
  CHECK(wrong.headers.count("Set-Cookie") == 0);
  // A body without a name or password says which is missing.
  const Answer missing = ask(client, "POST", "/couch/_session", R"({"name":"butler"})");
  check_refused(missing, 400, "bad_request");
  CHECK(missing.body["reason"] == "\"password\" is missing");
}

TEST_CASE("changing one's own password keeps the session it was changed in and ends the others") {
  RunningServer server;
  const int port = server.process->port();
  const std::string here = cookie_of(login(port, "butler", kDemoPassword));
  const std::string elsewhere = cookie_of(login(port, "butler", kDemoPassword));
  auto client = make_client(port);
  const httplib::Headers from_here = {{"Cookie", here}}, from_elsewhere = {{"Cookie", elsewhere}};
  const json change = {{"current_password", kDemoPassword}, {"password", "butler-second-pass"}};
  const Answer changed = ask(client, "POST", "/api/admin/users/butler/password", change.dump(), "application/json", from_here);
  CAPTURE(changed.raw);
  CHECK(changed.status == 200);
  CHECK(ask(client, "GET", "/couch/demo-ops", "", "", from_here).status == 200);
  CHECK(ask(client, "GET", "/couch/demo-ops", "", "", from_elsewhere).status == 401);
  CHECK(login(port, "butler", kDemoPassword).status == 401);
  CHECK(login(port, "butler", "butler-second-pass").status == 200);
}

TEST_CASE("sessions survive a restart of the server (they are in its database)") {
  WebApp app;
  TempDir data;
  const std::vector<std::string> args = {"--port", "0", "--data", (data / "d").string(), "--web", app.web().string()};
  std::string cookie;
  {
    ServerProcess server(args);
    cookie = cookie_of(login(server.port(), "frontdesk", kDemoPassword));
  }
  ServerProcess server(args);
  auto client = make_client(server.port());
  CHECK(ask(client, "GET", "/couch/demo-visits", "", "", {{"Cookie", cookie}}).status == 200);
}

TEST_CASE("/api/me: who is logged in, their roles, and the settings of the sites they work at") {
  RunningServer server;
  auto anonymous = server.client("");
  check_refused(ask(anonymous, "GET", "/api/me"), 401, "unauthorized");

  auto butler = server.client("butler");
  const Answer me = ask(butler, "GET", "/api/me");
  CHECK(me.status == 200);
  CHECK(me.raw == R"({"name":"butler","display_name":"王管家","grants":[{"site":"demo","role":"butler"}],)"
                  R"("sites":[{"id":"demo","name":"滨江壹号售楼处","idle_lock_minutes":5,"retention_days":30}]})");

  // Every demo account, one per role, and the server admin who sees every site.
  const std::map<std::string, std::pair<std::string, json>> accounts = {
      {"host", {"迎宾小李", {{{"site", "demo"}, {"role", "showroom_host"}}}}},
      {"frontdesk", {"前台小陈", {{{"site", "demo"}, {"role", "front_desk"}}}}},
      {"supervisor", {"周主管", {{{"site", "demo"}, {"role", "supervisor"}}}}},
      {"admin", {"系统管理员", {{{"site", "*"}, {"role", "admin"}}}}},
  };
  for (const auto& [name, expected] : accounts) {
    CAPTURE(name);
    auto client = server.client(name);
    const Answer a = ask(client, "GET", "/api/me");
    CHECK(a.body["display_name"] == expected.first);
    CHECK(a.body["grants"] == expected.second);
    CHECK(a.body["sites"].size() == 1);
  }
  auto admin = server.client("admin");
  REQUIRE(ask(admin, "PUT", "/api/admin/sites/north", R"({"name":"北岸花园","idle_lock_minutes":10,"retention_days":7})").status == 201);
  const Answer all = ask(admin, "GET", "/api/me");
  REQUIRE(all.body["sites"].size() == 2);
  CHECK(all.body["sites"][1] == json{{"id", "north"}, {"name", "北岸花园"}, {"idle_lock_minutes", 10}, {"retention_days", 7}});
  CHECK(ask(butler, "GET", "/api/me").body["sites"].size() == 1);  // not the butler's site
}

TEST_CASE("failed logins are rate limited per address: 429 with Retry-After, even for the right password") {
  RunningServer server;
  const int port = server.process->port();
  int refused = 0;
  for (int i = 0; i < 10; ++i) {
    const Answer a = login(port, "supervisor", "guess-" + std::to_string(i));
    CHECK(a.status == 401);
    refused += a.status == 401;
  }
  CHECK(refused == 10);
  const Answer limited = login(port, "supervisor", kDemoPassword);
  CAPTURE(limited.raw);
  CHECK(limited.status == 429);
  CHECK(limited.body["error"] == "too_many_requests");
  const auto retry = limited.headers.find("Retry-After");
  REQUIRE(retry != limited.headers.end());
  CHECK(std::stoi(retry->second) > 800);  // most of the quarter of an hour is left
  CHECK(std::stoi(retry->second) <= 900);
  // HTTP Basic counts the same, and is held back the same, from this address.
  auto basic = server.client("butler");
  check_refused(ask(basic, "GET", "/couch/demo-ops"), 429, "too_many_requests");
  // Every failure is in the audit log, with the name tried (read through the database: the admin is held back too).
  auto store = steward::server::SqliteStore::open(server.data_dir() / "steward.sqlite3");
  int failed = 0;
  store->read([&](steward::server::StoreTransaction& tx) {
    for (const auto& e : steward::server::read_audit(tx, std::nullopt, 100)) failed += e.action == "login_failed";
  });
  CHECK(failed == 10);
}

TEST_CASE("an injection-like string is stored and returned verbatim, wherever it goes") {
  RunningServer server;
  auto admin = server.client("admin");
  const std::vector<std::string> nasty = {
      "'); DROP TABLE couch_docs; --",
      "\" OR 1=1 --",
      "<script>alert('x')</script>",
      "../../../etc/passwd",
      "%00%2e%2e\\u0000",
      "{\"$gt\": \"\"}",
      "王芳'; DELETE FROM users WHERE '1'='1",
  };
  for (size_t i = 0; i < nasty.size(); ++i) {
    CAPTURE(nasty[i]);
    const std::string id = "visit:" + nasty[i];
    const json doc = {{"name", nasty[i]}, {"notes", nasty[i]}, {nasty[i], nasty[i]}};
    const std::string path = "/couch/demo-visits/" + percent_encoded(id);
    REQUIRE(ask(admin, "PUT", path, doc.dump()).status == 201);
    const Answer back = ask(admin, "GET", path);
    CHECK(back.body["_id"] == id);
    CHECK(back.body["name"] == nasty[i]);
    CHECK(back.body[nasty[i]] == nasty[i]);
    // Through _all_docs and _changes too.
    CHECK(ask(admin, "GET", "/couch/demo-visits/_all_docs?key=" + percent_encoded(json(id).dump())).body["rows"][0]["id"] == id);
    // As a login name and a password: refused as wrong, never an error.
    CHECK(login(server.process->port(), nasty[i], nasty[i]).status == 401);
  }
  const Answer feed = ask(admin, "GET", "/couch/demo-visits/_changes?include_docs=true");
  CHECK(feed.body["results"].size() == nasty.size());
  // As a display name, kept as given.
  const json user = {{"name", "quoted"}, {"display_name", "O'Brien \"Bob\"; DROP TABLE users"}, {"password", "'; DROP TABLE--"}};
  REQUIRE(ask(admin, "POST", "/api/admin/users", user.dump()).status == 201);
  auto quoted = make_client(server.process->port());
  quoted.set_basic_auth("quoted", "'; DROP TABLE--");
  REQUIRE(ask(admin, "POST", "/api/admin/users/quoted/grants", R"({"site":"demo","role":"butler"})").status == 200);
  CHECK(ask(quoted, "GET", "/api/me").body["display_name"] == user["display_name"]);
  CHECK(ask(admin, "GET", "/couch/demo-visits").body["doc_count"] == nasty.size());  // the tables are all still there

  // A name tried at login reaches the audit log without its control characters: it cannot fake more entries.
  CHECK(login(server.process->port(), "mallory\n1700000000000\tadmin\tlogin", "x").status == 401);
  // Nor is a password longer than any that can be set worth hashing: simply wrong.
  CHECK(login(server.process->port(), "admin", std::string(4096, 'p')).status == 401);
  const Answer audit = ask(admin, "GET", "/api/admin/audit?limit=3");
  CHECK(audit.body[1]["who"] == "mallory?1700000000000?admin?login");
  CHECK(audit.body[0]["who"] == "admin");
  CHECK(audit.body[0]["action"] == "login_failed");
}

TEST_CASE("bad requests say what is wrong: malformed JSON 400 with a reason, oversize 413, deep nesting 400") {
  RunningServer server({"--max-body", "64K"});
  auto admin = server.client("admin");
  for (const char* path : {"/couch/demo-visits/_bulk_docs", "/couch/_session", "/api/admin/users"}) {
    CAPTURE(path);
    const Answer a = ask(admin, "POST", path, R"({"docs": [ {"_id": "x", )");
    check_refused(a, 400, "bad_request");
    CHECK(a.body["reason"] == "invalid UTF-8 JSON");
  }
  const Answer not_object = ask(admin, "POST", "/api/admin/users", "[1,2]");
  check_refused(not_object, 400, "bad_request");
  CHECK(not_object.body["reason"] == "the request body must be a JSON object");
  const Answer deep = ask(admin, "POST", "/api/admin/users", std::string(500, '[') + std::string(500, ']'));
  check_refused(deep, 400, "bad_request");
  CHECK(deep.body["reason"].get<std::string>().find("nested deeper") != std::string::npos);
  const Answer wrong_type = ask(admin, "POST", "/api/admin/users", R"({"name":7,"display_name":"x","password":"long-enough"})");
  check_refused(wrong_type, 400, "bad_request");
  CHECK(wrong_type.body["reason"] == "\"name\" must be a string");

  const std::string big = json{{"docs", {{{"_id", "big"}, {"pad", std::string(70 * 1024, 'x')}}}}}.dump();
  check_refused(ask(admin, "POST", "/couch/demo-visits/_bulk_docs", big), 413, "too_large");
  check_refused(ask(admin, "POST", "/couch/_session", big), 413, "too_large");

  // The account endpoints take far less than --max-body allows.
  RunningServer roomy;
  auto roomy_admin = roomy.client("admin");
  const std::string login = json{{"name", "admin"}, {"password", std::string(100 * 1024, 'p')}}.dump();
  const Answer huge_login = ask(roomy_admin, "POST", "/couch/_session", login);
  check_refused(huge_login, 413, "too_large");
  CHECK(huge_login.body["reason"] == "the request body is larger than this endpoint accepts (64 KB)");
  check_refused(ask(roomy_admin, "POST", "/api/admin/users", login), 413, "too_large");
  CHECK(ask(roomy_admin, "POST", "/couch/demo-visits/_bulk_docs", big).status == 201);
}

TEST_CASE("requests that change something are refused from a page of another origin") {
  RunningServer server;
  const int port = server.process->port();
  auto client = make_client(port);
  const std::string body = json{{"name", "butler"}, {"password", kDemoPassword}}.dump();
  const Answer cross = ask(client, "POST", "/couch/_session", body, "application/json", {{"Origin", "https://evil.example"}});
  check_refused(cross, 403, "forbidden");
  const std::string own = "http://127.0.0.1:" + std::to_string(port);
  const Answer same = ask(client, "POST", "/couch/_session", body, "application/json", {{"Origin", own}});
  CHECK(same.status == 200);
  auto admin = server.client("admin");
  check_refused(ask(admin, "PUT", "/couch/demo-visits/x", "{}", "application/json", {{"Origin", "null"}}), 403, "forbidden");
  CHECK(ask(admin, "GET", "/couch/demo-visits", "", "", {{"Origin", "https://evil.example"}}).status == 200);  // reads
}

TEST_CASE("owner-file reads through the API, and access logs tablets upload, are in the audit log") {
  RunningServer server;
  auto butler = server.client("butler");
  auto admin = server.client("admin");

  // The seeded owner files.
  const Answer all = ask(butler, "GET", "/couch/demo-owners/_all_docs?include_docs=true");
  REQUIRE(all.status == 200);
  REQUIRE(all.body["rows"].size() == 5);
  const json& file = all.body["rows"][0]["doc"];
  CHECK(file["type"] == "owner_file");
  CHECK(file["people"][0]["phone"].is_string());
  CHECK(file["vehicles"].is_array());
  CHECK(file["move_in_date"].is_string());
  // Listing ids only reads no file; each way of reading one does.
  REQUIRE(ask(butler, "GET", "/couch/demo-owners/_all_docs").status == 200);
  REQUIRE(ask(butler, "GET", "/couch/demo-owners/owner_file:2-1-0801").status == 200);
  REQUIRE(ask(butler, "POST", "/couch/demo-owners/_bulk_get", R"({"docs":[{"id":"owner_file:3-2-1503"}]})").status == 200);
  REQUIRE(ask(butler, "GET", "/couch/demo-owners/_changes?include_docs=true&filter=_doc_ids&doc_ids=%5B%22owner_file:6-3-0302%22%5D").status == 200);

  // A tablet's access log, arriving by replication.
  const json log = {{"_id", "access_log:6b1f0c"},       {"_rev", "1-aaaa"},       {"type", "access_log"},
                    {"who", "supervisor"},              {"at", 1700000000000},    {"action", "reveal_phone"},
                    {"site", "demo"},                   {"record_id", "visit:v1"}, {"device", "tablet-7"}};
  auto supervisor = server.client("supervisor");
  REQUIRE(ask(supervisor, "POST", "/couch/demo-visits/_bulk_docs", json{{"docs", {log}}, {"new_edits", false}}.dump()).status == 201);
  // The same revision again (a retried upload) is stored once, and logged once.
  REQUIRE(ask(supervisor, "POST", "/couch/demo-visits/_bulk_docs", json{{"docs", {log}}, {"new_edits", false}}.dump()).status == 201);
  // One without its action (an older or broken tablet): stored, and audited as unreadable rather than dropped.
  json broken = log;
  broken["_id"] = "access_log:broken";
  broken.erase("action");
  REQUIRE(ask(supervisor, "POST", "/couch/demo-visits/_bulk_docs", json{{"docs", {broken}}, {"new_edits", false}}.dump()).status == 201);
  REQUIRE(ask(supervisor, "GET", "/couch/demo-visits/access_log:broken").status == 200);

  const Answer audit = ask(admin, "GET", "/api/admin/audit?site=demo&limit=100");
  REQUIRE(audit.status == 200);
  std::multiset<std::string> read;
  int reveals = 0;
  int unreadable = 0;
  for (const json& e : audit.body) {
    if (e["action"] == "access_log") {
      ++unreadable;
      CHECK(e["who"] == "supervisor");
      CHECK(e["site"] == "demo");
      CHECK(e["detail"].get<std::string>().find("unreadable access log") == 0);
      CHECK(e["detail"].get<std::string>().find("access_log:broken in demo-visits") != std::string::npos);
    }
    if (e["action"] == "owner_file_read") {
      CHECK(e["who"] == "butler");
      read.insert(e["detail"].get<std::string>().substr(0, e["detail"].get<std::string>().find(' ')));
    }
    if (e["action"] == "reveal_phone") {
      ++reveals;
      CHECK(e["who"] == "supervisor");
      CHECK(e["at"] == 1700000000000);
      CHECK(e["site"] == "demo");
      CHECK(e["detail"].get<std::string>().find("visit:v1") != std::string::npos);
      CHECK(e["detail"].get<std::string>().find("tablet-7") != std::string::npos);
    }
  }
  CHECK(reveals == 1);
  CHECK(unreadable == 1);
  CHECK(read.size() == 5 + 3);
  CHECK(read.count("owner_file:2-1-0801") == 2);
  CHECK(read.count("owner_file:3-2-1503") == 2);
  CHECK(read.count("owner_file:6-3-0302") == 2);
  // Newest first.
  CHECK(audit.body[0]["action"] == "access_log");
  CHECK(audit.body[1]["action"] == "reveal_phone");
}
