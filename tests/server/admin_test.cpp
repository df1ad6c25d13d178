// Managing accounts and sites on the real steward-server binary: the admin API (supervisors manage the users of
// their own site and nothing else; admins everything; never the last server admin gone), its audit log, and the
// admin command on the server binary, used while the server runs.
#include <doctest/doctest.h>

#include <set>
#include <string>

#include <nlohmann/json.hpp>

#include "test_fixtures.hpp"

using namespace steward::server::testing;
using nlohmann::json;

namespace {

Answer call(httplib::Client& client, const std::string& method, const std::string& path, const json& body = nullptr) {
  return ask(client, method, path, body.is_null() ? "" : body.dump());
}

void check_refused(const Answer& a, int status, const std::string& reason_part = "") {
  CAPTURE(a.raw);
  CHECK(a.status == status);
  if (!reason_part.empty()) CHECK(a.body["reason"].get<std::string>().find(reason_part) != std::string::npos);
}

httplib::Client as(int port, const std::string& user, const std::string& password) {
  httplib::Client client = make_client(port);
  client.set_basic_auth(user, password);
  return client;
}

bool contains(const std::string& text, const std::string& part) { return text.find(part) != std::string::npos; }

}  // namespace

TEST_CASE("admin API: a supervisor manages the users of their own site, and nothing beyond it") {
  RunningServer server;
  const int port = server.process->port();
  auto admin = server.client("admin");
  auto supervisor = server.client("supervisor");
  auto butler = server.client("butler");

  // Another site, with a supervisor of its own.
  REQUIRE(call(admin, "PUT", "/api/admin/sites/north", {{"name", "北岸花园"}}).status == 201);
  REQUIRE(call(admin, "POST", "/api/admin/users", {{"name", "north_sup"}, {"display_name", "北岸主管"}, {"password", "north-password"}}).status == 201);
  REQUIRE(call(admin, "POST", "/api/admin/users/north_sup/grants", {{"site", "north"}, {"role", "supervisor"}}).status == 200);

  // Creating a user: what is wrong is said.
  check_refused(call(supervisor, "POST", "/api/admin/users", {{"name", "wang2"}, {"display_name", "王二"}, {"password", "short"}}),
                400, "the password is too short (at least 8 characters, it has 5)");
  check_refused(call(supervisor, "POST", "/api/admin/users", {{"name", "wangerxiao"}, {"display_name", "王二"}, {"password", "wangerxiao"}}),
                400, "the password must not be the login name");
  check_refused(call(supervisor, "POST", "/api/admin/users", {{"name", "Wang Er"}, {"display_name", "王二"}, {"password", "wang-password"}}),
                400, "login name");
  check_refused(call(supervisor, "POST", "/api/admin/users", {{"name", "wang2"}, {"display_name", ""}, {"password", "wang-password"}}),
                400, "display name is empty");
  check_refused(call(supervisor, "POST", "/api/admin/users", {{"name", "wang2"}, {"display_name", "王二"}}), 400, "\"password\" is missing");
  check_refused(call(butler, "POST", "/api/admin/users", {{"name", "wang2"}, {"display_name", "王二"}, {"password", "wang-password"}}),
                403, "only supervisors and admins");
  // 8 Chinese characters are 8 characters.
  REQUIRE(call(supervisor, "POST", "/api/admin/users", {{"name", "wang2"}, {"display_name", "王二"}, {"password", "春眠不觉晓处处闻"}}).status == 201);
  check_refused(call(supervisor, "POST", "/api/admin/users", {{"name", "wang2"}, {"display_name", "王二"}, {"password", "wang-password"}}),
                409, "already exists");

  // Roles at the supervisor's own site, never admin, never elsewhere.
  auto wang = as(port, "wang2", "春眠不觉晓处处闻");
  check_refused(call(wang, "GET", "/couch/demo-ops"), 403);  // no role yet
  CHECK(call(supervisor, "POST", "/api/admin/users/wang2/grants", {{"site", "demo"}, {"role", "butler"}}).status == 200);
  CHECK(call(wang, "GET", "/couch/demo-ops").status == 200);
  check_refused(call(supervisor, "POST", "/api/admin/users/wang2/grants", {{"site", "demo"}, {"role", "admin"}}), 403, "admin role");
  check_refused(call(supervisor, "POST", "/api/admin/users/wang2/grants", {{"site", "north"}, {"role", "butler"}}), 403, "north");
  check_refused(call(supervisor, "POST", "/api/admin/users/wang2/grants", {{"site", "demo"}, {"role", "janitor"}}), 400, "unknown role");
  check_refused(call(supervisor, "POST", "/api/admin/users/nobody/grants", {{"site", "demo"}, {"role", "butler"}}), 404, "nobody");
  check_refused(call(admin, "POST", "/api/admin/users/wang2/grants", {{"site", "south"}, {"role", "butler"}}), 404, "no site");
  check_refused(call(admin, "POST", "/api/admin/users/wang2/grants", {{"site", "*"}, {"role", "butler"}}), 400);

  // The site's users, with their roles there.
  const Answer users = call(supervisor, "GET", "/api/admin/users?site=demo");
  REQUIRE(users.status == 200);
  bool listed = false;
  for (const json& u : users.body) {
    CHECK(u.contains("password_hash") == false);
    CHECK(u["name"] != "north_sup");
    if (u["name"] == "wang2") {
      listed = true;
      CHECK(u == json{{"name", "wang2"}, {"display_name", "王二"}, {"disabled", false}, {"grants", {{{"site", "demo"}, {"role", "butler"}}}}});
    }
  }
  CHECK(listed);
  check_refused(call(supervisor, "GET", "/api/admin/users"), 403);
  check_refused(call(supervisor, "GET", "/api/admin/users?site=north"), 403);
  check_refused(call(butler, "GET", "/api/admin/users?site=demo"), 403);
  CHECK(call(admin, "GET", "/api/admin/users").body.size() == 7);

  // A new password ends the old one and every session.
  auto login = make_client(port).Post("/couch/_session", json{{"name", "wang2"}, {"password", "春眠不觉晓处处闻"}}.dump(), "application/json");
  REQUIRE(login->status == 200);
  const std::string cookie = login->get_header_value("Set-Cookie").substr(0, login->get_header_value("Set-Cookie").find(';'));
  auto with_cookie = make_client(port);
  with_cookie.set_default_headers({{"Cookie", cookie}});
  CHECK(call(with_cookie, "GET", "/couch/demo-ops").status == 200);
  check_refused(call(supervisor, "POST", "/api/admin/users/wang2/password", {{"password", "1234567"}}), 400, "too short");
  CHECK(call(supervisor, "POST", "/api/admin/users/wang2/password", {{"password", "new-wang-password"}}).status == 200);
  check_refused(call(wang, "GET", "/couch/demo-ops"), 401);
  check_refused(call(with_cookie, "GET", "/couch/demo-ops"), 401);
  wang.set_basic_auth("wang2", "new-wang-password");
  CHECK(call(wang, "GET", "/couch/demo-ops").status == 200);

  // Disabled: nothing works, not even credentials checked a moment ago; enabled again, they do.
  CHECK(call(supervisor, "POST", "/api/admin/users/wang2/disabled", {{"disabled", true}}).status == 200);
  check_refused(call(wang, "GET", "/couch/demo-ops"), 401);
  check_refused(call(supervisor, "POST", "/api/admin/users/wang2/disabled", {{"disabled", "yes"}}), 400, "true or false");
  CHECK(call(supervisor, "POST", "/api/admin/users/wang2/disabled", {{"disabled", false}}).status == 200);
  CHECK(call(wang, "GET", "/couch/demo-ops").status == 200);

  // Users the supervisor does not manage: admins, other sites' staff, staff who also work elsewhere.
  check_refused(call(supervisor, "POST", "/api/admin/users/admin/password", {{"password", "taken-over!"}}), 403, "admin");
  check_refused(call(supervisor, "POST", "/api/admin/users/north_sup/disabled", {{"disabled", true}}), 403, "north");
  REQUIRE(call(admin, "POST", "/api/admin/users/wang2/grants", {{"site", "north"}, {"role", "butler"}}).status == 200);
  check_refused(call(supervisor, "POST", "/api/admin/users/wang2/disabled", {{"disabled", true}}), 403, "also works at site \"north\"");
  check_refused(call(supervisor, "DELETE", "/api/admin/users/wang2/grants/north/butler"), 403);
  // Their own site's role they may still remove.
  CHECK(call(supervisor, "DELETE", "/api/admin/users/wang2/grants/demo/butler").status == 200);
  check_refused(call(wang, "GET", "/couch/demo-ops"), 403);
  check_refused(call(supervisor, "DELETE", "/api/admin/users/wang2/grants/demo/butler"), 404, "does not hold");

  // Anyone changes their own password, knowing the current one.
  check_refused(call(butler, "POST", "/api/admin/users/butler/password", {{"password", "butler-new-password"}}), 400,
                "current_password");
  check_refused(call(butler, "POST", "/api/admin/users/butler/password",
                     {{"password", "butler-new-password"}, {"current_password", "not-it"}}),
                403, "not right");
  CHECK(call(butler, "GET", "/couch/demo-ops").status == 200);  // a wrong current password keeps the session
  CHECK(call(butler, "POST", "/api/admin/users/butler/password",
             {{"password", "butler-new-password"}, {"current_password", kDemoPassword}})
            .status == 200);
  CHECK(call(butler, "GET", "/couch/demo-ops").status == 401);
  auto butler_again = as(port, "butler", "butler-new-password");
  CHECK(call(butler_again, "GET", "/couch/demo-ops").status == 200);
  // Anonymous: nothing.
  auto anonymous = make_client(port);
  check_refused(call(anonymous, "GET", "/api/admin/users?site=demo"), 401);
}

