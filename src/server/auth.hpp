// Who sent a request. A request proves who it is with the session cookie a login gave (CouchDB's AuthSession,
// from POST /couch/_session) or with HTTP Basic credentials on the request itself (PouchDB, curl, CouchDB's
// replicator); without either it is anonymous, and what it may reach is decided by its caller (most answer 401).
//
//   sessions   a random 256-bit token in the cookie; the server keeps only its digest, with its user and its
//              end. Each use moves the end a week on (at most once an hour, so reads stay reads); a logout, a new
//              password or disabling the user ends it at once.
//   Basic      checked with Argon2id once, then remembered for a quarter of an hour by a keyed digest of the
//              name and password (a replication makes hundreds of requests); a password changed since, or a
//              user disabled, is noticed at the next request, since every request reads the user's row anyway.
//   limits     failed checks are rate limited (login_limiter.hpp); at most two Argon2id hashes run at a time
//              (64 MiB each), whatever the number of workers; a name that does not exist costs the same time as
//              one that does, so timing does not tell which names exist.
//   origin     a request that changes something and names an Origin other than this server is refused (403):
//              a page elsewhere must not log a tablet's browser in or out, or write with its cookie.
#pragma once

#include <chrono>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/access.hpp"
#include "server/accounts.hpp"
#include "server/login_limiter.hpp"
#include "server/passwords.hpp"

namespace httplib {
struct Request;
struct Response;
}  // namespace httplib

namespace steward::server {

class SqliteStore;

struct Principal {
  enum class Via { Cookie, Basic, Console };
  std::string name;
  std::string display_name;
  std::vector<core::Grant> grants;
  Via via = Via::Cookie;
  std::string session_digest;  // the session the request came with (Via::Cookie), so a change can keep it

  // Admin on "*": every site, every database, account management everywhere.
  bool server_admin() const;
  // What the grants give on a database; a server admin also reaches databases that are not a site's.
  core::Access access_to(std::string_view db) const;
  // CouchDB's userCtx roles: "<site>:<role>".
  std::vector<std::string> couch_roles() const;
};

// The administrator at the server's console (the admin command): trusted as a server admin.
Principal console_principal();

struct AuthSettings {
  bool tls = false;            // served over TLS: the cookie is marked Secure
  HashCost cost = interactive_cost();
  std::chrono::seconds session_idle{7 * 24 * 3600};
  LoginLimiter::Limits limits;
  // Audit entries older than this are removed at each login (as ended sessions are) and at start-up.
  std::chrono::days audit_kept{365};
};

// The demo site's accounts use this password (README lists them).
inline constexpr std::string_view kDemoPassword = "steward-demo";
inline constexpr const char* kSessionCookie = "AuthSession";

class Authenticator {
 public:
  Authenticator(SqliteStore& store, AuthSettings settings);
  ~Authenticator();
  Authenticator(const Authenticator&) = delete;
  Authenticator& operator=(const Authenticator&) = delete;

  const AuthSettings& settings() const { return settings_; }

  // Removes the audit entries older than settings().audit_kept, and returns how many: at start-up (each login
  // does it too, as it ends expired sessions).
  int64_t prune_audit_log();

  // The person behind the request, or nullopt when it is anonymous (no credentials, or the cookie of a session
  // that has ended). Throws CouchError: 401 for wrong Basic credentials, 429 (retry_after_seconds) after too many
  // failures, 403 for a change requested from another origin. May set a refreshed cookie on `res`.
  std::optional<Principal> identify(const httplib::Request& req, httplib::Response& res);
  // As identify, and 401 for an anonymous request.
  Principal require(const httplib::Request& req, httplib::Response& res);

  // POST /couch/_session: checks the password (401 unauthorized, 429), starts a session, returns its Set-Cookie.
  struct Login {
    Principal principal;
    std::string set_cookie;
  };
  Login login(const std::string& name, const std::string& password, const std::string& address);
  // A person changing their own password proves they know the current one (a tablet left signed in must not
  // let anyone take the account over). Same rate limit and audit as a login; 403 when wrong.
  void confirm_password(const std::string& name, const std::string& password, const std::string& address);
  // DELETE /couch/_session: ends the request's session if it has one; returns the Set-Cookie that clears it.
  std::string logout(const httplib::Request& req);

  // The Set-Cookie header value that removes the session cookie from a browser.
  std::string cleared_cookie() const;

  // 403 for a request that changes something and names an Origin other than this server's.
  void check_origin(const httplib::Request& req) const;

 private:
  struct CheckedCredentials;
  std::optional<Principal> from_cookie(const std::string& token, httplib::Response& res);
  Principal from_basic(const std::string& name, const std::string& password, const std::string& address);
  // Checks a password with the rate limit, the hashing limit and the audit of failures; nullopt when wrong.
  std::optional<UserRecord> check_password(const std::string& name, const std::string& password,
                                          const std::string& address, const char* how);
  std::string session_cookie(const std::string& token) const;

  SqliteStore& store_;
  AuthSettings settings_;
  LoginLimiter limiter_;
  std::unique_ptr<CheckedCredentials> checked_;
};

// "Basic <base64 of name:password>" -> {name, password}; nullopt when the header is not that.
struct BasicCredentials {
  std::string name;
  std::string password;
};
std::optional<BasicCredentials> parse_basic_authorization(std::string_view header);
// The value of one cookie among the request's Cookie headers; nullopt when absent.
std::optional<std::string> cookie_value(const httplib::Request& req, std::string_view name);

}  // namespace steward::server
