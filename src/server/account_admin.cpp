#include "server/account_admin.hpp"

#include <algorithm>

#include "core/site.hpp"
#include "server/couch_db.hpp"
#include "server/couch_error.hpp"
#include "server/sqlite_store.hpp"

namespace steward::server {

using couch::CouchError;
using couch::forbidden;
using nlohmann::json;

namespace {

constexpr size_t kMaxDisplayName = 100;

CouchError no_such_user(const std::string& name) { return couch::not_found("no user named \"" + name + "\""); }

void check_display_name(const std::string& display_name) {
  if (display_name.empty()) throw couch::bad_request("the display name is empty");
  if (display_name.size() > kMaxDisplayName) {
    throw couch::bad_request("the display name is too long (at most " + std::to_string(kMaxDisplayName) + " bytes)");
  }
  for (unsigned char c : display_name) {
    if (c < 0x20 || c == 0x7f) throw couch::bad_request("the display name contains a control character");
  }
}

void check_password(const std::string& password, const std::string& name) {
  if (auto problem = password_problem(password, name)) throw couch::bad_request(*problem);
}

std::string grant_text(const core::Grant& g) { return std::string(core::role_key(g.role)) + " at " + g.site; }

// A grant's site must be a site of this server, or "*" for a server admin.
void check_grant(AccountTables& accounts, const core::Grant& grant) {
  if (grant.site == "*") {
    if (grant.role != core::Role::Admin) throw couch::bad_request("only the admin role can be held on every site (\"*\")");
    return;
  }
  if (!core::valid_site_id(grant.site)) throw couch::bad_request("\"" + grant.site + "\" is not a site id");
  if (!accounts.find_site(grant.site)) throw couch::not_found("no site \"" + grant.site + "\"");
}

void check_may_grant(const Principal& actor, const core::Grant& grant) {
  if (actor.server_admin()) return;
  if (grant.role == core::Role::Admin) throw forbidden("only a server admin may grant or remove the admin role");
  if (!in_charge_at(actor, grant.site)) {
    throw forbidden("you are not a supervisor or admin at site \"" + grant.site + "\"");
  }
}

// Whether the actor manages this user: every role of theirs is at a site the actor is in charge of, none is admin.
void check_manages(const Principal& actor, const UserRecord& user) {
  if (actor.server_admin()) return;
  if (user.grants.empty()) throw forbidden("only a server admin manages a user without a role at any site");
  for (const core::Grant& g : user.grants) {
    if (g.role == core::Role::Admin) throw forbidden("only a server admin manages an admin");
    if (!in_charge_at(actor, g.site)) {
      throw forbidden("\"" + user.name + "\" also works at site \"" + g.site + "\", which you are not in charge of");
    }
  }
}

bool is_server_admin_grant(const core::Grant& g) { return g.site == "*" && g.role == core::Role::Admin; }

// What is done to a person is audited at each site where they work, so that every site's supervisors see it in
// their site's audit; a person without a site's role gets one entry without a site (server admins see it).
void audit_at_sites_of(StoreTransaction& tx, const UserRecord& user, AuditEntry entry) {
  std::vector<std::string> sites;
  for (const core::Grant& g : user.grants)
    if (g.site != "*" && std::find(sites.begin(), sites.end(), g.site) == sites.end()) sites.push_back(g.site);
  if (sites.empty()) return append_audit(tx, entry);
  for (const std::string& site : sites) {
    entry.site = site;
    append_audit(tx, entry);
  }
}

void check_setting(const std::optional<int>& value, const char* name, int max) {
  if (value && (*value < 1 || *value > max)) {
    throw couch::bad_request(std::string(name) + " must be from 1 to " + std::to_string(max));
  }
}

}  // namespace

bool in_charge_at(const Principal& actor, const std::string& site) {
  const auto role = core::role_at_site(actor.grants, site);
  return role && core::is_in_charge(*role);
}

nlohmann::ordered_json to_json(const core::Grant& g) {
  return nlohmann::ordered_json{{"site", g.site}, {"role", core::role_key(g.role)}};
}

nlohmann::ordered_json to_json(const UserSummary& u) {
  nlohmann::ordered_json grants = nlohmann::ordered_json::array();
  for (const core::Grant& g : u.grants) grants.push_back(to_json(g));
  return nlohmann::ordered_json{
      {"name", u.name}, {"display_name", u.display_name}, {"disabled", u.disabled}, {"grants", grants}};
}

void AccountAdmin::create_user(const Principal& actor, const std::string& name, const std::string& display_name,
                               const std::string& password) {
  const bool supervises_somewhere = std::any_of(actor.grants.begin(), actor.grants.end(), [&](const core::Grant& g) {
    return core::is_in_charge(g.role);
  });
  if (!supervises_somewhere) throw forbidden("only supervisors and admins create users");
  if (!valid_user_name(name)) {
    throw couch::bad_request("the login name must be 1 to 64 of a-z, 0-9, '_', '.', '-', not starting with '.' or '-'");
  }
  check_display_name(display_name);
  check_password(password, name);
  const std::string hash = hash_password(password, cost_);
  store_.write([&](StoreTransaction& tx) {
    AccountTables accounts(tx);
    if (!accounts.insert_user({name, display_name, hash, false, now_ms(), {}})) {
      throw CouchError(409, "conflict", "a user named \"" + name + "\" already exists");
    }
    append_audit(tx, {now_ms(), actor.name, audit_action::kUserCreated, std::nullopt, name + " (" + display_name + ")"});
  });
}

void AccountAdmin::add_grant(const Principal& actor, const std::string& user, const core::Grant& grant) {
  check_may_grant(actor, grant);
  store_.write([&](StoreTransaction& tx) {
    AccountTables accounts(tx);
    check_grant(accounts, grant);
    if (!accounts.find_user(user)) throw no_such_user(user);
    if (!accounts.add_grant(user, grant)) return;  // already held: nothing happened, nothing to audit
    const std::optional<std::string> site = grant.site == "*" ? std::nullopt : std::optional(grant.site);
    append_audit(tx, {now_ms(), actor.name, audit_action::kGrantAdded, site, grant_text(grant) + " to " + user});
  });
}

void AccountAdmin::remove_grant(const Principal& actor, const std::string& user, const core::Grant& grant) {
  check_may_grant(actor, grant);
  store_.write([&](StoreTransaction& tx) {
    AccountTables accounts(tx);
    auto record = accounts.find_user(user);
    if (!record) throw no_such_user(user);
    if (is_server_admin_grant(grant) && !record->disabled && accounts.server_admin_count() <= 1) {
      throw CouchError(409, "conflict", "\"" + user + "\" is the last server admin; grant admin on \"*\" to someone else first");
    }
    if (!accounts.remove_grant(user, grant)) throw couch::not_found("\"" + user + "\" does not hold " + grant_text(grant));
    const std::optional<std::string> site = grant.site == "*" ? std::nullopt : std::optional(grant.site);
    append_audit(tx, {now_ms(), actor.name, audit_action::kGrantRemoved, site, grant_text(grant) + " from " + user});
  });
}

void AccountAdmin::set_password(const Principal& actor, const std::string& user, const std::string& password) {
  check_password(password, user);
  std::optional<UserRecord> record;
  store_.read([&](StoreTransaction& tx) { record = AccountTables(tx).find_user(user); });
  if (!record) throw no_such_user(user);
  if (actor.name != user) check_manages(actor, *record);
  const std::string hash = hash_password(password, cost_);
  store_.write([&](StoreTransaction& tx) {
    AccountTables accounts(tx);
    const auto current = accounts.find_user(user);
    if (!current) throw no_such_user(user);
    accounts.set_password_hash(user, hash);
    // Everyone signed in as `user` is signed out, except the person changing their own password, here.
    accounts.delete_sessions_of(user, actor.name == user ? actor.session_digest : std::string());
    audit_at_sites_of(tx, *current, {now_ms(), actor.name, audit_action::kPasswordReset, std::nullopt, "password of " + user});
  });
}

void AccountAdmin::set_disabled(const Principal& actor, const std::string& user, bool disabled) {
  store_.write([&](StoreTransaction& tx) {
    AccountTables accounts(tx);
    auto record = accounts.find_user(user);
    if (!record) throw no_such_user(user);
    check_manages(actor, *record);
    if (record->disabled == disabled) return;
    if (disabled && std::any_of(record->grants.begin(), record->grants.end(), is_server_admin_grant) &&
        accounts.server_admin_count() <= 1) {
      throw CouchError(409, "conflict", "\"" + user + "\" is the last server admin and cannot be disabled");
    }
    accounts.set_disabled(user, disabled);
    if (disabled) accounts.delete_sessions_of(user);
    audit_at_sites_of(tx, *record, {now_ms(), actor.name,
                                    disabled ? audit_action::kUserDisabled : audit_action::kUserEnabled, std::nullopt, user});
  });
}

std::pair<SiteSettings, bool> AccountAdmin::put_site(const Principal& actor, const std::string& id,
                                                     const SiteChange& change) {
  if (!core::valid_site_id(id)) throw couch::bad_request("a site id is 1 to 64 of a-z, 0-9 and '_'");
  if (change.name) check_display_name(*change.name);
  check_setting(change.idle_lock_minutes, "idle_lock_minutes", kMaxIdleLockMinutes);
  check_setting(change.retention_days, "retention_days", kMaxRetentionDays);

  SiteSettings result;
  bool created = false;
  store_.write([&](StoreTransaction& tx) {
    const auto existing = tx.site_doc(id);
    json doc;
    if (existing) {
      if (!in_charge_at(actor, id)) throw forbidden("you are not a supervisor or admin at site \"" + id + "\"");
      doc = json::parse(*existing, nullptr, false);
      if (!doc.is_object()) doc = json::object();
    } else {
      if (!actor.server_admin()) throw forbidden("only a server admin creates sites");
      if (!change.name) throw couch::bad_request("a new site needs a name");
      core::Site site;
      site.id = id;
      site.name = *change.name;
      doc = core::to_json(site);
      couch::CouchTables tables(tx);
      for (core::RecordFamily family : core::kAllRecordFamilies) tables.create_db(core::database_name(id, family));
      created = true;
    }
    const SiteSettings before = site_settings(id, doc);
    if (change.name) doc["name"] = *change.name;
    doc["idle_lock_minutes"] = change.idle_lock_minutes.value_or(before.idle_lock_minutes);
    doc["retention_days"] = change.retention_days.value_or(before.retention_days);
    tx.put_site(id, doc.dump());
    result = site_settings(id, doc);
    append_audit(tx, {now_ms(), actor.name, created ? audit_action::kSiteCreated : audit_action::kSiteChanged, id,
                      "\"" + result.name + "\", idle lock " + std::to_string(result.idle_lock_minutes) +
                          " min, retention " + std::to_string(result.retention_days) + " days"});
  });
  return {result, created};
}

std::vector<UserSummary> AccountAdmin::users(const Principal& actor, const std::optional<std::string>& site) {
  if (site ? !in_charge_at(actor, *site) : !actor.server_admin()) {
    throw forbidden(site ? "you are not a supervisor or admin at site \"" + *site + "\""
                         : std::string("only a server admin lists the users of every site (name one with ?site=)"));
  }
  std::vector<UserSummary> out;
  store_.read([&](StoreTransaction& tx) {
    for (UserRecord& u : AccountTables(tx).users()) {
      UserSummary summary{u.name, u.display_name, u.disabled, {}};
      for (const core::Grant& g : u.grants) {
        // A supervisor sees the roles at their site; a server admin sees them all.
        if (!site || g.site == *site || actor.server_admin()) summary.grants.push_back(g);
      }
      const bool at_site = !site || std::any_of(u.grants.begin(), u.grants.end(), [&](const core::Grant& g) {
        return g.site == *site;
      });
      if (at_site) out.push_back(std::move(summary));
    }
  });
  return out;
}

std::vector<AuditEntry> AccountAdmin::audit(const Principal& actor, const std::optional<std::string>& site,
                                            int64_t limit) {
  if (site ? !in_charge_at(actor, *site) : !actor.server_admin()) {
    throw forbidden(site ? "you are not a supervisor or admin at site \"" + *site + "\""
                         : std::string("only a server admin reads the whole audit log (name a site with ?site=)"));
  }
  std::vector<AuditEntry> out;
  store_.read([&](StoreTransaction& tx) { out = read_audit(tx, site, limit); });
  return out;
}

}  // namespace steward::server