TEST_CASE("admin API: the last server admin can be neither removed nor disabled") {
  RunningServer server;
  auto admin = server.client("admin");
  check_refused(call(admin, "DELETE", "/api/admin/users/admin/grants/*/admin"), 409, "last server admin");
  check_refused(call(admin, "POST", "/api/admin/users/admin/disabled", {{"disabled", true}}), 409, "last server admin");
  REQUIRE(call(admin, "POST", "/api/admin/users/supervisor/grants", {{"site", "*"}, {"role", "admin"}}).status == 200);
  CHECK(call(admin, "POST", "/api/admin/users/admin/disabled", {{"disabled", true}}).status == 200);
  auto second = server.client("supervisor");
  check_refused(call(second, "DELETE", "/api/admin/users/supervisor/grants/*/admin"), 409, "last server admin");
}

TEST_CASE("admin API: sites are created by admins, their settings changed by their supervisors") {
  RunningServer server;
  auto admin = server.client("admin");
  auto supervisor = server.client("supervisor");

  const Answer changed = call(supervisor, "PUT", "/api/admin/sites/demo", {{"idle_lock_minutes", 10}});
  CHECK(changed.status == 200);
  CHECK(changed.body == json{{"id", "demo"}, {"name", "滨江壹号售楼处"}, {"idle_lock_minutes", 10}, {"retention_days", 30}});
  CHECK(call(supervisor, "GET", "/api/me").body["sites"][0]["idle_lock_minutes"] == 10);
  check_refused(call(supervisor, "PUT", "/api/admin/sites/demo", {{"retention_days", 0}}), 400, "retention_days must be from 1 to");
  check_refused(call(supervisor, "PUT", "/api/admin/sites/demo", {{"idle_lock_minutes", "ten"}}), 400, "whole number");
  auto butler = server.client("butler");
  check_refused(call(butler, "PUT", "/api/admin/sites/demo", {{"idle_lock_minutes", 60}}), 403);
  check_refused(call(supervisor, "PUT", "/api/admin/sites/harbour", {{"name", "港湾大厦"}}), 403, "server admin");
  check_refused(call(admin, "PUT", "/api/admin/sites/harbour", {{"retention_days", 7}}), 400, "needs a name");
  check_refused(call(admin, "PUT", "/api/admin/sites/Harbour-1", {{"name", "港湾大厦"}}), 400, "site id");

  const Answer created = call(admin, "PUT", "/api/admin/sites/harbour", {{"name", "港湾大厦"}, {"retention_days", 7}});
  CHECK(created.status == 201);
  CHECK(created.body == json{{"id", "harbour"}, {"name", "港湾大厦"}, {"idle_lock_minutes", 5}, {"retention_days", 7}});
  for (const char* db : {"harbour-visits", "harbour-ops", "harbour-owners"}) CHECK(call(admin, "GET", std::string("/couch/") + db).status == 200);
  CHECK(call(admin, "GET", "/health").body["sites"] == 2);
  check_refused(call(supervisor, "GET", "/couch/harbour-visits"), 403);
}

