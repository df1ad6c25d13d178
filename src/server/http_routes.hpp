// Every HTTP route of the server, and how errors look: JSON in CouchDB's shape {"error": ..., "reason": ...},
// because the replication endpoints of a later issue must speak CouchDB and one error shape is simpler for
// the tablet than two.
//
//   GET /health               {"status":"ok","version":...,"store":"sqlite","sites":N}
//   /couch/_session, /api/me, /api/sites/{id}, /api/admin/...   accounts (account_api.hpp)
//   any other /api/...         404 JSON
//   /couch/...                 the CouchDB replication API (couch_routes.hpp)
//   GET/HEAD anything else     the web app, from StaticFiles
// The web app and /health are open to anyone; everything with data needs a login (auth.hpp).
#pragma once

#include <string>
#include <utility>
#include <vector>
#include <string_view>

namespace httplib {
class Server;
}

namespace steward::server {

class SqliteStore;
class StaticFiles;
class AccountApi;
namespace couch {
class CouchService;
}

// The store, files, account API and CouchDB service must outlive the server's listening.
// `sync_origins`: where else the page may connect (ServerOptions::sync_origins), for its security policy.
void install_routes(httplib::Server& http, SqliteStore& store, StaticFiles& files, AccountApi& accounts,
                    couch::CouchService& couch, const std::vector<std::string>& sync_origins, bool tls);
// The headers every answer carries: no type sniffing, no framing, no referrer, and a Content-Security-Policy
// that lets the page run only its own script and WebAssembly and connect only to itself and `sync_origins`;
// over TLS also Strict-Transport-Security, so a browser that has seen the HTTPS origin never falls back to HTTP.
std::vector<std::pair<std::string, std::string>> security_headers(const std::vector<std::string>& sync_origins,
                                                                  bool tls = false);

std::string error_json(std::string_view error, std::string_view reason);

}  // namespace steward::server
