// Reading documents from one database, inside the request's read transaction: GET of a document (one
// revision, or open_revs), _bulk_get, _revs_diff and _all_docs. Each returns the response body's JSON text;
// failures are thrown as CouchError.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "server/couch_db.hpp"
#include "server/couch_documents.hpp"

namespace steward::server::couch {

struct DocQuery {
  std::optional<std::string> rev;              // ?rev=
  std::optional<std::vector<std::string>> open_revs;  // ?open_revs=[..]; empty vector with all_open_revs
  bool all_open_revs = false;                  // ?open_revs=all
  bool latest = false;                         // ?latest=true: a non-leaf rev stands for its leaf descendants
  RenderOptions render;
};

// GET /db/{id}: the document (404 "missing" or "deleted"); with open_revs a JSON array of {"ok": doc} and
// {"missing": rev}.
std::string get_doc(CouchTables& tables, const DbInfo& db, const std::string& id, const DocQuery& query);

// POST /db/_bulk_get with {"docs":[{"id":..,"rev":..}, ..]}.
std::string bulk_get(CouchTables& tables, const DbInfo& db, const nlohmann::json& request, const RenderOptions& render,
                     bool latest);

// POST /db/_revs_diff with {"id": ["rev", ..], ..}.
std::string revs_diff(CouchTables& tables, const DbInfo& db, const nlohmann::json& request);

struct AllDocsQuery {
  std::optional<std::vector<std::string>> keys;
  CouchTables::IdRange range;
  bool include_docs = false;
  bool update_seq = false;
  RenderOptions render;
};
std::string all_docs(CouchTables& tables, const DbInfo& db, const AllDocsQuery& query);

}  // namespace steward::server::couch
