#include "server/http_routes.hpp"

#include <httplib.h>

#include <algorithm>
#include <cstdio>
#include <exception>

#include <nlohmann/json.hpp>

#include "core/text.hpp"
#include "server/account_api.hpp"
#include "server/couch_documents.hpp"
#include "server/couch_request.hpp"
#include "server/couch_routes.hpp"
#include "server/log.hpp"
#include "server/sqlite_store.hpp"
#include "server/static_files.hpp"
#include "server/version.hpp"

namespace steward::server {

namespace {

constexpr const char* kJson = "application/json";

// API answers (and errors) are live data: the tablet keeps its own copy through sync, never through the HTTP
// cache. httplib compresses a JSON body by itself (br or gzip) when the client accepts it, hence the Vary.
void send_json(httplib::Response& res, const std::string& body) {
  res.set_header("Cache-Control", "no-store");
  res.set_header("Vary", "Accept-Encoding");
  res.set_content(body, kJson);
}

void send_error(httplib::Response& res, int status, std::string_view error, std::string_view reason) {
  res.status = status;
  send_json(res, error_json(error, reason));
}

// Request paths are client-controlled: keep control characters out of the log.
std::string printable(std::string_view s) {
  std::string out;
  for (unsigned char c : s.substr(0, 300)) {
    if (c < 0x20 || c == 0x7f) {
      char hex[5];
      std::snprintf(hex, sizeof hex, "\\x%02x", c);
      out += hex;
    } else {
      out += char(c);
    }
  }
  return out;
}

// --- API ------------------------------------------------------------------------------------------------

void install_health(httplib::Server& http, SqliteStore& store) {
  http.Get("/health", [&store](const httplib::Request&, httplib::Response& res) {
    nlohmann::ordered_json health = {
        {"status", "ok"}, {"version", kVersion}, {"store", "sqlite"}, {"sites", store.site_count()}};
    send_json(res, health.dump());
  });
}

// Registered after the real endpoints: httplib tries patterns in order, so this only catches the rest.
void install_unknown_api(httplib::Server& http) {
  auto unknown = [](const httplib::Request&, httplib::Response& res) {
    send_error(res, 404, "not_found", "no such API endpoint");
  };
  const std::string any_api = R"(/api(/.*)?)";
  http.Get(any_api, unknown);
  http.Post(any_api, unknown);
  http.Put(any_api, unknown);
  http.Patch(any_api, unknown);
  http.Delete(any_api, unknown);
  http.Options(any_api, unknown);
}

// --- the web app ----------------------------------------------------------------------------------------

void serve_static(StaticFiles& files, const httplib::Request& req, httplib::Response& res) {
  using Outcome = StaticLookup::Outcome;
  const StaticLookup found = files.find(req.path);
  switch (found.outcome) {
    case Outcome::Found: break;
    case Outcome::BadPath: return send_error(res, 400, "bad_request", "path not allowed");
    case Outcome::NotFound: return send_error(res, 404, "not_found", "no such file");
    case Outcome::NoWebFolder:
      return send_error(res, 404, "not_found", "this server has no web app folder (start it with --web DIR)");
    case Outcome::ReadError:
      log_line("cannot read " + found.detail);
      return send_error(res, 500, "file_error", "cannot read the file");
  }

  const StaticFile& file = *found.file;
  const Representation* chosen = &file.identity();
  bool gzipped = false;
  if (file.type().compressible) {
    res.set_header("Vary", "Accept-Encoding");
    if (accepts_gzip(req.get_header_value("Accept-Encoding"))) {
      if (const Representation* gz = file.gzip()) chosen = gz, gzipped = true;
    }
  }
  // no-cache = "revalidate every time": the service worker does the offline caching and versioning, so the
  // browser's HTTP cache must never hand it a stale bundle; the ETag makes revalidation a cheap 304.
  res.set_header("Cache-Control", "no-cache");
  res.set_header("ETag", chosen->etag);
  if (req.has_header("If-None-Match") && etag_matches(req.get_header_value("If-None-Match"), chosen->etag)) {
    res.status = 304;
    return;
  }
  if (gzipped) res.set_header("Content-Encoding", "gzip");

  const std::string mime(file.type().mime);
  auto body = chosen->body;
  if (body->empty()) return res.set_content("", mime);
  // A content provider with a known length, not set_content(): httplib compresses a plain body itself when
  // the client accepts gzip/br, which would compress our gzip again; with a provider it sends bytes as given
  // (and range requests keep working). The shared_ptr keeps this version alive while it is being sent.
  res.set_content_provider(body->size(), mime, [body](size_t offset, size_t length, httplib::DataSink& sink) {
    if (offset >= body->size()) return false;
    sink.write(body->data() + offset, std::min(length, body->size() - offset));
    return true;
  });
}

void install_static(httplib::Server& http, StaticFiles& files) {
  // httplib routes HEAD to the GET handlers and leaves the body out itself.
  http.Get(".*", [&files](const httplib::Request& req, httplib::Response& res) { serve_static(files, req, res); });
  auto not_allowed = [](const httplib::Request&, httplib::Response& res) {
    res.set_header("Allow", "GET, HEAD");
    send_error(res, 405, "method_not_allowed", "only GET and HEAD are allowed here");
  };
  http.Post(".*", not_allowed);
  http.Put(".*", not_allowed);
  http.Patch(".*", not_allowed);
  http.Delete(".*", not_allowed);
  http.Options(".*", not_allowed);
}

// --- request bodies -------------------------------------------------------------------------------------

// httplib holds a request body to the server's limit (set_payload_max_length) only by its Content-Length: a
// chunked body it reads, and a gzip or deflate one it inflates, to whatever size they grow (a 50 KB gzip body
// became 50 MB in memory). A chunked body is refused before it is read, and so is a compressed one, except a
// gzip body CouchService reads itself, inflating it no further than the limit. The clients of the CouchDB
// protocol send a Content-Length (browsers' fetch, PouchDB, CouchDB's replicator); our tablets gzip their larger
// bodies. The connection is closed: the unread body cannot be skipped.
void install_body_limits(httplib::Server& http) {
  http.set_pre_routing_handler([](const httplib::Request& req, httplib::Response& res) {
    const auto given = [&](const char* header) {
      const std::string value = core::text::ascii_lower(req.get_header_value(header));
      return value.empty() || value == "identity" ? std::string() : value;
    };
    const std::string encoding = given("Content-Encoding");
    if (!given("Transfer-Encoding").empty()) {
      send_error(res, 411, "length_required", "a request body must come with a Content-Length, not in chunks");
    } else if (!encoding.empty() && !(encoding == "gzip" && couch::inflates_gzip_within_limit(req))) {
      send_error(res, 415, "unsupported_encoding",
                 "request bodies are accepted uncompressed, or gzipped where CouchDB's API takes them");
    } else {
      return httplib::Server::HandlerResponse::Unhandled;
    }
    res.set_header("Connection", "close");
    return httplib::Server::HandlerResponse::Handled;
  });
}

// --- errors and logging ---------------------------------------------------------------------------------

void install_error_handling(httplib::Server& http) {
  // httplib calls this for every response >= 400, including the ones our handlers already filled in; it fills
  // in only the bare statuses httplib produces itself (413, 400 for a malformed request, 416, ...).
  http.set_error_handler(httplib::Server::HandlerWithResponse([](const httplib::Request&, httplib::Response& res) {
    if (!res.body.empty()) return httplib::Server::HandlerResponse::Unhandled;
    switch (res.status) {
      case 400: send_error(res, 400, "bad_request", "malformed request"); break;
      case 404: send_error(res, 404, "not_found", "not found"); break;
      case 413: send_error(res, 413, "too_large", "the request body is larger than this server accepts"); break;
      case 414: send_error(res, 414, "too_large", "the request line is too long"); break;
      case 416: send_error(res, 416, "bad_range", "the requested range is not satisfiable"); break;
      default: send_error(res, res.status, "error", "HTTP status " + std::to_string(res.status)); break;
    }
    return httplib::Server::HandlerResponse::Handled;
  }));

  http.set_exception_handler([](const httplib::Request& req, httplib::Response& res, std::exception_ptr ep) {
    std::string what = "unknown exception";
    try {
      std::rethrow_exception(ep);
    } catch (const std::exception& e) {
      what = e.what();
    } catch (...) {
    }
    // The details (which may quote SQL or a file path) go to the log only; the answer names the log line.
    const std::string reference = couch::random_uuid().substr(0, 8);
    log_line("error " + reference + " in " + req.method + " " + printable(req.path) + ": " + what);
    send_error(res, 500, "internal_error", "the server could not answer this request (log reference " + reference + ")");
  });

  http.set_post_routing_handler([](const httplib::Request& req, httplib::Response& res) {
    if (req.path.starts_with("/couch/")) couch::compress_couch_response(req, res);
  });

  http.set_logger([](const httplib::Request& req, const httplib::Response& res) {
    log_line(req.remote_addr + " " + req.method + " " + printable(req.path) + " " + std::to_string(res.status));
  });
}

}  // namespace

std::string error_json(std::string_view error, std::string_view reason) {
  nlohmann::ordered_json body = {{"error", error}, {"reason", reason}};
  // replace: a reason quoting a client's bytes (a path, an exception message) may not be valid UTF-8.
  return body.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

std::vector<std::pair<std::string, std::string>> security_headers(const std::vector<std::string>& sync_origins,
                                                                  bool tls) {
  std::string connect = "'self'";
  for (const std::string& origin : sync_origins) connect += " " + origin;
  const std::string policy =
      "default-src 'self'; script-src 'self' 'wasm-unsafe-eval'; style-src 'self'; img-src 'self' data: blob:; "
      "connect-src " + connect + "; worker-src 'self'; manifest-src 'self'; object-src 'none'; base-uri 'none'; "
      "form-action 'none'; frame-ancestors 'none'";
  // On every response, errors included: a browser must never guess a type (e.g. run a JSON error as script),
  // frame the app into another page, or send its URLs elsewhere.
  std::vector<std::pair<std::string, std::string>> headers = {{"X-Content-Type-Options", "nosniff"},
                                                               {"X-Frame-Options", "DENY"},
                                                               {"Referrer-Policy", "no-referrer"},
                                                               {"Content-Security-Policy", policy}};
  // Half a year: a tablet's service worker needs the certificate trusted anyway, so nothing is lost by refusing
  // plain HTTP to this host for that long.
  if (tls) headers.emplace_back("Strict-Transport-Security", "max-age=15552000");
  return headers;
}

void install_routes(httplib::Server& http, SqliteStore& store, StaticFiles& files, AccountApi& accounts,
                    couch::CouchService& couch, const std::vector<std::string>& sync_origins, bool tls) {
  httplib::Headers headers;
  for (auto& [name, value] : security_headers(sync_origins, tls)) headers.emplace(name, value);
  http.set_default_headers(std::move(headers));
  install_health(http, store);
  accounts.install(http);  // /couch/_session before the rest of /couch, /api/... before the unknown ones
  install_unknown_api(http);
  couch.install(http);  // before the web app's catch-all patterns
  install_static(http, files);
  install_body_limits(http);
  install_error_handling(http);
}

}  // namespace steward::server
