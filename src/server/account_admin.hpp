// Managing accounts and sites: the operations behind the admin API (/api/admin/...) and the admin command on
// the server binary, with who may do each. Every change is checked, written and audited in one transaction.
//
// Who may do what:
//   server admin (admin on "*")   everything
//   supervisor or admin at a site  create users; grant and remove that site's roles other than admin; reset the
//                                  password of, disable or enable, a user whose every role is at sites they are
//                                  in charge of (and none is admin); change that site's settings; read that
//                                  site's users and audit log
//   anyone logged in               change their own password
// Never: removing or disabling the last enabled server admin (nobody could manage the server after that).
//
// Refusals are CouchError with a reason naming what is wrong: 400 bad input, 403 not allowed, 404 no such user
// or site, 409 already exists / the last admin.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "server/accounts.hpp"
#include "server/audit_log.hpp"
#include "server/auth.hpp"
#include "server/passwords.hpp"

namespace steward::server {

class SqliteStore;

// A user as the admin screen lists them (never the hash).
struct UserSummary {
  std::string name;
  std::string display_name;
  bool disabled = false;
  std::vector<core::Grant> grants;
};
nlohmann::ordered_json to_json(const UserSummary& u);
nlohmann::ordered_json to_json(const core::Grant& g);  // {"site","role"}

// Optional members of a site's settings in a change; a new site needs a name.
struct SiteChange {
  std::optional<std::string> name;
  std::optional<int> idle_lock_minutes;
  std::optional<int> retention_days;
};

class AccountAdmin {
 public:
  AccountAdmin(SqliteStore& store, HashCost cost) : store_(store), cost_(cost) {}

  void create_user(const Principal& actor, const std::string& name, const std::string& display_name,
                   const std::string& password);
  void add_grant(const Principal& actor, const std::string& user, const core::Grant& grant);
  void remove_grant(const Principal& actor, const std::string& user, const core::Grant& grant);
  // Ends every session of the user, so the old password stops working everywhere at once (but the one of a person
  // changing their own password, who goes on where they are).
  void set_password(const Principal& actor, const std::string& user, const std::string& password);
  void set_disabled(const Principal& actor, const std::string& user, bool disabled);
  // Creates the site (and its databases) or changes its settings. Returns the settings now and whether it was new.
  std::pair<SiteSettings, bool> put_site(const Principal& actor, const std::string& id, const SiteChange& change);

  // The users holding a role at `site` (every user for a server admin without a site), with their roles there.
  std::vector<UserSummary> users(const Principal& actor, const std::optional<std::string>& site);
  std::vector<AuditEntry> audit(const Principal& actor, const std::optional<std::string>& site, int64_t limit);

 private:
  SqliteStore& store_;
  HashCost cost_;
};

// Whether `actor` is in charge (supervisor or admin) at `site`.
bool in_charge_at(const Principal& actor, const std::string& site);

}  // namespace steward::server
