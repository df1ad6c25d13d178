// Who is signed in on a tablet: the profile the server gives at login (GET /api/me), kept on the tablet so the
// same person can sign in again offline with the same role limits, and the rules that go with signing in on a
// shared tablet (the pause after wrong offline passwords, where each person's data lives).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "core/access.hpp"

namespace steward::core {

// What a site chooses for its tablets.
struct SiteSettings {
  std::string id;
  std::string name;
  int idle_lock_minutes = 5;  // the tablet locks after this long without a touch
  int retention_days = 30;    // synced visitor records older than this leave the tablet (the server keeps them)
};

struct UserProfile {
  std::string name;          // the login name ("butler"): what access logs record
  std::string display_name;  // "王管家": what timelines and the header show
  std::vector<Grant> grants;
  std::vector<SiteSettings> sites;  // the sites the grants reach, with their settings
};

// /api/me's answer (and the tablet's cached copy, which is the same shape). A grant of a role this version does not
// know is left out (a newer server may have more); anything else malformed throws std::invalid_argument.
UserProfile profile_from_json(const nlohmann::json& me);
nlohmann::json to_json(const UserProfile& p);

const SiteSettings* find_site(const UserProfile& p, std::string_view site_id);
// The sites the person can act at (a role there), in the server's order: more than one asks for a site picker.
std::vector<const SiteSettings*> sites_with_role(const UserProfile& p);

// The record families a role sees at all (read or write), in kAllRecordFamilies' order: the tablet opens and
// replicates a store for each of these, and for no other.
std::vector<RecordFamily> visible_families(Role role);

// How long to wait before the next offline password try after `failures` wrong ones in a row: none for the first
// three (typos), then 5 s doubling to a quarter of an hour. Kept per name on the tablet, so a reload does not reset it.
int64_t offline_login_wait_ms(int failures);

// A login name as a folder name: itself when it is made of [a-z0-9_.-] (not starting with '.'), otherwise "x-"
// and the UTF-8 bytes in hex, so no name can reach outside its folder or collide with another.
std::string user_folder_name(std::string_view name);

// The minutes without input after which the tablet locks; sites that set 0 or less get the demo's 5 (a tablet
// that never locks is not an option on a shared tablet).
int64_t idle_lock_ms(const SiteSettings& site);

}  // namespace steward::core