TEST_CASE("admin API: the audit log, newest first, of the site asked for") {
  RunningServer server;
  auto admin = server.client("admin");
  auto supervisor = server.client("supervisor");
  REQUIRE(call(supervisor, "POST", "/api/admin/users", {{"name", "li"}, {"display_name", "小李"}, {"password", "li-password"}}).status == 201);
  REQUIRE(call(supervisor, "POST", "/api/admin/users/li/grants", {{"site", "demo"}, {"role", "front_desk"}}).status == 200);
  REQUIRE(call(supervisor, "PUT", "/api/admin/sites/demo", {{"retention_days", 60}}).status == 200);

  const Answer site = call(supervisor, "GET", "/api/admin/audit?site=demo&limit=2");
  REQUIRE(site.status == 200);
  REQUIRE(site.body.size() == 2);
  CHECK(site.body[0]["action"] == "site_changed");
  CHECK(site.body[0]["who"] == "supervisor");
  CHECK(site.body[0]["site"] == "demo");
  CHECK(contains(site.body[0]["detail"], "retention 60 days"));
  CHECK(site.body[1]["action"] == "grant_added");
  CHECK(site.body[1]["detail"] == "front_desk at demo to li");
  CHECK(site.body[0]["at"].get<int64_t>() >= site.body[1]["at"].get<int64_t>());
  check_refused(call(supervisor, "GET", "/api/admin/audit"), 403);
  check_refused(call(supervisor, "GET", "/api/admin/audit?site=demo&limit=lots"), 400, "limit");

  // What is done to a person shows in the audit of each site they work at.
  REQUIRE(call(admin, "PUT", "/api/admin/sites/north", {{"name", "北岸花园"}}).status == 201);
  REQUIRE(call(admin, "POST", "/api/admin/users/li/grants", {{"site", "north"}, {"role", "butler"}}).status == 200);
  REQUIRE(call(admin, "POST", "/api/admin/users/li/password", {{"password", "li-new-password"}}).status == 200);
  REQUIRE(call(admin, "POST", "/api/admin/users/li/disabled", {{"disabled", true}}).status == 200);
  for (const char* at : {"demo", "north"}) {
    CAPTURE(at);
    const Answer seen = call(admin, "GET", std::string("/api/admin/audit?limit=2&site=") + at);
    REQUIRE(seen.body.size() == 2);
    CHECK(seen.body[0]["action"] == "user_disabled");
    CHECK(seen.body[0]["detail"] == "li");
    CHECK(seen.body[1]["action"] == "password_reset");
    CHECK(seen.body[1]["detail"] == "password of li");
  }

  // The whole log, for a server admin: the logins too (ok and failed).
  auto wrong = make_client(server.process->port());
  wrong.set_basic_auth("li", "not-li-password");
  REQUIRE(wrong.Get("/couch/demo-visits")->status == 401);
  const Answer all = call(admin, "GET", "/api/admin/audit?limit=1000");
  std::set<std::string> actions;
  for (const json& e : all.body) actions.insert(e["action"].get<std::string>());
  for (const char* expected : {"login", "login_failed", "user_created", "grant_added", "site_changed"}) {
    CAPTURE(expected);
    CHECK(actions.count(expected) == 1);
  }
}

