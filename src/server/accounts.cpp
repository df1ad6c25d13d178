#include "server/accounts.hpp"

#include <algorithm>

namespace steward::server {

using nlohmann::json;

namespace {

int setting(const json& doc, const char* name, int fallback, int max) {
  const auto it = doc.find(name);
  if (it == doc.end() || !it->is_number_integer()) return fallback;
  const auto value = it->get<int64_t>();
  return value < 1 || value > max ? fallback : static_cast<int>(value);
}

}  // namespace

SiteSettings site_settings(std::string_view id, const json& site_doc) {
  SiteSettings s;
  s.id = std::string(id);
  s.name = site_doc.is_object() && site_doc.contains("name") && site_doc["name"].is_string()
               ? site_doc["name"].get<std::string>()
               : s.id;
  if (site_doc.is_object()) {
    s.idle_lock_minutes = setting(site_doc, "idle_lock_minutes", s.idle_lock_minutes, kMaxIdleLockMinutes);
    s.retention_days = setting(site_doc, "retention_days", s.retention_days, kMaxRetentionDays);
  }
  return s;
}

nlohmann::ordered_json to_json(const SiteSettings& s) {
  return nlohmann::ordered_json{{"id", s.id},
                                {"name", s.name},
                                {"idle_lock_minutes", s.idle_lock_minutes},
                                {"retention_days", s.retention_days}};
}

bool valid_user_name(std::string_view name) {
  if (name.empty() || name.size() > 64 || name[0] == '.' || name[0] == '-') return false;
  return std::all_of(name.begin(), name.end(), [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_' || c == '.' || c == '-';
  });
}

// --- users -----------------------------------------------------------------------------------------------

std::vector<core::Grant> AccountTables::grants_of(std::string_view user) {
  Statement q(tx_.connection(), "SELECT site, role FROM grants WHERE user = ?1 ORDER BY site, role");
  q.bind(1, user);
  std::vector<core::Grant> out;
  while (q.step()) {
    // A role this version does not know (written by a newer one) gives nothing here.
    if (auto role = core::role_from_key(q.text(1))) out.push_back({q.text(0), *role});
  }
  return out;
}

std::optional<UserRecord> AccountTables::find_user(std::string_view name) {
  std::optional<UserRecord> user;
  {
    Statement q(tx_.connection(),
                "SELECT name, display_name, password_hash, disabled, created_at FROM users WHERE name = ?1");
    q.bind(1, name);
    if (!q.step()) return std::nullopt;
    user = UserRecord{q.text(0), q.text(1), q.text(2), q.integer(3) != 0, q.integer(4), {}};
  }
  user->grants = grants_of(user->name);
  return user;
}

std::vector<UserRecord> AccountTables::users() {
  std::vector<UserRecord> out;
  {
    Statement q(tx_.connection(),
                "SELECT name, display_name, password_hash, disabled, created_at FROM users ORDER BY name");
    while (q.step()) out.push_back(UserRecord{q.text(0), q.text(1), q.text(2), q.integer(3) != 0, q.integer(4), {}});
  }
  for (UserRecord& u : out) u.grants = grants_of(u.name);
  return out;
}

size_t AccountTables::user_count() {
  Statement q(tx_.connection(), "SELECT count(*) FROM users");
  q.step();
  return static_cast<size_t>(q.integer(0));
}

bool AccountTables::insert_user(const UserRecord& user) {
  Statement q(tx_.connection(),
              "INSERT INTO users(name, display_name, password_hash, disabled, created_at) VALUES (?1, ?2, ?3, ?4, ?5) "
              "ON CONFLICT(name) DO NOTHING RETURNING name");
  q.bind(1, user.name).bind(2, user.display_name).bind(3, user.password_hash).bind(4, int64_t(user.disabled));
  q.bind(5, user.created_at_ms);
  const bool inserted = q.step();
  while (q.step()) {
  }
  return inserted;
}

void AccountTables::set_password_hash(std::string_view name, std::string_view hash) {
  Statement q(tx_.connection(), "UPDATE users SET password_hash = ?2 WHERE name = ?1");
  q.bind(1, name).bind(2, hash);
  q.step();
}

void AccountTables::set_disabled(std::string_view name, bool disabled) {
  Statement q(tx_.connection(), "UPDATE users SET disabled = ?2 WHERE name = ?1");
  q.bind(1, name).bind(2, int64_t(disabled));
  q.step();
}

size_t AccountTables::server_admin_count() {
  Statement q(tx_.connection(),
              "SELECT count(*) FROM users JOIN grants ON grants.user = users.name "
              "WHERE users.disabled = 0 AND grants.site = '*' AND grants.role = 'admin'");
  q.step();
  return static_cast<size_t>(q.integer(0));
}

// --- grants ----------------------------------------------------------------------------------------------

bool AccountTables::add_grant(std::string_view user, const core::Grant& grant) {
  Statement q(tx_.connection(),
              "INSERT INTO grants(user, site, role) VALUES (?1, ?2, ?3) ON CONFLICT DO NOTHING RETURNING user");
  q.bind(1, user).bind(2, grant.site).bind(3, core::role_key(grant.role));
  const bool inserted = q.step();
  while (q.step()) {
  }
  return inserted;
}

bool AccountTables::remove_grant(std::string_view user, const core::Grant& grant) {
  Statement q(tx_.connection(), "DELETE FROM grants WHERE user = ?1 AND site = ?2 AND role = ?3 RETURNING user");
  q.bind(1, user).bind(2, grant.site).bind(3, core::role_key(grant.role));
  const bool removed = q.step();
  while (q.step()) {
  }
  return removed;
}

// --- sessions --------------------------------------------------------------------------------------------

void AccountTables::insert_session(std::string_view token_digest, const SessionRecord& session) {
  Statement q(tx_.connection(),
              "INSERT INTO sessions(token_digest, user, created_at, expires_at) VALUES (?1, ?2, ?3, ?4)");
  q.bind(1, token_digest).bind(2, session.user).bind(3, session.created_at_ms).bind(4, session.expires_at_ms);
  q.step();
}

std::optional<SessionRecord> AccountTables::find_session(std::string_view token_digest) {
  Statement q(tx_.connection(), "SELECT user, created_at, expires_at FROM sessions WHERE token_digest = ?1");
  q.bind(1, token_digest);
  if (!q.step()) return std::nullopt;
  return SessionRecord{q.text(0), q.integer(1), q.integer(2)};
}

void AccountTables::extend_session(std::string_view token_digest, int64_t expires_at_ms) {
  Statement q(tx_.connection(), "UPDATE sessions SET expires_at = ?2 WHERE token_digest = ?1");
  q.bind(1, token_digest).bind(2, expires_at_ms);
  q.step();
}

void AccountTables::delete_session(std::string_view token_digest) {
  Statement q(tx_.connection(), "DELETE FROM sessions WHERE token_digest = ?1");
  q.bind(1, token_digest);
  q.step();
}

void AccountTables::delete_sessions_of(std::string_view user, std::string_view keep) {
  Statement q(tx_.connection(), "DELETE FROM sessions WHERE user = ?1 AND token_digest != ?2");
  q.bind(1, user).bind(2, keep);
  q.step();
}

void AccountTables::delete_sessions_ended_before(int64_t now_ms) {
  Statement q(tx_.connection(), "DELETE FROM sessions WHERE expires_at < ?1");
  q.bind(1, now_ms);
  q.step();
}

// --- sites -----------------------------------------------------------------------------------------------

std::vector<SiteSettings> AccountTables::sites() {
  Statement q(tx_.connection(), "SELECT id, doc FROM sites ORDER BY id");
  std::vector<SiteSettings> out;
  while (q.step()) out.push_back(site_settings(q.text(0), json::parse(q.text(1), nullptr, false)));
  return out;
}

std::optional<SiteSettings> AccountTables::find_site(std::string_view id) {
  auto doc = tx_.site_doc(id);
  if (!doc) return std::nullopt;
  return site_settings(id, json::parse(*doc, nullptr, false));
}

}  // namespace steward::server
