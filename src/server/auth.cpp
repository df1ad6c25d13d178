#include "server/auth.hpp"

#include <httplib.h>
#include <sodium.h>

#include <algorithm>
#include <map>
#include <mutex>
#include <semaphore>

#include "core/text.hpp"
#include "server/accounts.hpp"
#include "server/audit_log.hpp"
#include "server/couch_error.hpp"
#include "server/log.hpp"
#include "server/sqlite_store.hpp"

namespace steward::server {

namespace {

using Clock = std::chrono::steady_clock;
using couch::CouchError;
using couch::forbidden;
using couch::unauthorized;

// Basic credentials once checked are trusted this long without hashing again.
constexpr std::chrono::minutes kCheckedFor{15};
constexpr size_t kMaxCheckedCredentials = 1024;
// A session's end moves on with use, but written at most this often.
constexpr int64_t kExtendEveryMs = 3600 * 1000;
constexpr size_t kMaxTokenLength = 128;

const char* const kWrongPassword = "Name or password is incorrect.";

// The stamp before which audit entries are past the retention.
int64_t audit_cutoff_ms(int64_t now, std::chrono::days kept) {
  return now - std::chrono::duration_cast<std::chrono::milliseconds>(kept).count();
}

Principal principal_of(const UserRecord& user, Principal::Via via) {
  return Principal{user.name, user.display_name, user.grants, via, {}};
}

std::string session_digest(const std::string& token) { return keyed_digest("", token); }

void audit(SqliteStore& store, AuditEntry entry) {
  store.write([&](StoreTransaction& tx) { append_audit(tx, entry); });
}

// Client-chosen text in a log line or an audit detail: printable ASCII and UTF-8 kept, control bytes escaped, and
// short.
std::string printable_name(std::string_view s) {
  std::string out;
  for (unsigned char c : s.substr(0, 64)) {
    if (c < 0x20 || c == 0x7f) {
      out += '?';
    } else {
      out += char(c);
    }
  }
  return out;
}

}  // namespace

// --- Principal -------------------------------------------------------------------------------------------

bool Principal::server_admin() const {
  return std::any_of(grants.begin(), grants.end(),
                     [](const core::Grant& g) { return g.site == "*" && g.role == core::Role::Admin; });
}

core::Access Principal::access_to(std::string_view db) const {
  if (server_admin()) return core::Access::ReadWrite;
  return core::database_access(grants, db);
}

std::vector<std::string> Principal::couch_roles() const {
  std::vector<std::string> roles;
  for (const core::Grant& g : grants) roles.push_back(g.site + ":" + std::string(core::role_key(g.role)));
  return roles;
}

Principal console_principal() {
  return Principal{"console", "console", {{"*", core::Role::Admin}}, Principal::Via::Console, {}};
}

// --- request parsing -------------------------------------------------------------------------------------

std::optional<BasicCredentials> parse_basic_authorization(std::string_view header) {
  const std::string_view value = core::text::trim_spaces_and_tabs(header);
  if (value.size() < 6 || core::text::ascii_lower(value.substr(0, 6)) != "basic ") return std::nullopt;
  const std::string_view encoded = core::text::trim_spaces_and_tabs(value.substr(6));
  if (encoded.empty() || encoded.size() > 4096) return std::nullopt;
  std::string decoded(encoded.size(), '\0');
  size_t length = 0;
  if (sodium_base642bin(reinterpret_cast<unsigned char*>(decoded.data()), decoded.size(), encoded.data(),
                        encoded.size(), nullptr, &length, nullptr, sodium_base64_VARIANT_ORIGINAL) != 0) {
    return std::nullopt;
  }
  decoded.resize(length);
  const size_t colon = decoded.find(':');
  if (colon == std::string::npos) return std::nullopt;
  return BasicCredentials{decoded.substr(0, colon), decoded.substr(colon + 1)};
}

std::optional<std::string> cookie_value(const httplib::Request& req, std::string_view name) {
  const size_t headers = req.get_header_value_count("Cookie");
  for (size_t i = 0; i < headers; ++i) {
    const std::string line = req.get_header_value("Cookie", i);
    size_t from = 0;
    while (from <= line.size()) {
      const size_t semicolon = std::min(line.find(';', from), line.size());
      const std::string_view pair =
          core::text::trim_spaces_and_tabs(std::string_view(line).substr(from, semicolon - from));
      const size_t eq = pair.find('=');
      if (eq != std::string_view::npos && pair.substr(0, eq) == name) {
        std::string value(pair.substr(eq + 1));
        if (value.size() >= 2 && value.front() == '"' && value.back() == '"') value = value.substr(1, value.size() - 2);
        return value;
      }
      from = semicolon + 1;
    }
  }
  return std::nullopt;
}

// --- Authenticator ---------------------------------------------------------------------------------------

struct Authenticator::CheckedCredentials {
  struct Entry {
    std::string user;
    std::string password_hash;  // as it was when checked: a new password makes the entry worthless
    Clock::time_point checked_at;
  };
  std::string key = random_key();
  std::mutex mutex;
  std::map<std::string, Entry> entries;  // by keyed digest of name and password
  std::counting_semaphore<2> hashing{2};
  std::once_flag dummy_once;
  std::string dummy_hash;  // verified against when the name does not exist, so it takes as long
};

Authenticator::Authenticator(SqliteStore& store, AuthSettings settings)
    : store_(store), settings_(std::move(settings)), limiter_(settings_.limits),
      checked_(std::make_unique<CheckedCredentials>()) {}

Authenticator::~Authenticator() = default;

std::optional<Principal> Authenticator::identify(const httplib::Request& req, httplib::Response& res) {
  check_origin(req);
  if (req.has_header("Authorization")) {
    auto basic = parse_basic_authorization(req.get_header_value("Authorization"));
    if (!basic) throw unauthorized("Only HTTP Basic credentials or the session cookie are accepted.");
    return from_basic(basic->name, basic->password, req.remote_addr);
  }
  if (auto token = cookie_value(req, kSessionCookie); token && !token->empty()) {
    if (auto principal = from_cookie(*token, res)) return principal;
  }
  return std::nullopt;
}

Principal Authenticator::require(const httplib::Request& req, httplib::Response& res) {
  auto principal = identify(req, res);
  if (!principal) throw unauthorized("Log in first: this needs a name and password (the session cookie or HTTP Basic).");
  return *principal;
}

std::optional<Principal> Authenticator::from_cookie(const std::string& token, httplib::Response& res) {
  if (token.size() > kMaxTokenLength) return std::nullopt;
  const std::string digest = session_digest(token);
  const int64_t now = now_ms();
  std::optional<Principal> principal;
  bool extend = false;
  store_.read([&](StoreTransaction& tx) {
    AccountTables accounts(tx);
    auto session = accounts.find_session(digest);
    if (!session || session->expires_at_ms <= now) return;
    auto user = accounts.find_user(session->user);
    if (!user || user->disabled) return;
    principal = principal_of(*user, Principal::Via::Cookie);
    principal->session_digest = digest;
    const int64_t idle_ms = std::chrono::duration_cast<std::chrono::milliseconds>(settings_.session_idle).count();
    extend = session->expires_at_ms - now < idle_ms - kExtendEveryMs;
  });
  if (extend) {
    const int64_t idle_ms = std::chrono::duration_cast<std::chrono::milliseconds>(settings_.session_idle).count();
    store_.write([&](StoreTransaction& tx) { AccountTables(tx).extend_session(digest, now + idle_ms); });
    res.set_header("Set-Cookie", session_cookie(token));
  }
  return principal;
}

Principal Authenticator::from_basic(const std::string& name, const std::string& password, const std::string& address) {
  std::string credential = name;
  credential += '\0';
  credential += password;
  const std::string key = keyed_digest(checked_->key, credential);
  std::optional<CheckedCredentials::Entry> remembered;
  {
    std::lock_guard lock(checked_->mutex);
    auto it = checked_->entries.find(key);
    if (it != checked_->entries.end()) {
      if (Clock::now() - it->second.checked_at < kCheckedFor) {
        remembered = it->second;
      } else {
        checked_->entries.erase(it);
      }
    }
  }
  if (remembered) {
    std::optional<UserRecord> user;
    store_.read([&](StoreTransaction& tx) { user = AccountTables(tx).find_user(name); });
    if (user && !user->disabled && user->password_hash == remembered->password_hash) {
      return principal_of(*user, Principal::Via::Basic);
    }
  }

  auto user = check_password(name, password, address, "HTTP Basic");
  if (!user) throw unauthorized(kWrongPassword);
  {
    std::lock_guard lock(checked_->mutex);
    if (checked_->entries.size() >= kMaxCheckedCredentials) checked_->entries.clear();
    checked_->entries[key] = {name, user->password_hash, Clock::now()};
  }
  return principal_of(*user, Principal::Via::Basic);
}

std::optional<UserRecord> Authenticator::check_password(const std::string& name, const std::string& password,
                                                       const std::string& address, const char* how) {
  if (const int64_t wait = limiter_.wait_seconds(address, name)) {
    CouchError e(429, "too_many_requests",
                 "Too many failed logins: try again in " + std::to_string(wait) + " seconds.");
    e.retry_after_seconds = wait;
    throw e;
  }
  std::optional<UserRecord> user;
  store_.read([&](StoreTransaction& tx) { user = AccountTables(tx).find_user(name); });

  bool ok = false;
  if (password.size() > kMaxPasswordBytes) {
    // Longer than any password can be set: wrong without an Argon2id pass over megabytes of it.
  } else {
    checked_->hashing.acquire();
    struct Release {
      std::counting_semaphore<2>& s;
      ~Release() { s.release(); }
    } release{checked_->hashing};
    if (user) {
      ok = verify_password(user->password_hash, password) && !user->disabled;
    } else {
      std::call_once(checked_->dummy_once, [&] { checked_->dummy_hash = hash_password(random_token(), settings_.cost); });
      (void)verify_password(checked_->dummy_hash, password);
    }
  }

  const std::string shown = printable_name(name);
  if (!ok) {
    limiter_.record_failure(address, name);
    const std::string why = !user ? "no such user" : user->disabled ? "account disabled" : "wrong password";
    log_line("failed login (" + std::string(how) + ") for \"" + shown + "\" from " + address + ": " + why);
    audit(store_, {now_ms(), shown, audit_action::kLoginFailed, std::nullopt,
                   std::string(how) + " from " + address + ": " + why});
    return std::nullopt;
  }
  audit(store_, {now_ms(), user->name, audit_action::kLogin, std::nullopt, std::string(how) + " from " + address});
  return user;
}

int64_t Authenticator::prune_audit_log() {
  int64_t pruned = 0;
  const int64_t before = audit_cutoff_ms(now_ms(), settings_.audit_kept);
  store_.write([&](StoreTransaction& tx) { pruned = prune_audit(tx, before); });
  return pruned;
}

Authenticator::Login Authenticator::login(const std::string& name, const std::string& password,
                                          const std::string& address) {
  auto user = check_password(name, password, address, "login");
  if (!user) throw unauthorized(kWrongPassword);
  const Principal principal = principal_of(*user, Principal::Via::Cookie);
  const std::string token = random_token();
  const int64_t now = now_ms();
  const int64_t idle_ms = std::chrono::duration_cast<std::chrono::milliseconds>(settings_.session_idle).count();
  store_.write([&](StoreTransaction& tx) {
    AccountTables accounts(tx);
    accounts.delete_sessions_ended_before(now);
    accounts.insert_session(session_digest(token), {principal.name, now, now + idle_ms});
    prune_audit(tx, audit_cutoff_ms(now, settings_.audit_kept));
  });
  return {principal, session_cookie(token)};
}

void Authenticator::confirm_password(const std::string& name, const std::string& password,
                                     const std::string& address) {
  if (!check_password(name, password, address, "password change")) {
    throw CouchError(403, "forbidden", "The current password is not right.");
  }
}

std::string Authenticator::logout(const httplib::Request& req) {
  check_origin(req);
  if (auto token = cookie_value(req, kSessionCookie); token && !token->empty() && token->size() <= kMaxTokenLength) {
    const std::string digest = session_digest(*token);
    store_.write([&](StoreTransaction& tx) {
      AccountTables accounts(tx);
      auto session = accounts.find_session(digest);
      if (!session) return;
      accounts.delete_session(digest);
      append_audit(tx, {now_ms(), session->user, audit_action::kLogout, std::nullopt, "from " + req.remote_addr});
    });
  }
  return cleared_cookie();
}

std::string Authenticator::session_cookie(const std::string& token) const {
  std::string cookie = std::string(kSessionCookie) + "=" + token + "; Path=/; Max-Age=" +
                       std::to_string(settings_.session_idle.count()) + "; HttpOnly; SameSite=Strict";
  if (settings_.tls) cookie += "; Secure";
  return cookie;
}

std::string Authenticator::cleared_cookie() const {
  std::string cookie = std::string(kSessionCookie) + "=; Path=/; Max-Age=0; HttpOnly; SameSite=Strict";
  if (settings_.tls) cookie += "; Secure";
  return cookie;
}

void Authenticator::check_origin(const httplib::Request& req) const {
  if (req.method == "GET" || req.method == "HEAD") return;
  if (!req.has_header("Origin")) return;  // not sent by a browser page (PouchDB in node, curl)
  // Host and port only: behind a reverse proxy that ends TLS the page is https:// while this server sees http.
  const std::string origin = core::text::ascii_lower(req.get_header_value("Origin"));
  const size_t scheme_end = origin.find("://");
  const bool web_scheme = origin.starts_with("http://") || origin.starts_with("https://");
  const std::string authority = scheme_end == std::string::npos ? std::string() : origin.substr(scheme_end + 3);
  if (!web_scheme || authority.empty() || authority != core::text::ascii_lower(req.get_header_value("Host"))) {
    throw forbidden("Requests that change something are refused from another origin.");
  }
}

}  // namespace steward::server
