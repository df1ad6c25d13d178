#include <doctest/doctest.h>

#include "core/access_log.hpp"
#include "core/account.hpp"
#include "core/retention.hpp"

using namespace steward::core;
using nlohmann::json;

namespace {

json butler_me() {
  return json::parse(R"({"name":"butler","display_name":"王管家","grants":[{"site":"demo","role":"butler"}],
    "sites":[{"id":"demo","name":"滨江壹号售楼处","idle_lock_minutes":5,"retention_days":30}]})");
}

}  // namespace

TEST_CASE("the profile /api/me gives: grants, sites with their settings; kept and read back the same") {
  const UserProfile p = profile_from_json(butler_me());
  CHECK(p.name == "butler");
  CHECK(p.display_name == "王管家");
  REQUIRE(p.grants.size() == 1);
  CHECK(p.grants[0].site == "demo");
  CHECK(p.grants[0].role == Role::Butler);
  REQUIRE(p.sites.size() == 1);
  CHECK(p.sites[0].name == "滨江壹号售楼处");
  CHECK(p.sites[0].idle_lock_minutes == 5);
  CHECK(p.sites[0].retention_days == 30);
  CHECK(to_json(profile_from_json(to_json(p))) == to_json(p));
  CHECK(role_at_site(p.grants, "demo") == Role::Butler);
  CHECK(find_site(p, "demo") == &p.sites[0]);
  CHECK(find_site(p, "other") == nullptr);
}

TEST_CASE("a profile: unknown roles left out, malformed ones refused with the reason") {
  json me = butler_me();
  me["grants"].push_back({{"site", "demo"}, {"role", "night_watch"}});
  CHECK(profile_from_json(me).grants.size() == 1);

  for (const char* bad : {R"([])", R"({"display_name":"x"})", R"({"name":""})", R"({"name":"a","grants":{}})",
                          R"({"name":"a","grants":[{"site":"../x","role":"butler"}]})",
                          R"({"name":"a","sites":[{"id":"demo","idle_lock_minutes":"5"}]})",
                          R"({"name":"a","sites":[{"id":"Demo Site"}]})"}) {
    CHECK_THROWS_AS_MESSAGE(profile_from_json(json::parse(bad)), std::invalid_argument, bad);
  }
  // The display name falls back to the login name; a site's settings to the defaults.
  const UserProfile bare = profile_from_json(json::parse(R"({"name":"x","sites":[{"id":"s1"}]})"));
  CHECK(bare.display_name == "x");
  CHECK(bare.sites[0].name == "s1");
  CHECK(bare.sites[0].idle_lock_minutes == 5);
}

TEST_CASE("a site picker only when roles at several sites; an admin on \"*\" acts at every site listed") {
  UserProfile p = profile_from_json(butler_me());
  CHECK(sites_with_role(p).size() == 1);
  p.sites.push_back({"east", "东园", 10, 60});
  CHECK(sites_with_role(p).size() == 1);  // listed, but no role there
  p.grants.push_back({"east", Role::Supervisor});
  CHECK(sites_with_role(p).size() == 2);

  UserProfile admin;
  admin.name = "admin";
  admin.grants = {{"*", Role::Admin}};
  admin.sites = {{"demo", "滨江壹号售楼处", 5, 30}, {"east", "东园", 10, 60}};
  CHECK(sites_with_role(admin).size() == 2);
}

TEST_CASE("each role's stores: the families it sees at all") {
  CHECK(visible_families(Role::ShowroomHost) == std::vector<RecordFamily>{RecordFamily::Visits});
  CHECK(visible_families(Role::FrontDesk) == std::vector<RecordFamily>{RecordFamily::Visits, RecordFamily::Ops});
  CHECK(visible_families(Role::Butler) == std::vector<RecordFamily>{RecordFamily::Ops, RecordFamily::Owners});
  CHECK(visible_families(Role::Supervisor).size() == 3);
  CHECK(visible_families(Role::Admin).size() == 3);
}

