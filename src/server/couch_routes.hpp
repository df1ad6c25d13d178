// The CouchDB 3.x replication API, enough for PouchDB and CouchDB's replicator to sync with this server.
//
// One difference in where, none in what: this server also serves the web app at "/", so CouchDB's root is
// "/couch/" here. A replicator is pointed at http://HOST:8080/couch/<db> (e.g. .../couch/demo-visits), and
// every path below that, every parameter and every response shape is CouchDB's:
//
//   GET    /couch/                          welcome, with this server's stable uuid
//   GET    /couch/_all_dbs, _uuids, _up
//   GET    /couch/{db}                      db info (update_seq as an integer)
//   PUT    /couch/{db}                      create (201; 412 file_exists)      DELETE: drop it
//   POST   /couch/{db}                      new document (id generated unless given)
//   GET    /couch/{db}/_changes             feed=normal|longpoll, since (n|now), limit, style=all_docs,
//   POST                                    include_docs, conflicts, attachments, descending, heartbeat,
//                                           timeout, filter=_doc_ids (doc_ids param or POST body)
//   POST   /couch/{db}/_revs_diff, _bulk_docs (new_edits), _bulk_get (revs, attachments, latest)
//   GET    /couch/{db}/_all_docs            keys, key, startkey/endkey, limit, skip, descending,
//   POST                                    inclusive_end, include_docs (POST: {"keys": [...]})
//   POST   /couch/{db}/_ensure_full_commit  every commit is durable already; answers as CouchDB does
//   GET    /couch/{db}/_revs_limit          PUT sets it
//   GET|PUT|DELETE /couch/{db}/{docid}      rev, revs, open_revs (all or a JSON list), conflicts,
//                                           deleted_conflicts, latest, attachments; PUT new_edits=false
//   GET    /couch/{db}/{docid}/{attachment} the raw bytes
//   GET|PUT|DELETE /couch/{db}/_local/{id}
//
// Where we differ from CouchDB (none of it used by PouchDB's replication):
//   - JSON only: open_revs answers a JSON array whatever Accept says (CouchDB defaults to multipart/mixed),
//     attachments travel inline as base64, no multipart bodies, no standalone attachment PUT/DELETE.
//   - seqs are integers, not CouchDB 3's opaque strings; no views, no design-document functions, no
//     _find, no filters other than _doc_ids, no feed=continuous or eventsource.
//   - bodies of revisions that are no longer leaves are dropped at once (as after CouchDB's compaction).
//   - heartbeat without timeout keeps a longpoll open as CouchDB does; with both, the timeout still ends it.
//   - request bodies come with a Content-Length: a chunked body is refused with 411 (http_routes.cpp). A gzip
//     body is inflated as CouchDB does, but only up to the --max-body limit (413 beyond it); any other
//     Content-Encoding is refused with 415.
//
// Who may do what (auth.hpp says how a request proves who it is): the root and _up are open; everything else
// needs a logged-in user (401 without). A database is reached with the access the user's roles give on it
// (core/access.hpp: reads need Read, writes ReadWrite; 403 otherwise, also for a database that does not exist,
// so names are not revealed); creating or deleting a database and changing its revs_limit need a server admin;
// _all_dbs lists only what the user may read. _local documents need Read only: they are a replicator's
// checkpoints, never replicated, and a reader pulling a database must be able to record how far it got.
// Reading an owner file (a document of a "<site>-owners" database, through any endpoint that returns it) is
// written to the audit log, and so is every access log ("access_log:..." documents) stored, however it arrives.
//
// Every request runs in one SQLite transaction (writes: BEGIN IMMEDIATE ... COMMIT before the answer), so
// an acknowledged write survives a crash and an interrupted one leaves nothing behind.
#pragma once

#include <cstddef>
#include <string>

#include "server/couch_changes.hpp"

namespace httplib {
class Server;
struct Request;
struct Response;
}  // namespace httplib

namespace steward::server {

class SqliteStore;
class Authenticator;

namespace couch {

class CouchService {
 public:
  // `max_body_bytes`: the largest request body taken, inflated if it came gzipped (ServerOptions::max_body_bytes).
  CouchService(SqliteStore& store, Authenticator& auth, size_t max_body_bytes = size_t(64) << 20);
  // Registers the /couch routes; call before any catch-all route. `this` must outlive the server.
  void install(httplib::Server& http);
  // The server is stopping: longpolls answer now instead of waiting out their timeouts.
  void shutdown() { notifier_.shutdown(); }
  // One request under /couch/ (what install() routes here; the fuzz target calls it directly).
  void handle(const httplib::Request& req, httplib::Response& res);

 private:

  SqliteStore& store_;
  Authenticator& auth_;
  size_t max_body_bytes_;
  ChangeNotifier notifier_;
  std::string uuid_;
};

// Whether this request's body is read by CouchService, which inflates a gzip body only up to its limit (httplib,
// reading the body of any other route, would inflate it to whatever size it grows).
bool inflates_gzip_within_limit(const httplib::Request& req);

}  // namespace couch
}  // namespace steward::server