TEST_CASE("the admin command: accounts and sites from the console, while the server runs") {
  RunningServer server({"--no-demo"});
  const std::string dir = server.data_dir().string();
  auto admin_cmd = [&](std::vector<std::string> args, const std::string& input = "") {
    args.insert(args.begin(), {"admin", "--data", dir});
    return run_server_to_exit(args, std::chrono::seconds(30), input);
  };

  const Exited help = run_server_to_exit({"admin", "--help"});
  CHECK(help.status == 0);
  CHECK(contains(help.out, "add-user NAME DISPLAY_NAME"));
  CHECK(contains(help.out, "reset-password NAME"));
  const Exited nowhere = run_server_to_exit({"admin", "--data", dir + "/missing", "list-users"});
  CHECK(nowhere.status == 1);
  CHECK(contains(nowhere.err, "no Steward data in"));
  CHECK(admin_cmd({"frobnicate"}).status == 2);
  CHECK(contains(admin_cmd({"grant", "boss", "north"}).err, "missing role"));

  // The first admin of a server without the demo: created, granted, and usable at once on the running server.
  const Exited short_password = admin_cmd({"add-user", "boss", "老板"}, "short\n");
  CHECK(short_password.status == 1);
  CHECK(contains(short_password.err, "the password is too short"));
  const Exited created = admin_cmd({"add-user", "boss", "老板"}, "boss-password\n");
  CAPTURE(created.err);
  CHECK(created.status == 0);
  CHECK(contains(created.out, "created user boss (老板)"));
  CHECK(admin_cmd({"grant", "boss", "*", "admin"}).status == 0);
  auto boss = make_client(server.process->port());
  boss.set_basic_auth("boss", "boss-password");
  const Answer me = call(boss, "GET", "/api/me");
  CHECK(me.status == 200);
  CHECK(me.body["grants"] == json{{{"site", "*"}, {"role", "admin"}}});

  // A site and its staff.
  const Exited site = admin_cmd({"add-site", "north", "北岸花园", "--idle-lock-minutes", "3", "--retention-days", "14"});
  CHECK(site.status == 0);
  CHECK(contains(site.out, "created site north \"北岸花园\": idle lock 3 min, retention 14 days"));
  CHECK(contains(admin_cmd({"add-site", "north", "again"}).err, "exists already"));
  CHECK(admin_cmd({"set-site", "north", "--retention-days", "21"}).status == 0);
  CHECK(contains(admin_cmd({"add-site", "north2", "x", "--retention-days", "0"}).err, "retention_days must be from 1"));
  CHECK(admin_cmd({"add-user", "lin", "林管家"}, "lin-password\n").status == 0);
  CHECK(admin_cmd({"grant", "lin", "north", "butler"}).status == 0);
  CHECK(contains(admin_cmd({"grant", "lin", "north", "janitor"}).err, "unknown role"));
  auto lin = make_client(server.process->port());
  lin.set_basic_auth("lin", "lin-password");
  CHECK(call(lin, "GET", "/couch/north-ops").status == 200);
  CHECK(call(lin, "GET", "/api/me").body["sites"][0]["retention_days"] == 21);
  const Exited users = admin_cmd({"list-users", "north"});
  CHECK(users.out == "lin\t林管家\tenabled\tbutler@north\n");

  // Reset, disable, enable, revoke.
  CHECK(admin_cmd({"reset-password", "lin"}, "lin-second-password\n").status == 0);
  CHECK(call(lin, "GET", "/couch/north-ops").status == 401);
  lin.set_basic_auth("lin", "lin-second-password");
  CHECK(call(lin, "GET", "/couch/north-ops").status == 200);
  CHECK(admin_cmd({"disable-user", "lin"}).status == 0);
  CHECK(call(lin, "GET", "/couch/north-ops").status == 401);
  CHECK(admin_cmd({"enable-user", "lin"}).status == 0);
  CHECK(admin_cmd({"revoke", "lin", "north", "butler"}).status == 0);
  CHECK(call(lin, "GET", "/couch/north-ops").status == 403);
  const Exited last = admin_cmd({"disable-user", "boss"});
  CHECK(last.status == 1);
  CHECK(contains(last.err, "last server admin"));

  // All of it in the audit log, as the console.
  const Exited audit = admin_cmd({"audit", "--limit", "100"});
  CHECK(contains(audit.out, "console\tuser_created\t-\tboss (老板)"));
  CHECK(contains(audit.out, "console\tgrant_removed\tnorth\tbutler at north from lin"));
  CHECK(contains(audit.out, "console\tuser_disabled\tnorth\tlin"));  // at the site where lin works
  CHECK(contains(audit.out, "console\tpassword_reset\tnorth\tpassword of lin"));
}
