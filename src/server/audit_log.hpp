// The server's audit log (table `audit`, migration 4): logins (ok and failed), logouts, accounts created,
// roles granted and removed, passwords reset, users disabled and enabled, sites created and changed, every read of
// an owner file through the API, and the access logs tablets write (a phone number revealed, an owner file opened),
// copied here when the server stores them. Appended inside the transaction of what it records, so an entry exists
// exactly when the thing happened; never changed or deleted through the API, and removed only once older than the
// retention (--audit-days: a year by default, at least the six months China's Cybersecurity Law asks of logs).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "server/sqlite_store.hpp"

namespace steward::server {

struct AuditEntry {
  int64_t at_ms = 0;               // epoch milliseconds
  std::string who;                 // a login name; "console" for the admin command; the name tried for a failed login
  std::string action;              // e.g. "login", "grant_added", "owner_file_read", "reveal_phone"
  std::optional<std::string> site; // none for what is not about one site (logins)
  std::string detail;              // for a person to read
};

namespace audit_action {
inline constexpr const char* kLogin = "login";
inline constexpr const char* kLoginFailed = "login_failed";
inline constexpr const char* kLogout = "logout";
inline constexpr const char* kUserCreated = "user_created";
inline constexpr const char* kGrantAdded = "grant_added";
inline constexpr const char* kGrantRemoved = "grant_removed";
inline constexpr const char* kPasswordReset = "password_reset";
inline constexpr const char* kUserDisabled = "user_disabled";
inline constexpr const char* kUserEnabled = "user_enabled";
inline constexpr const char* kSiteCreated = "site_created";
inline constexpr const char* kSiteChanged = "site_changed";
inline constexpr const char* kOwnerFileRead = "owner_file_read";
}  // namespace audit_action

void append_audit(StoreTransaction& tx, const AuditEntry& entry);
// Removes the entries older than the retention (`before_ms`, from --audit-days) and returns how many: those
// written before the first entry stamped at or after `before_ms`. An access log a tablet uploads days late carries
// its own, earlier time, so stamps are not in order; this way nothing inside the retention is ever removed (a late
// entry may outlive it a little).
int64_t prune_audit(StoreTransaction& tx, int64_t before_ms);
// Newest first; site nullopt: every entry. limit is clamped to 1..1000.
std::vector<AuditEntry> read_audit(StoreTransaction& tx, const std::optional<std::string>& site, int64_t limit);
nlohmann::ordered_json to_json(const AuditEntry& e);  // {at, who, action, site, detail}

// The time now, in epoch milliseconds, as every record of the server stamps it.
int64_t now_ms();

}  // namespace steward::server