TEST_CASE("wrong offline passwords: three free tries, then a wait that doubles up to a quarter of an hour") {
  CHECK(offline_login_wait_ms(0) == 0);
  CHECK(offline_login_wait_ms(2) == 0);
  CHECK(offline_login_wait_ms(3) == 5000);
  CHECK(offline_login_wait_ms(4) == 10000);
  CHECK(offline_login_wait_ms(5) == 20000);
  CHECK(offline_login_wait_ms(12) == 15 * 60 * 1000);
  CHECK(offline_login_wait_ms(1000) == 15 * 60 * 1000);
}

TEST_CASE("a login name as a folder: plain names as they are, anything else hex-encoded") {
  CHECK(user_folder_name("butler") == "butler");
  CHECK(user_folder_name("zhang.wei-2") == "zhang.wei-2");
  CHECK(user_folder_name("../etc") == "x-2e2e2f657463");
  CHECK(user_folder_name(".hidden") == "x-2e68696464656e");
  CHECK(user_folder_name("王") == "x-e78e8b");
  CHECK(user_folder_name("Admin") == "x-41646d696e");
  CHECK(user_folder_name("x-41") != "x-41");  // cannot collide with an encoded one
  CHECK(user_folder_name("") == "x-");
}

TEST_CASE("idle lock: the site's minutes; none or a negative number is the default five") {
  CHECK(idle_lock_ms({"demo", "", 5, 30}) == 5 * 60 * 1000);
  CHECK(idle_lock_ms({"demo", "", 1, 30}) == 60 * 1000);
  CHECK(idle_lock_ms({"demo", "", 0, 30}) == 5 * 60 * 1000);
}

TEST_CASE("an access log document: contract fields, read back") {
  const AccessLogEntry e =
      make_access_log("1234", "host", 1'700'000'000'000, kActionRevealPhone, "demo", "visit:abc", "device-1");
  const json doc = to_json(e);
  CHECK(doc["_id"] == "access_log:1234");
  CHECK(doc["type"] == "access_log");
  CHECK(doc["who"] == "host");
  CHECK(doc["at"] == 1'700'000'000'000);
  CHECK(doc["action"] == "reveal_phone");
  CHECK(doc["site"] == "demo");
  CHECK(doc["record_id"] == "visit:abc");
  CHECK(doc["device"] == "device-1");
  CHECK(to_json(access_log_from_json(doc)) == doc);
  json bad = doc;
  bad.erase("who");
  CHECK_THROWS_AS(access_log_from_json(bad), std::invalid_argument);
}

TEST_CASE("retention: visits and access logs before the cutoff; nothing else, and nothing when retention is off") {
  const int64_t day = 24 * 60 * 60 * 1000;
  const int64_t now = 1'700'000'000'000;
  const int64_t cutoff = retention_cutoff_ms(now, 30);
  CHECK(cutoff == now - 30 * day);
  CHECK(retention_cutoff_ms(now, 0) == 0);

  const json old_visit = {{"type", "visit"}, {"arrived_ms", now - 31 * day}};
  const json new_visit = {{"type", "visit"}, {"arrived_ms", now - 29 * day}};
  CHECK(past_retention("visit:1", old_visit, cutoff));
  CHECK_FALSE(past_retention("visit:2", new_visit, cutoff));
  CHECK_FALSE(past_retention("visit:1", old_visit, 0));
  CHECK(past_retention("access_log:1", {{"type", "access_log"}, {"at", now - 40 * day}}, cutoff));
  CHECK_FALSE(past_retention("access_log:1", {{"type", "access_log"}, {"at", now}}, cutoff));
  CHECK_FALSE(past_retention("site:demo", {{"type", "site"}, {"arrived_ms", 0}}, cutoff));
  CHECK_FALSE(past_retention("site:demo", old_visit, cutoff));  // a visit's fields under another id
  CHECK_FALSE(past_retention("visit:3", {{"type", "visit"}}, cutoff));  // no time: kept
  CHECK_FALSE(past_retention("visit:4", json::object(), cutoff));       // a tombstone's empty body
}
