// A _bulk_docs request body, read with simdjson. Ingest is the server's heaviest work, and nlohmann's parser
// spent more on a document than storing it did (a DOM built, then dumped again as the canonical body).
// simdjson reads the body several times faster, and the canonical body is written straight from its parse.
// Whatever this path does not handle itself (a number simdjson cannot hold, duplicate members, an unexpected
// shape) goes through nlohmann exactly as before, so both give the same documents and the same errors; the
// server tests compare the two on many generated and awkward documents.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "server/couch_documents.hpp"

namespace steward::server::couch {

struct BulkDocsItem {
  std::string id;
  IncomingDoc doc;                     // a document of the database
  std::optional<nlohmann::json> local;  // or a _local one, as sent
};

struct BulkDocsBody {
  bool new_edits = true;
  std::vector<BulkDocsItem> items;
};

// The whole body, every document validated (a malformed one fails the request: CouchError 400). Documents
// without an _id get a random one (with new_edits=false that is refused instead).
BulkDocsBody parse_bulk_docs(std::string_view text);

// The same body through nlohmann only: the reference parse_bulk_docs must agree with (and its fallback).
BulkDocsBody parse_bulk_docs_nlohmann(std::string_view text);

}  // namespace steward::server::couch
