// An answer in CouchDB's error shape, thrown from anywhere below the CouchDB routes and turned into
// {"error": error, "reason": reason} with `status` by couch_routes.cpp. Thrown inside a request's transaction,
// it also rolls back everything that request wrote.
#pragma once

#include <cstdint>
#include <stdexcept>
#include <string>

namespace steward::server::couch {

struct CouchError : std::runtime_error {
  int status;
  std::string error;
  int64_t retry_after_seconds = 0;  // > 0: sent as Retry-After (429 after too many failed logins)
  CouchError(int s, std::string e, const std::string& reason)
      : std::runtime_error(reason), status(s), error(std::move(e)) {}
};

// A failure of one document of a _bulk_docs (conflict, missing attachment stub): reported in that document's
// place in the answer while the others are written. Thrown before anything of that document is written.
struct DocError : CouchError {
  using CouchError::CouchError;
};

inline CouchError bad_request(const std::string& reason) { return {400, "bad_request", reason}; }
inline CouchError not_found(const std::string& reason = "missing") { return {404, "not_found", reason}; }
inline DocError conflict() { return {409, "conflict", "Document update conflict."}; }
inline CouchError db_not_found() { return {404, "not_found", "Database does not exist."}; }
inline CouchError invalid_rev() { return bad_request("Invalid rev format"); }
// No credentials, or wrong ones (CouchDB's words for both).
inline CouchError unauthorized(const std::string& reason = "You are not authorized to access this db.") {
  return {401, "unauthorized", reason};
}
// Credentials that do not reach what was asked.
inline CouchError forbidden(const std::string& reason = "You are not allowed to access this db.") {
  return {403, "forbidden", reason};
}

}  // namespace steward::server::couch
