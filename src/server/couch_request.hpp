// Reading a CouchDB request, and the one way of answering it.
//
// Reading: the path split into its percent-decoded segments, typed query parameters
// (CouchDB's are JSON values: startkey="a", keys=[..], open_revs=[..]), and the JSON body. Malformed input
// is thrown as CouchError 400, worded as CouchDB words it.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

namespace httplib {
struct Request;
struct Response;
}

namespace steward::server::couch {

// "/couch/a%2Fb/doc/x?y" -> {"couch", "a/b", "doc", "x"}, from the raw request target: httplib's decoded path
// would make a %2F in a database or document id indistinguishable from a separator. A trailing "/" adds no
// segment.
std::vector<std::string> path_segments(const httplib::Request& req);
std::string percent_decode(std::string_view s);

class Params {
 public:
  explicit Params(const httplib::Request& req) : req_(req) {}
  std::optional<std::string> text(const std::string& name) const;
  bool flag(const std::string& name, bool fallback = false) const;  // "true" / "false"
  std::optional<int64_t> integer(const std::string& name) const;     // 400 query_parse_error when not one
  std::optional<nlohmann::json> json(const std::string& name) const; // 400 when not JSON

 private:
  const httplib::Request& req_;
};

// The request body as JSON; 400 bad_request "invalid UTF-8 JSON" (CouchDB's words) when it is not.
nlohmann::json body_json(const httplib::Request& req);
nlohmann::json body_json(std::string_view text);

// A JSON answer: live data, never cached (as the rest of the API); httplib compresses it when the client
// accepts that.
inline constexpr const char* kCouchJsonType = "application/json; charset=utf-8";
void send_couch_json(httplib::Response& res, int status, const std::string& body);
struct CouchError;
// {"error": ..., "reason": ...} with the error's status (and Retry-After when it has one).
void send_couch_error(httplib::Response& res, const CouchError& error);
// Gzips a CouchDB JSON answer when the client accepts it (installed as httplib's post-routing handler).
void compress_couch_response(const httplib::Request& req, httplib::Response& res);

}  // namespace steward::server::couch
