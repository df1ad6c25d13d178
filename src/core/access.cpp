#include "core/access.hpp"

namespace steward::core {

namespace {

constexpr std::array<std::string_view, 5> kRoleKeys = {"butler", "front_desk", "supervisor", "showroom_host",
                                                       "admin"};
constexpr std::array<std::string_view, 3> kFamilyKeys = {"visits", "ops", "owners"};

// How much a role can do at a site, to pick the one a person acts in when they hold several there.
int seniority(Role r) {
  switch (r) {
    case Role::ShowroomHost: return 0;
    case Role::FrontDesk: return 1;
    case Role::Butler: return 2;
    case Role::Supervisor: return 3;
    case Role::Admin: return 4;
  }
  return 0;
}

}  // namespace

std::string_view role_key(Role r) { return kRoleKeys.at(static_cast<size_t>(r)); }
std::optional<Role> role_from_key(std::string_view key) {
  for (size_t i = 0; i < kRoleKeys.size(); ++i)
    if (kRoleKeys[i] == key) return static_cast<Role>(i);
  return std::nullopt;
}
bool is_in_charge(Role r) { return r == Role::Supervisor || r == Role::Admin; }

std::string_view family_key(RecordFamily f) { return kFamilyKeys.at(static_cast<size_t>(f)); }
std::optional<RecordFamily> family_from_key(std::string_view key) {
  for (size_t i = 0; i < kFamilyKeys.size(); ++i)
    if (kFamilyKeys[i] == key) return static_cast<RecordFamily>(i);
  return std::nullopt;
}

bool valid_site_id(std::string_view site) {
  if (site.empty() || site.size() > 64) return false;
  for (char c : site)
    if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_')) return false;
  return true;
}

std::string database_name(std::string_view site, RecordFamily family) {
  std::string db(site);
  db += '-';
  db += family_key(family);
  return db;
}

std::optional<SiteDatabase> parse_database_name(std::string_view db) {
  const size_t dash = db.rfind('-');
  if (dash == std::string_view::npos) return std::nullopt;
  const auto site = db.substr(0, dash);
  const auto family = family_from_key(db.substr(dash + 1));
  if (!family || !valid_site_id(site)) return std::nullopt;
  return SiteDatabase{std::string(site), *family};
}

Access family_access(Role role, RecordFamily family) {
  switch (role) {
    case Role::ShowroomHost: return family == RecordFamily::Visits ? Access::ReadWrite : Access::None;
    case Role::FrontDesk: return family == RecordFamily::Owners ? Access::None : Access::ReadWrite;
    case Role::Butler:
      if (family == RecordFamily::Ops) return Access::ReadWrite;
      return family == RecordFamily::Owners ? Access::Read : Access::None;
    case Role::Supervisor:
    case Role::Admin: return Access::ReadWrite;
  }
  return Access::None;
}

Access database_access(const std::vector<Grant>& grants, std::string_view db) {
  const auto parsed = parse_database_name(db);
  if (!parsed) return Access::None;
  Access best = Access::None;
  for (const auto& g : grants) {
    if (g.site != parsed->site && !(g.site == "*" && g.role == Role::Admin)) continue;
    const Access a = family_access(g.role, parsed->family);
    if (static_cast<int>(a) > static_cast<int>(best)) best = a;
  }
  return best;
}

std::optional<Role> role_at_site(const std::vector<Grant>& grants, std::string_view site) {
  std::optional<Role> best;
  for (const auto& g : grants) {
    if (g.site != site && !(g.site == "*" && g.role == Role::Admin)) continue;
    if (!best || seniority(g.role) > seniority(*best)) best = g.role;
  }
  return best;
}

}  // namespace steward::core
