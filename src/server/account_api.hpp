// The HTTP side of accounts: logging in and out, who am I, and the admin API. JSON in, JSON out, errors in
// CouchDB's shape.
//
//   POST   /couch/_session               {"name","password"} (JSON or a form) -> {"ok":true,"name","roles"} and
//                                         the AuthSession cookie; 401 wrong name or password; 429 Retry-After
//   GET    /couch/_session               {"ok":true,"userCtx":{"name","roles"},"info":{...}} (name null when
//                                         anonymous, as CouchDB)
//   DELETE /couch/_session               ends the session, clears the cookie
//   GET    /api/me                       {"name","display_name","grants":[{site,role}],"sites":[{id,name,
//                                         idle_lock_minutes,retention_days}]}: the sites the user holds a role at
//                                         (every site for a server admin)
//   GET    /api/sites/{id}               the site document, for those holding a role there
//   GET    /api/admin/users?site=S       [{name,display_name,disabled,grants}]
//   POST   /api/admin/users              {name,display_name,password}                        201
//   POST   /api/admin/users/{u}/grants   {site,role}
//   DELETE /api/admin/users/{u}/grants/{site}/{role}
//   POST   /api/admin/users/{u}/password {password}; for oneself also {current_password} (403 when wrong)
//   POST   /api/admin/users/{u}/disabled {disabled}
//   PUT    /api/admin/sites/{id}         {name,idle_lock_minutes,retention_days} -> the settings (201 when new)
//   GET    /api/admin/audit?site=S&limit=N  newest first [{at,who,action,site,detail}]
// Who may do which is in account_admin.hpp.
#pragma once

#include <string>

namespace httplib {
class Server;
struct Request;
struct Response;
}  // namespace httplib

namespace steward::server {

class SqliteStore;
class Authenticator;
class AccountAdmin;

class AccountApi {
 public:
  AccountApi(SqliteStore& store, Authenticator& auth, AccountAdmin& admin) : store_(store), auth_(auth), admin_(admin) {}
  // Registers the routes above; call before the /couch and /api catch-alls. `this` must outlive the server.
  void install(httplib::Server& http);
  // One request to a route above (what install() routes here; the fuzz target calls it directly).
  void handle(const httplib::Request& req, httplib::Response& res);

 private:
  void session(const httplib::Request& req, httplib::Response& res);
  void me(const httplib::Request& req, httplib::Response& res);
  void site(const httplib::Request& req, httplib::Response& res, const std::string& id);
  void admin(const httplib::Request& req, httplib::Response& res);

  SqliteStore& store_;
  Authenticator& auth_;
  AccountAdmin& admin_;
};

}  // namespace steward::server
