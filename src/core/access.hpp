// Who may see and change what: the roles people hold at a site, the record families a site's data is split into
// (one database each), and the access each role has to each family. Pure rules, shared by the server (which
// enforces them on every request) and the tablet (which shows each person only the screens their role allows,
// online or offline).
#pragma once

#include <array>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace steward::core {

// The people of domain.md who hold a tablet. Admin manages accounts and sites; a grant of Admin on the site "*"
// is a server-wide administrator.
enum class Role { Butler, FrontDesk, Supervisor, ShowroomHost, Admin };
inline constexpr std::array<Role, 5> kAllRoles = {Role::ShowroomHost, Role::FrontDesk, Role::Butler,
                                                  Role::Supervisor, Role::Admin};
std::string_view role_key(Role r);  // "butler", "front_desk", "supervisor", "showroom_host", "admin"
std::optional<Role> role_from_key(std::string_view key);
// Supervisors and admins may do what the service standards reserve for the person in charge (close a ticket
// without a return visit, edit patrol routes, read the targets, manage accounts).
bool is_in_charge(Role r);

// A site's records live in one database per family: "<site>-visits", "<site>-ops", "<site>-owners".
enum class RecordFamily { Visits, Ops, Owners };
inline constexpr std::array<RecordFamily, 3> kAllRecordFamilies = {RecordFamily::Visits, RecordFamily::Ops,
                                                                   RecordFamily::Owners};
std::string_view family_key(RecordFamily f);  // "visits", "ops", "owners"
std::optional<RecordFamily> family_from_key(std::string_view key);

std::string database_name(std::string_view site, RecordFamily family);
struct SiteDatabase {
  std::string site;
  RecordFamily family = RecordFamily::Visits;
};
// "<site>-<family>" with a site id of [a-z0-9_] (1–64 chars); nullopt for any other name, which no role reaches.
std::optional<SiteDatabase> parse_database_name(std::string_view db);
bool valid_site_id(std::string_view site);

enum class Access { None, Read, ReadWrite };
// The access matrix (README lists it):
//             visits  ops  owners
// host          rw     -     -
// front desk    rw     rw    -
// butler        -      rw    r
// supervisor    rw     rw    rw
// admin         rw     rw    rw
Access family_access(Role role, RecordFamily family);

// A role held at a site ("*" for every site: only Admin is granted there).
struct Grant {
  std::string site;
  Role role = Role::Butler;
};
// The best access any of the grants gives to a database; None for a name that is not a site database.
Access database_access(const std::vector<Grant>& grants, std::string_view db);
// The role a person acts in at a site (the highest of their grants there, or an admin grant on "*").
std::optional<Role> role_at_site(const std::vector<Grant>& grants, std::string_view site);

}  // namespace steward::core
