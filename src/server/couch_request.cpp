#include "server/couch_request.hpp"

#include "sync/gzip.hpp"
#include "server/static_files.hpp"  // accepts_gzip

#include <httplib.h>

#include <charconv>

#include "server/couch_error.hpp"
#include "server/http_routes.hpp"  // error_json
#include "sync/json_limits.hpp"

namespace steward::server::couch {

namespace {

int hex_value(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

}  // namespace

std::string percent_decode(std::string_view s) {
  std::string out;
  out.reserve(s.size());
  for (size_t i = 0; i < s.size(); ++i) {
    if (s[i] == '%' && i + 2 < s.size()) {
      const int hi = hex_value(s[i + 1]), lo = hex_value(s[i + 2]);
      if (hi >= 0 && lo >= 0) {
        out += char(hi * 16 + lo);
        i += 2;
        continue;
      }
    }
    out += s[i];
  }
  return out;
}

std::vector<std::string> path_segments(const httplib::Request& req) {
  std::string_view target = req.target.empty() ? std::string_view(req.path) : std::string_view(req.target);
  target = target.substr(0, target.find('?'));
  std::vector<std::string> out;
  size_t from = target.starts_with('/') ? 1 : 0;
  for (;;) {
    const size_t slash = target.find('/', from);
    if (slash == std::string_view::npos) {
      if (from < target.size()) out.push_back(percent_decode(target.substr(from)));
      return out;
    }
    out.push_back(percent_decode(target.substr(from, slash - from)));
    from = slash + 1;
  }
}

std::optional<std::string> Params::text(const std::string& name) const {
  if (!req_.has_param(name.c_str())) return std::nullopt;
  return req_.get_param_value(name.c_str());
}

bool Params::flag(const std::string& name, bool fallback) const {
  auto v = text(name);
  if (!v) return fallback;
  if (*v == "true") return true;
  if (*v == "false") return false;
  throw CouchError(400, "query_parse_error", "Invalid boolean parameter: \"" + *v + "\"");
}

std::optional<int64_t> Params::integer(const std::string& name) const {
  auto v = text(name);
  if (!v) return std::nullopt;
  int64_t n = 0;
  auto [end, err] = std::from_chars(v->data(), v->data() + v->size(), n);
  if (err != std::errc() || end != v->data() + v->size()) {
    throw CouchError(400, "query_parse_error", "Invalid value for integer: \"" + *v + "\"");
  }
  return n;
}

std::optional<nlohmann::json> Params::json(const std::string& name) const {
  auto v = text(name);
  if (!v) return std::nullopt;
  if (!sync::json_depth_within(*v)) throw bad_request("JSON in query parameter " + name + " nests too deep");
  try {
    return nlohmann::json::parse(*v);
  } catch (const nlohmann::json::exception&) {
    throw bad_request("invalid JSON in query parameter " + name);
  }
}

nlohmann::json body_json(const httplib::Request& req) { return body_json(std::string_view(req.body)); }

nlohmann::json body_json(std::string_view text) {
  if (!sync::json_depth_within(text)) {
    throw bad_request("JSON nested deeper than " + std::to_string(sync::kMaxJsonDepth) + " levels");
  }
  try {
    return nlohmann::json::parse(text);
  } catch (const nlohmann::json::exception&) {
    throw bad_request("invalid UTF-8 JSON");
  }
}

void send_couch_json(httplib::Response& res, int status, const std::string& body) {
  res.status = status;
  res.set_header("Cache-Control", "no-store");
  res.set_header("Vary", "Accept-Encoding");
  // With a charset, httplib leaves the body alone: left to itself it brotli-compresses "application/json" at
  // quality 11, which took a second for one 1,000-document _bulk_get. compress_couch_response() gzips instead.
  res.set_content(body, kCouchJsonType);
}

void send_couch_error(httplib::Response& res, const CouchError& error) {
  if (error.retry_after_seconds > 0) res.set_header("Retry-After", std::to_string(error.retry_after_seconds));
  send_couch_json(res, error.status, error_json(error.error, error.what()));
}

void compress_couch_response(const httplib::Request& req, httplib::Response& res) {
  // Small answers are not worth a header; already encoded or streamed (longpoll) ones are left as they are.
  constexpr size_t kMinBytes = 1024;
  if (res.body.size() < kMinBytes || res.has_header("Content-Encoding")) return;
  if (res.get_header_value("Content-Type") != kCouchJsonType) return;
  if (!accepts_gzip(req.get_header_value("Accept-Encoding"))) return;
  // What a pull downloads (reads: _changes, _bulk_get, _all_docs, documents) at level 6: 13% fewer bytes than level
  // 1 for a 1,000-visit _bulk_get, for ~2.5 ms more of the server's time, which a tablet on a slow link saves many
  // times over. The answers to writes (_bulk_docs, _revs_diff) are ids and revision hashes that hardly shrink
  // either way: level 1, so ingest is not slowed.
  const std::string_view path = req.path;
  const bool read = req.method == "GET" || path.ends_with("/_bulk_get") || path.ends_with("/_all_docs") ||
                    path.ends_with("/_changes");
  res.body = sync::gzip_compress(res.body, read ? 6 : 1);
  res.headers.erase("Content-Length");  // set_content() already stated the uncompressed length
  res.set_header("Content-Length", std::to_string(res.body.size()));
  res.set_header("Content-Encoding", "gzip");
}

}  // namespace steward::server::couch
