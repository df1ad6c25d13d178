#include "server/account_api.hpp"

#include <httplib.h>

#include <algorithm>
#include <charconv>

#include "server/account_admin.hpp"
#include "server/auth.hpp"
#include "server/couch_error.hpp"
#include "server/couch_request.hpp"
#include "server/http_routes.hpp"  // error_json
#include "server/sqlite_store.hpp"

namespace steward::server {

using couch::CouchError;
using nlohmann::json;
using nlohmann::ordered_json;

namespace {

CouchError method_not_allowed(const std::string& allowed) {
  return {405, "method_not_allowed", "Only " + allowed + " allowed"};
}

// /couch/_session answers as the rest of /couch does; /api answers as the rest of /api (http_routes.cpp).
void send(const httplib::Request& req, httplib::Response& res, int status, const std::string& body) {
  if (req.path.starts_with("/couch/")) return couch::send_couch_json(res, status, body);
  res.status = status;
  res.set_header("Cache-Control", "no-store");
  res.set_header("Vary", "Accept-Encoding");
  res.set_content(body, "application/json");
}

void reply(const httplib::Request& req, httplib::Response& res, int status, const ordered_json& body) {
  send(req, res, status, body.dump(-1, ' ', false, json::error_handler_t::replace));
}

void send_error(const httplib::Request& req, httplib::Response& res, const CouchError& e) {
  if (e.retry_after_seconds > 0) res.set_header("Retry-After", std::to_string(e.retry_after_seconds));
  send(req, res, e.status, error_json(e.error, e.what()));
}

json object_body(const httplib::Request& req) {
  json body = couch::body_json(req);
  if (!body.is_object()) throw couch::bad_request("the request body must be a JSON object");
  return body;
}

std::string string_member(const json& body, const char* name) {
  const auto it = body.find(name);
  if (it == body.end() || it->is_null()) throw couch::bad_request(std::string("\"") + name + "\" is missing");
  if (!it->is_string()) throw couch::bad_request(std::string("\"") + name + "\" must be a string");
  return it->get<std::string>();
}

std::optional<int> int_member(const json& body, const char* name) {
  const auto it = body.find(name);
  if (it == body.end() || it->is_null()) return std::nullopt;
  if (!it->is_number_integer()) throw couch::bad_request(std::string("\"") + name + "\" must be a whole number");
  const auto value = it->get<int64_t>();
  // Far outside any setting: said as such rather than narrowed into one.
  if (value < -1000000 || value > 1000000) throw couch::bad_request(std::string("\"") + name + "\" is out of range");
  return static_cast<int>(value);
}

core::Role role_named(const std::string& key) {
  auto role = core::role_from_key(key);
  if (!role) {
    throw couch::bad_request("unknown role \"" + key + "\" (showroom_host, front_desk, butler, supervisor or admin)");
  }
  return *role;
}

std::optional<std::string> query_text(const httplib::Request& req, const char* name) {
  if (!req.has_param(name)) return std::nullopt;
  return req.get_param_value(name);
}

// The name and password of a login: a JSON object or a form (CouchDB accepts both).
std::pair<std::string, std::string> login_body(const httplib::Request& req) {
  const std::string type = req.get_header_value("Content-Type");
  if (type.starts_with("application/x-www-form-urlencoded")) {
    httplib::Params form;
    httplib::detail::parse_query_text(req.body, form);
    auto name = form.find("name");
    auto password = form.find("password");
    if (name == form.end()) throw couch::bad_request("\"name\" is missing");
    if (password == form.end()) throw couch::bad_request("\"password\" is missing");
    return {name->second, password->second};
  }
  const json body = object_body(req);
  return {string_member(body, "name"), string_member(body, "password")};
}

ordered_json grants_json(const std::vector<core::Grant>& grants) {
  ordered_json out = ordered_json::array();
  for (const core::Grant& g : grants) out.push_back(to_json(g));
  return out;
}

}  // namespace

void AccountApi::install(httplib::Server& http) {
  auto handler = [this](const httplib::Request& req, httplib::Response& res) { handle(req, res); };
  // Only the methods each endpoint has: the others fall through to the 404 of unknown API paths.
  http.Get(R"(/couch/_session/?)", handler);
  http.Post(R"(/couch/_session/?)", handler);
  http.Delete(R"(/couch/_session/?)", handler);
  http.Get(R"(/api/me/?)", handler);
  http.Get(R"(/api/sites/[^/]+/?)", handler);
  const char* admin = R"(/api/admin(/.*)?)";
  http.Get(admin, handler);
  http.Post(admin, handler);
  http.Put(admin, handler);
  http.Delete(admin, handler);
}

void AccountApi::handle(const httplib::Request& req, httplib::Response& res) {
  try {
    // Logins and account changes are a few hundred bytes: a large body is refused before it is parsed.
    constexpr size_t kMaxBody = 64 * 1024;
    if (req.body.size() > kMaxBody) {
      throw CouchError(413, "too_large", "the request body is larger than this endpoint accepts (64 KB)");
    }
    auth_.check_origin(req);
    const std::vector<std::string> path = couch::path_segments(req);
    if (path.size() == 2 && path[0] == "couch" && path[1] == "_session") return session(req, res);
    if (path.size() == 2 && path[0] == "api" && path[1] == "me") return me(req, res);
    if (path.size() == 3 && path[0] == "api" && path[1] == "sites") return site(req, res, path[2]);
    if (path.size() >= 2 && path[0] == "api" && path[1] == "admin") return admin(req, res);
    throw couch::not_found("no such API endpoint");
  } catch (const CouchError& e) {
    send_error(req, res, e);
  } catch (const json::exception& e) {
    send_error(req, res, couch::bad_request(e.what()));
  }
}

void AccountApi::session(const httplib::Request& req, httplib::Response& res) {
  const ordered_json handlers = {"cookie", "default"};
  if (req.method == "POST") {
    const auto [name, password] = login_body(req);
    const Authenticator::Login login = auth_.login(name, password, req.remote_addr);
    res.set_header("Set-Cookie", login.set_cookie);
    return reply(req, res, 200, ordered_json{{"ok", true}, {"name", login.principal.name}, {"roles", login.principal.couch_roles()}});
  }
  if (req.method == "DELETE") {
    res.set_header("Set-Cookie", auth_.logout(req));
    return reply(req, res, 200, ordered_json{{"ok", true}});
  }
  if (req.method != "GET" && req.method != "HEAD") throw method_not_allowed("DELETE,GET,HEAD,POST");
  const auto principal = auth_.identify(req, res);
  ordered_json info = {{"authentication_handlers", handlers}};
  ordered_json user_ctx = {{"name", nullptr}, {"roles", ordered_json::array()}};
  if (principal) {
    user_ctx = {{"name", principal->name}, {"roles", principal->couch_roles()}};
    const char* via = principal->via == Principal::Via::Basic ? "default" : "cookie";
    info["authenticated"] = via;
  }
  reply(req, res, 200, ordered_json{{"ok", true}, {"userCtx", user_ctx}, {"info", info}});
}

void AccountApi::me(const httplib::Request& req, httplib::Response& res) {
  if (req.method != "GET" && req.method != "HEAD") throw method_not_allowed("GET,HEAD");
  const Principal principal = auth_.require(req, res);
  ordered_json sites = ordered_json::array();
  store_.read([&](StoreTransaction& tx) {
    for (const SiteSettings& s : AccountTables(tx).sites()) {
      if (core::role_at_site(principal.grants, s.id)) {
        sites.push_back(to_json(s));
      }
    }
  });
  reply(req, res, 200, ordered_json{{"name", principal.name},
                               {"display_name", principal.display_name},
                               {"grants", grants_json(principal.grants)},
                               {"sites", sites}});
}

void AccountApi::site(const httplib::Request& req, httplib::Response& res, const std::string& id) {
  if (req.method != "GET" && req.method != "HEAD") throw method_not_allowed("GET,HEAD");
  const Principal principal = auth_.require(req, res);
  if (!core::role_at_site(principal.grants, id)) throw couch::forbidden("you hold no role at site \"" + id + "\"");
  auto doc = store_.site_doc(id);
  if (!doc) throw couch::not_found("no such site");
  send(req, res, 200, *doc);
}

void AccountApi::admin(const httplib::Request& req, httplib::Response& res) {
  const std::vector<std::string> path = couch::path_segments(req);  // "api", "admin", ...
  const std::string& method = req.method;
  const bool get = method == "GET" || method == "HEAD";
  const Principal actor = auth_.require(req, res);
  const size_t n = path.size();
  auto at = [&](size_t i, const char* word) { return n > i && path[i] == word; };

  if (n == 3 && at(2, "users")) {
    if (get) {
      ordered_json out = ordered_json::array();
      for (const UserSummary& u : admin_.users(actor, query_text(req, "site"))) out.push_back(to_json(u));
      return reply(req, res, 200, out);
    }
    if (method != "POST") throw method_not_allowed("GET,HEAD,POST");
    const json body = object_body(req);
    const std::string name = string_member(body, "name");
    admin_.create_user(actor, name, string_member(body, "display_name"), string_member(body, "password"));
    return reply(req, res, 201, ordered_json{{"ok", true}, {"name", name}});
  }
  if (n >= 5 && at(2, "users")) {
    const std::string& user = path[3];
    if (n == 5 && at(4, "grants")) {
      if (method != "POST") throw method_not_allowed("POST");
      const json body = object_body(req);
      admin_.add_grant(actor, user, {string_member(body, "site"), role_named(string_member(body, "role"))});
      return reply(req, res, 200, ordered_json{{"ok", true}});
    }
    if (n == 7 && at(4, "grants")) {
      if (method != "DELETE") throw method_not_allowed("DELETE");
      admin_.remove_grant(actor, user, {path[5], role_named(path[6])});
      return reply(req, res, 200, ordered_json{{"ok", true}});
    }
    if (n == 5 && at(4, "password")) {
      if (method != "POST") throw method_not_allowed("POST");
      const json body = object_body(req);
      if (actor.name == user) auth_.confirm_password(user, string_member(body, "current_password"), req.remote_addr);
      admin_.set_password(actor, user, string_member(body, "password"));
      return reply(req, res, 200, ordered_json{{"ok", true}});
    }
    if (n == 5 && at(4, "disabled")) {
      if (method != "POST") throw method_not_allowed("POST");
      const json body = object_body(req);
      const auto it = body.find("disabled");
      if (it == body.end() || !it->is_boolean()) throw couch::bad_request("\"disabled\" must be true or false");
      admin_.set_disabled(actor, user, it->get<bool>());
      return reply(req, res, 200, ordered_json{{"ok", true}});
    }
  }
  if (n == 4 && at(2, "sites")) {
    if (method != "PUT") throw method_not_allowed("PUT");
    const json body = object_body(req);
    SiteChange change;
    if (body.contains("name") && !body["name"].is_null()) change.name = string_member(body, "name");
    change.idle_lock_minutes = int_member(body, "idle_lock_minutes");
    change.retention_days = int_member(body, "retention_days");
    const auto [settings, created] = admin_.put_site(actor, path[3], change);
    return reply(req, res, created ? 201 : 200, to_json(settings));
  }
  if (n == 3 && at(2, "audit")) {
    if (!get) throw method_not_allowed("GET,HEAD");
    int64_t limit = 100;
    if (auto text = query_text(req, "limit")) {
      auto [end, ec] = std::from_chars(text->data(), text->data() + text->size(), limit);
      if (ec != std::errc() || end != text->data() + text->size() || limit < 1) {
        throw couch::bad_request("limit must be a positive whole number");
      }
    }
    ordered_json out = ordered_json::array();
    for (const AuditEntry& e : admin_.audit(actor, query_text(req, "site"), limit)) out.push_back(to_json(e));
    return reply(req, res, 200, out);
  }
  throw couch::not_found("no such API endpoint");
}

}  // namespace steward::server
