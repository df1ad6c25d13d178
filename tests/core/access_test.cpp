#include <doctest/doctest.h>

#include "core/access.hpp"

using namespace steward::core;

TEST_CASE("database names: <site>-<family>, nothing else") {
  CHECK(database_name("demo", RecordFamily::Ops) == "demo-ops");
  const auto parsed = parse_database_name("east_garden2-owners");
  REQUIRE(parsed);
  CHECK(parsed->site == "east_garden2");
  CHECK(parsed->family == RecordFamily::Owners);
  for (const char* bad : {"demo", "demo-", "-ops", "demo-tickets", "Demo-ops", "de mo-ops", "demo-ops-x", "../demo-ops",
                          "_users", "demo-ops\n"})
    CHECK_MESSAGE(!parse_database_name(bad), bad);
}

TEST_CASE("role keys round-trip, an unknown key is refused") {
  for (Role r : kAllRoles) CHECK(role_from_key(role_key(r)) == r);
  CHECK(!role_from_key("root"));
  CHECK(is_in_charge(Role::Supervisor));
  CHECK(is_in_charge(Role::Admin));
  CHECK(!is_in_charge(Role::Butler));
}

TEST_CASE("each role reaches only its families, only at its own site") {
  const std::vector<Grant> host{{"demo", Role::ShowroomHost}};
  CHECK(database_access(host, "demo-visits") == Access::ReadWrite);
  CHECK(database_access(host, "demo-ops") == Access::None);
  CHECK(database_access(host, "demo-owners") == Access::None);
  CHECK(database_access(host, "other-visits") == Access::None);

  const std::vector<Grant> butler{{"demo", Role::Butler}};
  CHECK(database_access(butler, "demo-ops") == Access::ReadWrite);
  CHECK(database_access(butler, "demo-owners") == Access::Read);
  CHECK(database_access(butler, "demo-visits") == Access::None);

  const std::vector<Grant> two_sites{{"demo", Role::Butler}, {"east", Role::Supervisor}};
  CHECK(database_access(two_sites, "east-owners") == Access::ReadWrite);
  CHECK(database_access(two_sites, "demo-owners") == Access::Read);
  CHECK(role_at_site(two_sites, "east") == Role::Supervisor);
  CHECK(role_at_site(two_sites, "demo") == Role::Butler);
  CHECK(!role_at_site(two_sites, "west"));

  // "*" is for server-wide admins only: a butler granted on "*" reaches nothing.
  CHECK(database_access({{"*", Role::Butler}}, "demo-ops") == Access::None);
  CHECK(database_access({{"*", Role::Admin}}, "any_site-owners") == Access::ReadWrite);
  CHECK(role_at_site({{"*", Role::Admin}, {"demo", Role::Butler}}, "demo") == Role::Admin);
  CHECK(database_access({{"*", Role::Admin}}, "_users") == Access::None);
}

TEST_CASE("the person in charge may close without a return visit; admins count as in charge") {
  CHECK(family_access(Role::Admin, RecordFamily::Owners) == Access::ReadWrite);
  CHECK(family_access(Role::FrontDesk, RecordFamily::Owners) == Access::None);
}
