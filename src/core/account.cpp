#include "core/account.hpp"

#include <algorithm>
#include <stdexcept>

namespace steward::core {

namespace {

using nlohmann::json;

[[noreturn]] void malformed(const std::string& why) { throw std::invalid_argument("profile: " + why); }

std::string string_member(const json& obj, const char* key, bool required) {
  const auto it = obj.find(key);
  if (it == obj.end() || it->is_null()) {
    if (required) malformed(std::string("missing \"") + key + "\"");
    return {};
  }
  if (!it->is_string()) malformed(std::string("\"") + key + "\" is not a string");
  return it->get<std::string>();
}

int int_member(const json& obj, const char* key, int fallback) {
  const auto it = obj.find(key);
  if (it == obj.end() || it->is_null()) return fallback;
  if (!it->is_number_integer()) malformed(std::string("\"") + key + "\" is not an integer");
  const int64_t v = it->get<int64_t>();
  if (v < 0 || v > 100000) malformed(std::string("\"") + key + "\" is out of range");
  return static_cast<int>(v);
}

const json& array_member(const json& obj, const char* key) {
  static const json empty = json::array();
  const auto it = obj.find(key);
  if (it == obj.end() || it->is_null()) return empty;
  if (!it->is_array()) malformed(std::string("\"") + key + "\" is not an array");
  return *it;
}

}  // namespace

UserProfile profile_from_json(const json& me) {
  if (!me.is_object()) malformed("not an object");
  UserProfile p;
  p.name = string_member(me, "name", true);
  if (p.name.empty()) malformed("empty \"name\"");
  p.display_name = string_member(me, "display_name", false);
  if (p.display_name.empty()) p.display_name = p.name;
  for (const json& g : array_member(me, "grants")) {
    if (!g.is_object()) malformed("a grant is not an object");
    const std::string site = string_member(g, "site", true);
    const std::optional<Role> role = role_from_key(string_member(g, "role", true));
    if (!role) continue;
    if (site != "*" && !valid_site_id(site)) malformed("a grant names the site \"" + site + "\"");
    p.grants.push_back({site, *role});
  }
  for (const json& s : array_member(me, "sites")) {
    if (!s.is_object()) malformed("a site is not an object");
    SiteSettings site;
    site.id = string_member(s, "id", true);
    if (!valid_site_id(site.id)) malformed("a site's id \"" + site.id + "\" is not a site id");
    site.name = string_member(s, "name", false);
    if (site.name.empty()) site.name = site.id;
    site.idle_lock_minutes = int_member(s, "idle_lock_minutes", site.idle_lock_minutes);
    site.retention_days = int_member(s, "retention_days", site.retention_days);
    p.sites.push_back(std::move(site));
  }
  return p;
}

json to_json(const UserProfile& p) {
  json grants = json::array();
  for (const Grant& g : p.grants) grants.push_back({{"site", g.site}, {"role", role_key(g.role)}});
  json sites = json::array();
  for (const SiteSettings& s : p.sites)
    sites.push_back({{"id", s.id},
                     {"name", s.name},
                     {"idle_lock_minutes", s.idle_lock_minutes},
                     {"retention_days", s.retention_days}});
  return {{"name", p.name}, {"display_name", p.display_name}, {"grants", grants}, {"sites", sites}};
}

const SiteSettings* find_site(const UserProfile& p, std::string_view site_id) {
  for (const SiteSettings& s : p.sites)
    if (s.id == site_id) return &s;
  return nullptr;
}

std::vector<const SiteSettings*> sites_with_role(const UserProfile& p) {
  std::vector<const SiteSettings*> out;
  for (const SiteSettings& s : p.sites)
    if (role_at_site(p.grants, s.id)) out.push_back(&s);
  return out;
}

std::vector<RecordFamily> visible_families(Role role) {
  std::vector<RecordFamily> out;
  for (RecordFamily f : kAllRecordFamilies)
    if (family_access(role, f) != Access::None) out.push_back(f);
  return out;
}

int64_t offline_login_wait_ms(int failures) {
  constexpr int kFreeTries = 3;
  constexpr int64_t kFirstWaitMs = 5000;
  constexpr int64_t kLongestWaitMs = 15 * 60 * 1000;
  if (failures < kFreeTries) return 0;
  const int doublings = std::min(failures - kFreeTries, 20);
  return std::min(kLongestWaitMs, kFirstWaitMs << doublings);
}

std::string user_folder_name(std::string_view name) {
  const bool plain = !name.empty() && name.size() <= 64 && name.front() != '.' &&
                     std::all_of(name.begin(), name.end(), [](char c) {
                       return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_' || c == '.' || c == '-';
                     });
  // "x-" cannot begin a plain name's folder by accident: a plain name starting with "x-" is hex-encoded too.
  if (plain && !name.starts_with("x-")) return std::string(name);
  static constexpr char kHex[] = "0123456789abcdef";
  std::string out = "x-";
  for (unsigned char c : name) {
    out += kHex[c >> 4];
    out += kHex[c & 15];
  }
  return out;
}

int64_t idle_lock_ms(const SiteSettings& site) {
  const int minutes = site.idle_lock_minutes > 0 ? site.idle_lock_minutes : 5;
  return int64_t(minutes) * 60 * 1000;
}

}  // namespace steward::core
