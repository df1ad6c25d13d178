// The accounts in the server's SQLite file (migration 4 in sqlite_store.cpp): people, the roles they hold at
// each site, their login sessions, and the sites' settings. Only rows in and out, inside one transaction; who may
// change what is decided by account_admin.cpp, how a request proves who it is by auth.cpp.
//
//   users     name (the login name), display name, Argon2id hash, disabled
//   grants    (user, site, role): a role held at a site; site "*" with role admin is a server-wide admin
//   sessions  one per login (cookie): a digest of its token (never the token), its user, when it ends
//   sites     (migration 1) the site document, whose members idle_lock_minutes and retention_days are the
//             settings the site chooses for its tablets
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "core/access.hpp"
#include "server/sqlite_store.hpp"

namespace steward::server {

struct UserRecord {
  std::string name;
  std::string display_name;
  std::string password_hash;
  bool disabled = false;
  int64_t created_at_ms = 0;
  std::vector<core::Grant> grants;  // by site, then role
};

struct SessionRecord {
  std::string user;
  int64_t created_at_ms = 0;
  int64_t expires_at_ms = 0;
};

// What a site chooses for its tablets, and what /api/me tells them.
struct SiteSettings {
  std::string id;
  std::string name;
  int idle_lock_minutes = 5;  // a tablet locks after this long untouched
  int retention_days = 30;    // synced visitor records older than this leave the tablets (the server keeps them)
};
inline constexpr int kMaxIdleLockMinutes = 24 * 60;
inline constexpr int kMaxRetentionDays = 10 * 366;
// The settings read from a site document (defaults for members it lacks, as older documents do).
SiteSettings site_settings(std::string_view id, const nlohmann::json& site_doc);
nlohmann::ordered_json to_json(const SiteSettings& s);

// A login name: 1–64 of [a-z0-9_.-], not starting with '.' or '-' (so it is also a safe folder name on a tablet).
bool valid_user_name(std::string_view name);

class AccountTables {
 public:
  explicit AccountTables(StoreTransaction& tx) : tx_(tx) {}

  // --- users
  std::optional<UserRecord> find_user(std::string_view name);
  std::vector<UserRecord> users();  // by name, with their grants
  size_t user_count();
  bool insert_user(const UserRecord& user);  // false when the name is taken (grants are not inserted)
  void set_password_hash(std::string_view name, std::string_view hash);
  void set_disabled(std::string_view name, bool disabled);
  // Enabled users holding admin on "*".
  size_t server_admin_count();

  // --- grants
  bool add_grant(std::string_view user, const core::Grant& grant);     // false when already held
  bool remove_grant(std::string_view user, const core::Grant& grant);  // false when not held

  // --- sessions, by the digest of their token
  void insert_session(std::string_view token_digest, const SessionRecord& session);
  std::optional<SessionRecord> find_session(std::string_view token_digest);
  void extend_session(std::string_view token_digest, int64_t expires_at_ms);
  void delete_session(std::string_view token_digest);
  // Every session of `user` but `keep` (a token digest; empty: none kept).
  void delete_sessions_of(std::string_view user, std::string_view keep = {});
  void delete_sessions_ended_before(int64_t now_ms);

  // --- sites
  std::vector<SiteSettings> sites();  // by id
  std::optional<SiteSettings> find_site(std::string_view id);

 private:
  std::vector<core::Grant> grants_of(std::string_view user);
  StoreTransaction& tx_;
};

}  // namespace steward::server
